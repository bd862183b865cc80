"""TMX 1.4b writer: structure, escaping, reading back, and translate-toolkit as a real consumer."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from transnorm.read_records import read_tmx
from write_samples import ESCAPING_CASES, aligned, arabic, batch, german, one_pair, render

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CASES = ESCAPING_CASES


def write_tmx(docs) -> str:
    return render("tmx", docs)


def props(el: ET.Element, kind: str) -> list[str]:
    return [p.text or "" for p in el.findall("prop") if p.get("type") == kind]


def test_header_has_every_attribute_tmx_14b_requires() -> None:
    root = ET.fromstring(write_tmx([german()]))
    assert root.tag == "tmx"
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    attrs = header.attrib
    assert {
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    } <= set(attrs)
    assert attrs["creationtool"] == "transnorm"
    assert attrs["segtype"] == "sentence"
    assert attrs["srclang"] == "de"
    assert attrs["datatype"] == "plaintext"
    assert attrs["adminlang"] == "en"


def test_header_carries_the_run_signature() -> None:
    header = ET.fromstring(write_tmx([german(), arabic()])).find("header")
    assert props(header, "x-signature:transnorm") == ["0.1.0"]
    assert props(header, "x-signature:engine") == ["marian"]
    assert props(header, "x-signature:model") == ["opus-mt-de-en", "opus-mt-ar-en"]
    assert props(header, "x-signature:glossary") == ["names-2025.02"]
    assert props(header, "x-signature:config") == ["cfg1a2b3c"]


def test_one_unit_per_pair_with_document_id_flags_and_languages() -> None:
    root = ET.fromstring(write_tmx([german()]))
    tus = root.findall("body/tu")
    assert len(tus) == 3
    for i, tu in enumerate(tus):
        assert props(tu, "x-document") == ["dpa-2022-01-12"]
        assert props(tu, "x-segment") == [str(i)]
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["de", "en"]
    assert props(tus[1], "x-flag") == ["length-ratio"]
    assert props(tus[0], "x-flag") == []
    assert tus[0].find("tuv/seg").text == "Kremlsprecher Dmitri Peskow sagte, Moskau sei enttäuscht."
    assert (
        tus[0].findall("tuv/seg")[1].text == "Kremlin spokesman Dmitry Peskov said Moscow was disappointed."
    )
    assert props(tus[0], "x-engine") == ["marian"]
    assert props(tus[2], "x-error") == ["normalise E501: ambiguous entity for 'Kosak'"]
    edit = json.loads(props(tus[0], "x-edit")[0])
    assert (edit["before"], edit["after"], edit["side"]) == ("Peskow", "Peskov", "target")
    assert [n.text for n in tus[0].findall("note")] == [
        "glossary (target): Peskow → Peskov (rule: glossary:person, entity: Q-Peskov)"
    ]


def test_element_order_follows_the_dtd() -> None:
    """tu: (note|prop)* then tuv+; tuv: seg last."""
    for tu in ET.fromstring(write_tmx(batch())).iterfind("body/tu"):
        tags = [child.tag for child in tu]
        first_tuv = tags.index("tuv")
        assert set(tags[:first_tuv]) <= {"note", "prop"}
        assert set(tags[first_tuv:]) == {"tuv"}


def test_mixed_source_languages_use_all_and_unit_srclang() -> None:
    root = ET.fromstring(write_tmx(batch()))
    assert root.find("header").get("srclang") == "*all*"
    assert [tu.get("srclang") for tu in root.iterfind("body/tu")] == ["de"] * 3 + ["ar"] * 2 + ["ru"] * 2


def test_untranslated_segment_has_only_the_source_variant() -> None:
    root = ET.fromstring(write_tmx(batch()))
    tu = next(tu for tu in root.iterfind("body/tu") if tu.get("tuid") == "tass-5#1")
    assert [t.get(XML_LANG) for t in tu.findall("tuv")] == ["ru"]


def test_document_without_segments_is_a_header_note() -> None:
    header = ET.fromstring(write_tmx(batch())).find("header")
    assert [n.text for n in header.findall("note")] == [
        "empty-17: read E104: document is empty or contains only whitespace"
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_escaping_gives_well_formed_xml_and_the_text_back(case: dict) -> None:
    xml = write_tmx([one_pair(case["text"], "T: " + case["text"])])
    xml.encode("utf-8")  # no lone surrogate survives
    root = ET.fromstring(xml)
    segs = [s.text or "" for s in root.iterfind("body/tu/tuv/seg")]
    assert segs == [case["expected"], "T: " + case["expected"]]
    replaced = props(root.find("body/tu"), "x-transnorm-replaced-chars")
    assert replaced == ([str(2 * case["replaced"])] if case["replaced"] else [])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_escaping_is_accepted_by_a_strict_parser(case: dict) -> None:
    etree = pytest.importorskip("lxml.etree")
    xml = write_tmx([one_pair(case["text"], case["text"])]).encode("utf-8")
    root = etree.fromstring(xml, etree.XMLParser(recover=False, resolve_entities=False, no_network=True))
    assert [s.text or "" for s in root.iterfind("body/tu/tuv/seg")] == [case["expected"]] * 2


def test_read_back_gives_the_same_documents() -> None:
    docs = batch()
    back = {d.id: d for d in read_tmx(io.BytesIO(write_tmx(docs).encode("utf-8")))}
    assert list(back) == ["dpa-2022-01-12", "aljazeera-77", "tass-5", "empty-17"]
    for doc in docs:
        got = back[doc.id]
        assert (got.lang, got.target_lang) == (doc.lang, doc.target_lang if doc.segments else None)
        assert [(s.index, s.source, s.target, s.paragraph, s.flags) for s in got.segments] == [
            (s.index, s.source, s.target, s.paragraph, s.flags) for s in doc.segments
        ]
        assert [(s.start, s.end) for s in got.segments] == [(s.start, s.end) for s in doc.segments]
        assert all(got.text[s.start : s.end] == s.source for s in got.segments)
        assert [e.to_record() for e in got.edits] == [e.to_record() for e in doc.edits]
        assert [(e.code, e.message, e.segment) for e in got.errors] == [
            (e.code, e.message, e.segment) for e in doc.errors
        ]
    assert back["dpa-2022-01-12"].signature["glossary"] == "names-2025.02"
    assert back["dpa-2022-01-12"].signature["model"] == "opus-mt-de-en"
    assert back["aljazeera-77"].signature["model"] == "opus-mt-ar-en"
    assert back["dpa-2022-01-12"].text == german().text


def test_read_back_a_tmx_from_another_tool() -> None:
    other = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/>
<body>
 <tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
 <tu><tuv xml:lang="en"><seg>Good <bpt i="1">&lt;b&gt;</bpt>night<ept i="1">&lt;/b&gt;</ept></seg></tuv>
     <tuv xml:lang="fr"><seg>Bonne nuit</seg></tuv></tu>
</body></tmx>"""
    (doc,) = read_tmx(io.BytesIO(other.encode()))
    assert [(s.lang, s.source, s.target) for s in doc.segments] == [
        ("en", "Hello", "Bonjour"),
        ("en", "Good <b>night</b>", "Bonne nuit"),
    ]
    assert doc.text == "Hello Good <b>night</b>"


