"""Robustness under bad input and load: arbitrary Unicode, huge documents, many segments, workers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpora import ntrex_lines
from transnorm import Document, Pipeline, PipelineConfig
from transnorm.job import run_job
from transnorm.read import read_documents
from transnorm.testing import UppercaseEngine
from transnorm.translate.stage import TranslateStage
from transnorm.write import open_writer


def _pipeline(**overrides) -> Pipeline:
    """The default pipeline (bundled glossaries included) with an instant stand-in engine."""
    translate = {"engine": "upper", "cache": False, **overrides.pop("translate", {})}
    cfg = PipelineConfig(target_lang="en").with_overrides(translate=translate, **overrides)
    return Pipeline(cfg, stages={"translate": TranslateStage(cfg, engines={"upper": UppercaseEngine()})})


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return _pipeline()


# Text from every Unicode category (surrogates included), plus the awkward pieces news text carries.
_awkward = st.sampled_from(
    ["\u200b", "\u200d", "\u202e", "\ufeff", "\u0301", "\u05d0\u05d1", "\u0627\u0644", "👩‍👩‍👧", "\r\n", "\n\n",
     "\x00", "\x1b", "Dr.", "U.S.", "...", "»", "Песков.", "Peskow", "Kosaken", "İ", "ß", "ǅ"]
)  # fmt: skip
_texts = st.lists(
    st.one_of(
        st.text(min_size=0, max_size=40), _awkward, st.text(alphabet="ab .", min_size=200, max_size=400)
    ),
    max_size=12,
).map("".join)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_arbitrary_unicode_never_crashes_and_spans_stay_valid(pipeline: Pipeline, texts: list[str]) -> None:
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    out = pipeline.run(docs)
    assert [d.id for d in out] == [d.id for d in docs]
    for doc in out:
        assert all(e.code != "E901" for e in doc.errors), doc.errors  # no stage crashed
        for seg in doc.segments:
            assert 0 <= seg.start < seg.end <= len(doc.text)
            assert doc.text[seg.start : seg.end] == seg.source
        for edit in doc.edits:
            target = doc.segments[edit.segment].target or ""
            assert target[edit.span[0] : edit.span[1]] == edit.after
        buf = io.StringIO()
        open_writer("jsonl", buf).write(doc)
        assert json.loads(buf.getvalue())["id"] == doc.id
        buf.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(), min_size=1, max_size=5))
def test_jsonl_with_lone_surrogates_gives_one_record_per_line(pipeline: Pipeline, texts: list[str]) -> None:
    # json.dumps(ensure_ascii=True) writes lone surrogates as \udXXX escapes, as other producers do
    lines = [json.dumps({"id": f"j{i}", "text": t + "\ud800"}) for i, t in enumerate(texts)]
    stdin = io.BytesIO(("\n".join(lines) + "\n").encode("ascii"))
    out = io.StringIO()
    writer = open_writer("jsonl", out)
    for doc in pipeline.stream(read_documents(["-"], stdin=stdin)):
        writer.write(doc)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == [f"j{i}" for i in range(len(texts))]
    assert all(r["warnings"] for r in records)


_MEMORY_PROBE = textwrap.dedent(
    """
    import io, json, resource, sys
    from transnorm import Document, Pipeline, PipelineConfig
    from transnorm.testing import UppercaseEngine
    from transnorm.translate.stage import TranslateStage
    from transnorm.write import open_writer

    kind = sys.argv[1]
    if kind == "line":
        words = ("peskov", "kremlin", "talks", "nato", "offer", "moscow", "council", "agency")
        text = " ".join(words[i % 8] + str(i % 97) for i in range(1_250_000))[:10_000_000]
    else:
        text = " ".join(f"Word{i % 10}." for i in range(100_000))
    cfg = PipelineConfig(target_lang="de").with_overrides(translate={"engine": "upper", "cache": False})
    pipe = Pipeline(cfg, stages={"translate": TranslateStage(cfg, engines={"upper": UppercaseEngine()})})
    (doc,) = pipe.run([Document("big", text)])
    sink = open(__import__("os").devnull, "w")
    open_writer("jsonl", sink).write(doc)
    covered = "".join(s.source for s in doc.segments)
    longest = max(len(s.source) for s in doc.segments)
    translated = sum(s.target is not None for s in doc.segments)
    print(json.dumps({
        "chars": len(text), "segments": len(doc.segments), "longest": longest, "translated": translated,
        "covered_non_space": len(covered.replace(" ", "")) == len(text.replace(" ", "")),
        "errors": [e.code for e in doc.errors],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "min_segments"), [("line", 10_000), ("sentences", 100_000)])
def test_huge_documents_are_split_never_truncated_with_bounded_memory(kind: str, min_segments: int) -> None:
    res = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, kind], capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["segments"] >= min_segments
    assert report["longest"] <= PipelineConfig().segment.max_chars
    assert report["translated"] == report["segments"]
    assert report["covered_non_space"], "text was lost between segments"
    # ~10 MB of text held as text, segments, translations and one JSON record: well under 1.5 GB
    assert report["peak_mb"] < 1500, report


def test_workers_give_the_same_output_as_one_process(tmp_path: Path) -> None:
    lines = ntrex_lines("de")
    lines = lines * (960 // len(lines) + 1)  # 240 documents of 4 lines
    docs = tmp_path / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as fh:
        for i in range(240):
            fh.write(
                json.dumps({"id": f"d{i}", "text": " ".join(lines[i * 4 : i * 4 + 4]) + " Peskow sagte das."})
                + "\n"
            )
        fh.write("not json\n")
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        pipe = _pipeline()
        summary = run_job([str(docs)], config=pipe.config, output=out, pipeline=pipe, workers=workers)
        assert summary.documents == 241 and summary.documents_with_errors == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"dmitry-peskov" in outputs[0]
