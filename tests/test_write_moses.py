"""Moses writer: two line-aligned files plus a JSON sidecar, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transnorm.errors import ConfigError
from transnorm.write import open_writer, write_documents
from write_samples import aligned, batch, one_pair


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def test_files_are_line_aligned(tmp_path: Path) -> None:
    docs = batch()
    write_documents(docs, "moses", tmp_path / "corpus")
    src = read_lines(tmp_path / "corpus.src")
    tgt = read_lines(tmp_path / "corpus.tgt")
    pairs = [(s.source, s.target or "") for d in docs for s in d.segments]
    assert list(zip(src, tgt, strict=True)) == pairs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.meta.json", "corpus.src", "corpus.tgt"]


def test_sidecar_maps_lines_to_documents_and_carries_the_signature(tmp_path: Path) -> None:
    write_documents(batch(), "moses", tmp_path / "c")
    meta = json.loads((tmp_path / "c.meta.json").read_text(encoding="utf-8"))
    assert meta["lines"] == 7
    assert meta["untranslated_lines"] == 1
    assert meta["signature"]["glossary"] == ["names-2025.02"]
    assert meta["signature"]["model"] == ["opus-mt-de-en", "opus-mt-ar-en", "opus-mt-ru-en"]
    assert [(d["id"], d["first_line"], d["lines"]) for d in meta["documents"]] == [
        ("dpa-2022-01-12", 1, 3),
        ("aljazeera-77", 4, 2),
        ("tass-5", 6, 2),
        ("empty-17", None, 0),
    ]
    assert meta["documents"][0]["flagged_lines"] == {"2": ["length-ratio"]}
    assert meta["documents"][3]["errors"][0]["code"] == "E104"


@pytest.mark.parametrize(
    ("text", "expected", "breaks"),
    [
        ("one\ntwo", "one two", 1),
        ("one\r\ntwo", "one two", 1),  # a run of line-break characters becomes one space
        ("a\u2028b\u2029c\x85d", "a b c d", 3),
        ("tab\tstays", "tab\tstays", 0),
        ("قال بيسكوف", "قال بيسكوف", 0),
    ],
)
def test_a_sentence_never_spans_two_lines(tmp_path: Path, text: str, expected: str, breaks: int) -> None:
    write_documents([one_pair(text, text)], "moses", tmp_path / "c")
    assert read_lines(tmp_path / "c.src") == [expected]
    assert read_lines(tmp_path / "c.tgt") == [expected]
    meta = json.loads((tmp_path / "c.meta.json").read_text(encoding="utf-8"))
    assert meta["line_breaks_replaced"] == 2 * breaks  # source and target


def test_standard_output_is_refused_with_advice() -> None:
    with pytest.raises(ConfigError, match="-o"):
        open_writer("moses", None, path="-")


def test_failure_leaves_no_files_and_keeps_earlier_output(tmp_path: Path) -> None:
    (tmp_path / "c.src").write_text("old\n", encoding="utf-8")

    def docs():
        yield from batch()[:2]
        raise RuntimeError("reader crashed")

    with pytest.raises(RuntimeError, match="reader crashed"):
        write_documents(docs(), "moses", tmp_path / "c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.src"]
    assert (tmp_path / "c.src").read_text(encoding="utf-8") == "old\n"


def test_aligned_document_keeps_one_sided_links_as_empty_lines(tmp_path: Path) -> None:
    write_documents([aligned()], "moses", tmp_path / "c")
    assert read_lines(tmp_path / "c.src") == [
        "Peskov spoke.",
        "It rained. Then it stopped.",
        "Nobody came.",
        "",
    ]
    assert read_lines(tmp_path / "c.tgt") == [
        "Peskow sprach.",
        "Es regnete und hörte dann auf.",
        "",
        "Ein Satz ohne Vorlage.",
    ]