def test_translate_toolkit_reads_the_same_pairs(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    docs = batch()
    path = tmp_path / "out.tmx"
    path.write_text(write_tmx(docs), encoding="utf-8")
    with path.open("rb") as fh:
        store = tmx.tmxfile(fh)
    got = [(u.getid(), u.source, u.target or None) for u in store.units]
    expected = [(f"{d.id}#{s.index}", s.source, s.target) for d in docs for s in d.segments]
    assert got == expected


@pytest.mark.parametrize(
    "docs",
    [batch(), [german()], [one_pair("a\x07 <b> & c", "d")], []],
    ids=["batch", "one-document", "control-chars", "no-documents"],
)
def test_valid_against_the_tmx_14b_dtd(docs) -> None:
    etree = pytest.importorskip("lxml.etree")
    dtd = etree.DTD(str(Path(__file__).parent / "cases" / "write" / "tmx14b.dtd"))
    root = etree.fromstring(write_tmx(docs).encode("utf-8"), etree.XMLParser(no_network=True))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()


def test_aligned_document_with_one_sided_links(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    doc = aligned()
    xml = write_tmx([doc])
    etree = pytest.importorskip("lxml.etree")
    dtd = etree.DTD(str(Path(__file__).parent / "cases" / "write" / "tmx14b.dtd"))
    assert dtd.validate(etree.fromstring(xml.encode("utf-8")))
    store = tmx.tmxfile(io.BytesIO(xml.encode("utf-8")))
    assert [(u.source, u.target or None) for u in store.units] == [(s.source, s.target) for s in doc.segments]
    (back,) = read_tmx(io.BytesIO(xml.encode("utf-8")))
    assert back.text == doc.text
    assert [(s.start, s.end, s.flags) for s in back.segments] == [
        (s.start, s.end, s.flags) for s in doc.segments
    ]
    assert [e.to_record() for e in back.edits] == [e.to_record() for e in doc.edits]
