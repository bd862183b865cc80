"""`transnorm convert` and reading JSONL records back: the CLI run in-process."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from transnorm.cli import main
from transnorm.read_records import read_back
from transnorm.write import open_writer
from write_samples import arabic, batch

EXIT_OK, EXIT_DOC_ERRORS, EXIT_USAGE = 0, 1, 2


def write_jsonl(path: Path, docs) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        writer = open_writer("jsonl", fh)
        for doc in docs:
            writer.write(doc)
        writer.close()
    return path


def convert(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["convert", *args], stdout=out, stdin=io.BytesIO(stdin) if stdin is not None else None)
    return code, out.getvalue()


def test_jsonl_records_read_back_exactly(tmp_path: Path) -> None:
    docs = batch()
    back = list(read_back([write_jsonl(tmp_path / "in.jsonl", docs)]))
    assert [d.to_record() for d in back] == [d.to_record() for d in docs]


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "xliff", "html"])
def test_convert_to_every_stream_format(tmp_path: Path, fmt: str) -> None:
    records = write_jsonl(tmp_path / "in.jsonl", batch())
    out = tmp_path / f"out.{fmt}"
    code, stdout = convert(str(records), "--format", fmt, "-o", str(out))
    assert code == EXIT_DOC_ERRORS  # the batch has documents with errors; all are written
    assert stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "Peskov" in text and "قال المتحدث" in text
    if fmt in ("tmx", "xliff"):
        ET.fromstring(text)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.jsonl", out.name])


def test_convert_to_moses_writes_three_files(tmp_path: Path) -> None:
    records = write_jsonl(tmp_path / "in.jsonl", batch())
    code, _ = convert(str(records), "--format", "moses", "-o", str(tmp_path / "corpus"))
    assert code == EXIT_DOC_ERRORS
    assert (tmp_path / "corpus.src").read_text(encoding="utf-8").count("\n") == 7
    assert (tmp_path / "corpus.tgt").read_text(encoding="utf-8").count("\n") == 7


def test_moses_to_stdout_is_a_usage_error(tmp_path: Path) -> None:
    records = write_jsonl(tmp_path / "in.jsonl", batch())
    assert convert(str(records), "--format", "moses")[0] == EXIT_USAGE


def test_clean_documents_exit_zero_and_go_to_stdout(tmp_path: Path) -> None:
    records = write_jsonl(tmp_path / "in.jsonl", [arabic()])
    code, stdout = convert(str(records), "--format", "tsv")
    assert code == EXIT_OK
    assert stdout.count("\n") == 3  # header and two pairs


def test_round_trip_through_tmx(tmp_path: Path) -> None:
    docs = batch()
    records = write_jsonl(tmp_path / "in.jsonl", docs)
    convert(str(records), "--format", "tmx", "-o", str(tmp_path / "out.tmx"))
    code, stdout = convert(str(tmp_path / "out.tmx"), "--format", "jsonl")
    assert code == EXIT_DOC_ERRORS
    back = [json.loads(line) for line in stdout.splitlines()]
    assert [r["id"] for r in back] == [d.id for d in docs]
    for rec, doc in zip(back, docs, strict=True):
        assert [(s["source"], s["target"], s["flags"]) for s in rec["segments"]] == [
            (s.source, s.target, s.flags) for s in doc.segments
        ]
        assert rec["edits"] == [e.to_record() for e in doc.edits]
        assert [e["code"] for e in rec["errors"]] == [e.code for e in doc.errors]
    assert back[0]["signature"]["glossary"] == "names-2025.02"


def test_input_format_names_what_the_file_name_does_not(tmp_path: Path) -> None:
    """`--input-format tmx` reads a TMX saved as .json (sniffed as JSONL); `--from` is not a convert flag."""
    records = write_jsonl(tmp_path / "in.jsonl", [arabic()])
    convert(str(records), "--format", "tmx", "-o", str(tmp_path / "memory.json"))
    code, stdout = convert(str(tmp_path / "memory.json"), "--input-format", "tmx", "--format", "jsonl")
    assert code == EXIT_OK
    assert [json.loads(line)["id"] for line in stdout.splitlines()] == ["aljazeera-77"]
    sniffed, _ = convert(str(tmp_path / "memory.json"), "--format", "jsonl")
    assert sniffed == EXIT_DOC_ERRORS  # read as JSONL: each line of XML a bad record
    assert convert(str(records), "--from", "jsonl", "--format", "tsv")[0] == EXIT_USAGE


def test_bad_lines_become_error_records_and_the_rest_is_converted(tmp_path: Path) -> None:
    good = json.dumps(arabic().to_record(), ensure_ascii=False)
    data = (good + "\n{not json\n" + '{"text": "no id"}\n\n').encode() + b"\xff\xfe\n"
    code, stdout = convert("-", "--format", "jsonl", stdin=data)
    assert code == EXIT_DOC_ERRORS
    recs = [json.loads(line) for line in stdout.splitlines()]
    assert [(r["id"], [e["code"] for e in r["errors"]]) for r in recs] == [
        ("aljazeera-77", []),
        ("<stdin>:2", ["E105"]),
        ("<stdin>:3", ["E106"]),
        ("<stdin>:5", ["E102"]),
    ]


def test_malformed_tmx_is_a_usage_error_and_leaves_no_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    code, _ = convert(str(bad), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    assert code == EXIT_USAGE
    assert "bad.tmx is not well-formed XML" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tmx"]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    records = write_jsonl(tmp_path / "in.jsonl", [arabic()])
    assert convert(str(records), "--format", "docx")[0] == EXIT_USAGE


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "html", "moses"])
def test_run_writes_every_format(tmp_path: Path, fmt: str) -> None:
    """`transnorm run --format F -o OUT` end to end, with the engine that copies English through."""
    source = tmp_path / "article.txt"
    source.write_text("Dmitry Peskov spoke in Moscow.\n\nThe meeting ended early.", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(source),
            "--from",
            "en",
            "--to",
            "en",
            "--engine",
            "passthrough",
            "--format",
            fmt,
            "-o",
            str(out),
        ],
        stdout=io.StringIO(),
    )
    assert code == EXIT_OK
    if fmt == "moses":
        assert (tmp_path / "out.src").read_text(encoding="utf-8").splitlines() == [
            "Dmitry Peskov spoke in Moscow.",
            "The meeting ended early.",
        ]
        assert json.loads((tmp_path / "out.meta.json").read_text(encoding="utf-8"))["signature"]["transnorm"]
        return
    text = out.read_text(encoding="utf-8")
    assert "The meeting ended early." in text
    assert "passthrough" in text  # the engine of the run signature
