"""Robustness under bad and hostile input and load: arbitrary Unicode, huge documents, many segments,
workers, JSON that Python cannot hold, devices as inputs, non-standard JSON numbers, line breaks and
bidi controls in output."""

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
from transnorm.cli import main
from transnorm.document import Segment
from transnorm.read import read_documents
from transnorm.run import run
from transnorm.testing import UppercaseEngine
from transnorm.translate.stage import TranslateStage
from transnorm.write import open_writer
from transnorm.write._linebreaks import LINE_BREAKS
from transnorm.write.tsv import unescape


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
        summary = run([str(docs)], config=pipe.config, output=out, pipeline=pipe, workers=workers)
        assert summary.documents == 241 and summary.documents_with_errors == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"dmitry-peskov" in outputs[0]


# -- hostile input through the command line: N documents in, N records out (issue 9, section 4) --

_HOSTILE_LINES = [
    '{"id": "deep", "text": "x", "m": ' + "[" * 1000 + "]" * 1000 + "}",
    '{"id": "digits", "text": "x", "n": ' + "7" * 5000 + "}",
]


def _cli(argv: list[str], stdin: bytes = b"") -> tuple[int, list[dict]]:
    out = io.StringIO()
    code = main(argv, stdout=out, stdin=io.BytesIO(stdin))
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--to", "en", "--engine", "passthrough", "--quiet", "--no-cache"],
        ["detect"],
        ["normalise", "--lang", "en"],
    ],
    ids=["run", "detect", "normalise"],
)
@pytest.mark.parametrize("via", ["file", "stdin"])
def test_json_python_cannot_hold_is_one_e105_record_and_the_rest_is_kept(
    tmp_path: Path, command: list[str], via: str
) -> None:
    lines = [
        '{"id": "a", "text": "Hello there, my friend."}',
        *_HOSTILE_LINES,
        '{"id": "b", "text": "Bye now."}',
    ]
    data = ("\n".join(lines) + "\n").encode()
    src = tmp_path / "in.jsonl"
    src.write_bytes(data)
    argv = [*command, str(src)] if via == "file" else [*command, "-"]
    code, records = _cli(argv, data if via == "stdin" else b"")
    assert code == 1  # some documents carry errors; the run did not crash
    assert len(records) == 4 and records[0]["id"] == "a" and records[3]["id"] == "b"
    assert [[e["code"] for e in r.get("errors", [])] for r in records[1:3]] == [["E105"], ["E105"]]


def test_devices_in_the_inputs_are_error_records(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Hello there, my friend."}\n', encoding="utf-8")
    argv = ["run", str(src), "/dev/zero", "/dev/urandom", "--to", "en", "--engine", "passthrough", "--quiet"]
    code, records = _cli(argv)
    assert code == 1
    assert [(r["id"], [e["code"] for e in r["errors"]]) for r in records] == [
        ("a", []),
        ("/dev/zero", ["E108"]),
        ("/dev/urandom", ["E108"]),
    ]


def _strict(text: str) -> list[dict]:
    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    return [json.loads(line, parse_constant=refuse) for line in text.splitlines()]


def test_nan_and_infinity_in_metadata_are_written_as_strict_json(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "text": "Hello there.", "score": NaN, "xs": [Infinity, -Infinity, 1e999, 0.5]}\n'
        '{"id": "b", "text": "Hello again.", "score": 1.5}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    argv = [
        "run",
        str(src),
        "--from",
        "en",
        "--to",
        "en",
        "--engine",
        "passthrough",
        "-o",
        str(out),
        "--quiet",
    ]
    assert main(argv) == 0
    a, b = _strict(out.read_text(encoding="utf-8"))
    assert a["metadata"] == {"score": None, "xs": [None, None, None, 0.5]}
    assert any("NaN or Infinity" in w for w in a["warnings"])
    assert b["metadata"] == {"score": 1.5} and b["warnings"] == []


def test_line_break_table_is_exactly_what_splitlines_splits_on() -> None:
    splitting = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) > 1}
    assert set(LINE_BREAKS) == splitting


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
def test_line_formats_escape_every_line_break(fmt: str) -> None:
    text = "".join(f"w{i}{ch}" for i, ch in enumerate(LINE_BREAKS)) + "\t\\end"
    doc = Document(f"id{LINE_BREAKS}", text)
    doc.segments = [Segment(index=0, start=0, end=len(text), source=text, target=text)]
    buf = io.StringIO()
    writer = open_writer(fmt, buf)
    writer.write(doc)
    writer.close()
    rows = buf.getvalue().splitlines()
    assert len(rows) == (1 if fmt == "jsonl" else 2)  # the TSV has a header row
    if fmt == "tsv":
        cells = rows[1].split("\t")
        assert unescape(cells[0]) == doc.id and unescape(cells[5]) == text and unescape(cells[6]) == text
    else:
        assert json.loads(rows[0])["segments"][0]["source"] == text


def test_html_shows_bidi_controls_in_ids_instead_of_obeying_them() -> None:
    spoof = "invoice_\u202egpj.exe"  # displays as "invoice_exe.jpg" when the control is obeyed
    buf = io.StringIO()
    writer = open_writer("html", buf)
    writer.write(Document(spoof, "Some text."))
    writer.close()
    page = buf.getvalue()
    head, _, body = page.partition("<main>")
    toc = head[head.index('<nav class="toc">') :]
    heading = body[body.index("<h2") : body.index("</h2>")]
    for part in (toc, heading):
        assert "\u202e" not in part
        assert "U+202E" in part and "<bdi>" in part


_ZERO_PROBE = textwrap.dedent(
    """
    import io, json, sys
    from transnorm.read import read_documents

    class Zeros(io.RawIOBase):  # /dev/zero, cut after `size` bytes, then one good line
        def __init__(self, size):
            self.left, self.src, self.tail = size, open("/dev/zero", "rb", buffering=0), b'\\n{"id": "ok", "text": "x"}\\n'
        def readable(self):
            return True
        def readinto(self, buf):
            if self.left > 0:
                n = self.src.readinto(memoryview(buf)[: min(len(buf), self.left)])
                self.left -= n
                return n
            n = min(len(buf), len(self.tail))
            buf[:n], self.tail = self.tail[:n], self.tail[n:]
            return n

    stdin = io.BufferedReader(Zeros(int(sys.argv[1])))
    docs = [(d.id, [e.code for e in d.errors]) for d in read_documents(["-"], stdin=stdin, max_chars=1000)]
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(json.dumps({"docs": docs, "peak_mb": hwm / 1024}))
    """
)


def test_endless_line_on_stdin_is_read_in_bounded_memory() -> None:
    """`transnorm run - < /dev/zero` grew without bound; now a line is never held past the limit."""
    res = subprocess.run(
        [sys.executable, "-c", _ZERO_PROBE, str(400 * 1024 * 1024)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout)
    assert report["docs"] == [["<stdin>:1", ["E107"]], ["ok", []]]
    assert report["peak_mb"] < 150, report  # 400 MB went through; the interpreter alone is ~40 MB
