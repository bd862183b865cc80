"""Reading inputs: every input that should be a document gives exactly one, errors included."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from transnorm.errors import (
    E_BAD_JSON,
    E_BAD_RECORD,
    E_BINARY,
    E_DUPLICATE_INPUT,
    E_INVALID_UTF8,
    E_MISSING_FILE,
    E_TOO_LARGE,
    E_UNREADABLE,
)
from transnorm.read import MAX_JSON_DEPTH, count_documents, max_line_bytes, max_text_bytes, read_documents


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


# -- hostile input is contained (issue 9, section 4) ---------------------------------------------


def test_symlink_loops_do_not_multiply_the_walk(tmp_path: Path) -> None:
    """`ln -s . x; ln -s . y` used to make the walk exponential (71,104 records of one file in 30 s)."""
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("second", encoding="utf-8")
    for name in ("x", "y"):
        (tmp_path / name).symlink_to(".")
    (tmp_path / "sub" / "up").symlink_to("..")
    docs = list(read_documents([str(tmp_path)]))
    read = [d.id for d in docs if not d.errors]
    assert read == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.txt")]  # each real file once
    links = {Path(d.id).name: _codes(d) for d in docs if d.errors}
    assert links == {"x": [E_DUPLICATE_INPUT], "y": [E_DUPLICATE_INPUT], "up": [E_DUPLICATE_INPUT]}
    assert count_documents([str(tmp_path)]) == len(docs)


def test_dangling_and_looping_links_get_an_error_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("real", encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to("a.txt")
    (tmp_path / "gone.txt").symlink_to("missing.txt")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    docs = {Path(d.id).name: d for d in read_documents([str(tmp_path)])}
    assert docs["a.txt"].text == "real"
    assert _codes(docs["alias.txt"]) == [E_DUPLICATE_INPUT] and "a.txt" in docs["alias.txt"].errors[0].message
    assert _codes(docs["gone.txt"]) == [E_MISSING_FILE] and "dangling" in docs["gone.txt"].errors[0].message
    assert _codes(docs["loop1"]) == _codes(docs["loop2"]) == [E_DUPLICATE_INPUT]
    assert len(docs) == 5


def test_a_file_named_twice_or_hard_linked_is_read_once(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("once", encoding="utf-8")
    os.link(f, tmp_path / "b.txt")
    first, second, third = read_documents([str(f), str(f), str(tmp_path / "b.txt")])
    assert first.text == "once" and _codes(second) == _codes(third) == [E_DUPLICATE_INPUT]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_without_reading(device: str) -> None:
    (doc,) = read_documents([device])  # used to read 5.5 GB in 20 s
    assert _codes(doc) == [E_UNREADABLE] and "not a regular file" in doc.errors[0].message


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    docs = list(read_documents([str(tmp_path), str(fifo)]))  # no writer: opening must not block
    assert [_codes(d) for d in docs] == [[E_UNREADABLE], [E_DUPLICATE_INPUT]]


def test_text_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"a" * (max_text_bytes(1000) + 1))
    (doc,) = read_documents([str(f)], max_chars=1000)
    assert _codes(doc) == [E_TOO_LARGE] and doc.text == ""


def test_jsonl_line_longer_than_the_limit_is_skipped_in_bounded_reads() -> None:
    huge = b'{"id": "huge", "text": "' + b"a" * (max_line_bytes(100) + 10) + b'"}\n'
    stdin = io.BytesIO(b'{"id": "a", "text": "x"}\n' + huge + b'{"id": "b", "text": "y"}\n')
    docs = list(read_documents(["-"], stdin=stdin, max_chars=100))
    assert [d.id for d in docs] == ["a", "<stdin>:2", "b"]
    assert _codes(docs[1]) == [E_TOO_LARGE]


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "deep", "text": "x", "m": ' + "[" * 1000 + "]" * 1000 + "}",  # RecursionError
        '{"id": "deep", "text": "x", "m": ' + "[" * 200 + "]" * 200 + "}",  # deeper than MAX_JSON_DEPTH
        '{"id": "big", "text": "x", "n": ' + "1" * 5000 + "}",  # ValueError: int digits limit
        "[" * 100_000,
    ],
    ids=["nested-1000", "nested-200", "int-5000-digits", "open-100k"],
)
def test_json_that_python_cannot_hold_is_an_e105_record(line: str) -> None:
    stdin = io.BytesIO(f'{{"id": "a", "text": "x"}}\n{line}\n{{"id": "b", "text": "y"}}\n'.encode())
    docs = list(read_documents(["-"], stdin=stdin))
    assert [d.id for d in docs] == ["a", "<stdin>:2", "b"]
    assert _codes(docs[1]) == [E_BAD_JSON]


def test_nesting_up_to_the_limit_is_kept() -> None:
    meta = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    (doc,) = read_documents(["-"], stdin=io.BytesIO(f'{{"id": "a", "text": "x", "m": {meta}}}\n'.encode()))
    assert doc.errors == []


def test_utf8_bom_at_the_start_of_a_jsonl_file_is_dropped(tmp_path: Path) -> None:
    f = tmp_path / "bom.jsonl"
    f.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')
    assert [(d.id, d.errors) for d in read_documents([str(f)])] == [("a", []), ("b", [])]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded_not_called_binary(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    txt = tmp_path / "a.txt"
    txt.write_bytes(bom + "Grüße aus Köln, Песков.\n".encode(encoding))
    (doc,) = read_documents([str(txt)])
    assert doc.errors == [] and doc.text == "Grüße aus Köln, Песков.\n"
    jsonl = tmp_path / "a.jsonl"
    lines = '{"id": "a", "text": "Grüße"}\n{"id": "b", "text": "Песков"}\n'
    jsonl.write_bytes(bom + lines.encode(encoding))
    docs = list(read_documents([str(jsonl)]))
    assert [(d.id, d.text, d.errors) for d in docs] == [("a", "Grüße", []), ("b", "Песков", [])]


def test_unreadable_directory_is_an_e108_record_not_a_traceback(tmp_path: Path) -> None:
    """chmod 000 on a subdirectory. As root (which reads it anyway), the walk runs in a child process
    whose capability bounding set drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (`setpriv`), so the
    permission check is the kernel's, for real."""
    (tmp_path / "a.txt").write_text("readable", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("hidden", encoding="utf-8")
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: chmod 000 cannot make a directory unreadable")
        drop = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]
    probe = (
        "import json, sys\nfrom transnorm.read import read_documents\n"
        "print(json.dumps([[d.id, [e.code for e in d.errors]] for d in read_documents([sys.argv[1]])]))"
    )
    try:
        res = subprocess.run(
            [*prefix, sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60
        )
    finally:
        locked.chmod(0o755)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [[str(tmp_path / "a.txt"), []], [str(locked), [E_UNREADABLE]]]


def test_glossary_must_be_a_regular_file() -> None:
    from transnorm.normalise.glossary import GlossaryError, load_glossary

    with pytest.raises(GlossaryError, match="not a regular file"):
        load_glossary("/dev/zero")


def test_glossary_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import transnorm.normalise.glossary as glossary_module

    f = tmp_path / "names.tsv"
    f.write_text("id\tlang\tcanonical\tvariants\n" + "x\ten\tX\tY\n" * 100, encoding="utf-8")
    monkeypatch.setattr(glossary_module, "MAX_GLOSSARY_BYTES", 500)
    with pytest.raises(glossary_module.GlossaryError, match="more than the 500"):
        glossary_module.load_glossary(f)
