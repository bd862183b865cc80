"""Reading inputs: every input that should be a document gives exactly one, errors included."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from transnorm.errors import (
    E_BAD_JSON,
    E_BAD_RECORD,
    E_BINARY,
    E_INVALID_UTF8,
    E_MISSING_FILE,
)
from transnorm.read import read_documents


def _codes(doc) -> list[str]:
    return [e.code for e in doc.errors]


def test_text_file_is_one_document_with_its_path_as_id(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("\ufeffHello world.\n", encoding="utf-8")
    (doc,) = read_documents([str(f)])
    assert doc.id == str(f)
    assert doc.text == "Hello world.\n"  # the BOM is not part of the text
    assert doc.errors == []


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("Grüße aus Köln".encode("latin-1"))
    (doc,) = read_documents([str(f)])
    assert _codes(doc) == [E_INVALID_UTF8]
    assert "byte offset 2" in doc.errors[0].message


def test_binary_file_is_reported_as_binary(tmp_path: Path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (doc,) = read_documents([str(f)])
    assert _codes(doc) == [E_BINARY]


def test_missing_file_yields_an_error_record(tmp_path: Path) -> None:
    docs = list(read_documents([str(tmp_path / "nope.txt"), str(tmp_path / "nope.jsonl")]))
    assert [_codes(d) for d in docs] == [[E_MISSING_FILE], [E_MISSING_FILE]]


def test_jsonl_lines_keep_metadata_and_report_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Erste Zeile.", "source": "dpa", "tags": [1, 2]}),
        "",
        '{"id": "b", "text": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "d"}),
        json.dumps({"id": 7, "text": 42}),
        json.dumps({"text": "no id"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_documents([str(f)]))
    assert len(docs) == 6  # the blank line is not a document
    assert docs[0].id == "a" and docs[0].metadata == {"source": "dpa", "tags": [1, 2]}
    assert _codes(docs[1]) == [E_BAD_JSON] and f"line 3 of {f}" in docs[1].errors[0].message
    assert _codes(docs[2]) == [E_BAD_RECORD]
    assert _codes(docs[3]) == [E_BAD_RECORD] and "'text' is missing" in docs[3].errors[0].message
    assert docs[4].id == "7" and "int" in docs[4].errors[0].message
    assert docs[5].id == f"{f}:7" and docs[5].errors == []


def test_invalid_utf8_inside_a_jsonl_line(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    f.write_bytes(b'{"id": "ok", "text": "fine"}\n{"id": "bad", "text": "\xff"}\n')
    docs = list(read_documents([str(f)]))
    assert [d.id for d in docs] == ["ok", f"{f}:2"]
    assert _codes(docs[1]) == [E_INVALID_UTF8]


def test_lone_surrogates_from_json_are_replaced_and_noted() -> None:
    stdin = io.BytesIO(b'{"id": "s", "text": "bad \\ud800 char"}\n')
    (doc,) = read_documents(["-"], stdin=stdin)
    assert doc.text == "bad \ufffd char"
    assert doc.warnings and not doc.errors
    doc.text.encode("utf-8")  # writable


def test_directory_is_walked_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zed", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip me", encoding="utf-8")
    (tmp_path / "README.md").write_text("not an input", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"id": "c1", "text": "x"}\n{"id": "c2", "text": "y"}\n', encoding="utf-8"
    )
    ids = [d.id for d in read_documents([str(tmp_path)])]
    assert ids == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "z.txt"), "c1", "c2"]


@pytest.mark.parametrize("inputs", [[], ["-"]])
def test_stdin_is_the_default(inputs: list[str]) -> None:
    stdin = io.BytesIO(b'{"id": "x", "text": "hello"}\n')
    (doc,) = read_documents(inputs, stdin=stdin)
    assert doc.id == "x"
