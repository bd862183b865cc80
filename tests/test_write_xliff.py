"""XLIFF 2.1 writer: structure, glossary annotations, escaping, and translate-toolkit as a consumer."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from write_samples import ESCAPING_CASES, aligned, batch, german, one_pair, render

NS = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": "urn:oasis:names:tc:xliff:metadata:2.0"}
X = "{urn:oasis:names:tc:xliff:document:2.0}"
CASES = ESCAPING_CASES


def write_xliff(docs) -> str:
    return render("xliff", docs)


def metas(el: ET.Element, category: str) -> list[tuple[str, str]]:
    group = el.find(f"mda:metadata/mda:metaGroup[@category='{category}']", NS)
    if group is None:
        return []
    return [(m.get("type"), m.text or "") for m in group.findall("mda:meta", NS)]


def notes(el: ET.Element) -> list[tuple[str, str]]:
    return [(n.get("category"), n.text or "") for n in el.findall("x:notes/x:note", NS)]


def test_root_is_xliff_21_with_languages() -> None:
    root = ET.fromstring(write_xliff([german()]))
    assert root.tag == f"{X}xliff"
    assert root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("de", "en")


def test_one_file_per_document_with_unique_ids() -> None:
    root = ET.fromstring(write_xliff(batch()))
    files = root.findall("x:file", NS)
    assert [f.get("original") for f in files] == ["dpa-2022-01-12", "aljazeera-77", "tass-5", "empty-17"]
    assert len({f.get("id") for f in files}) == 4
    for f in files:
        unit_ids = [u.get("id") for u in f.findall("x:unit", NS)]
        assert unit_ids and len(set(unit_ids)) == len(unit_ids)


def test_mixed_source_languages_are_mul_with_each_file_real_language() -> None:
    root = ET.fromstring(write_xliff(batch()))
    assert root.get("srcLang") == "mul"
    langs = [dict(metas(f, "transnorm-document"))["source-lang"] for f in root.findall("x:file", NS)]
    assert langs == ["de", "ar", "ru", "und"]


def test_file_carries_the_run_signature() -> None:
    f = ET.fromstring(write_xliff([german()])).find("x:file", NS)
    sig = dict(metas(f, "transnorm-signature"))
    assert sig["transnorm"] == "0.1.0"
    assert sig["engine"] == "marian"
    assert sig["model"] == "opus-mt-de-en"
    assert sig["glossary"] == "names-2025.02"
    assert ("warning", "glossary names-2025.02 is older than 90 days") in notes(f)


def test_units_segments_and_states() -> None:
    root = ET.fromstring(write_xliff(batch()))
    de, _, ru, _ = root.findall("x:file", NS)
    units = de.findall("x:unit", NS)
    assert len(units) == 3
    seg = units[1].find("x:segment", NS)
    assert seg.get("state") == "translated"
    assert seg.find("x:source", NS).text == "Der Nato-Russland-Rat tagte in Brüssel."
    assert seg.find("x:target", NS).text == "The NATO-Russia Council met in Brussels."
    assert ("flag", "length-ratio") in metas(units[1], "transnorm-segment")
    assert ("quality", "flag: length-ratio") in notes(units[1])
    untranslated = ru.findall("x:unit", NS)[1]
    seg = untranslated.find("x:segment", NS)
    assert seg.get("state") == "initial"
    assert seg.find("x:target", NS) is None
    assert ("error", "translate E302: engine failed: timeout") in notes(untranslated)


def test_element_order_in_unit_and_file() -> None:
    """Modules first, then notes, then segments (unit) or units (file), as the schema requires."""
    for f in ET.fromstring(write_xliff(batch())).findall("x:file", NS):
        tags = [c.tag.split("}")[1] for c in f]
        assert tags[0] == "metadata"
        assert tags[-1] == "unit"
        assert tags == sorted(tags, key=["metadata", "notes", "unit"].index)
        for unit in f.findall("x:unit", NS):
            tags = [c.tag.split("}")[1] for c in unit]
            assert tags == sorted(tags, key=["metadata", "notes", "segment"].index)


def test_glossary_rewrite_is_an_mrk_and_a_note() -> None:
    unit = ET.fromstring(write_xliff([german()])).find("x:file/x:unit", NS)
    target = unit.find("x:segment/x:target", NS)
    (mrk,) = target.findall("x:mrk", NS)
    assert mrk.text == "Peskov"
    assert mrk.get("type") == "comment"
    assert mrk.get("value") == "glossary: was Peskow; rule: glossary:person; entity: Q-Peskov"
    assert "".join(target.itertext()) == "Kremlin spokesman Dmitry Peskov said Moscow was disappointed."
    assert ("glossary", "Peskow → Peskov (rule: glossary:person, entity: Q-Peskov)") in notes(unit)


def test_rewrite_with_stale_offsets_is_kept_as_a_note_only() -> None:
    doc = german()
    doc.edits[0].span = (3, 9)  # no longer covers "Peskov"
    unit = ET.fromstring(write_xliff([doc])).find("x:file/x:unit", NS)
    assert unit.find("x:segment/x:target/x:mrk", NS) is None
    assert any(cat == "glossary" and "Peskow → Peskov" in text for cat, text in notes(unit))


def test_failed_document_is_a_file_with_its_error_and_an_untranslatable_unit() -> None:
    f = ET.fromstring(write_xliff(batch())).findall("x:file", NS)[3]
    assert ("error", "read E104: document is empty or contains only whitespace") in notes(f)
    (unit,) = f.findall("x:unit", NS)
    assert unit.get("translate") == "no"
    assert unit.find("x:segment", NS) is not None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_escaping_gives_well_formed_xml_and_the_text_back(case: dict) -> None:
    root = ET.fromstring(write_xliff([one_pair(case["text"], case["text"])]))
    seg = root.find("x:file/x:unit/x:segment", NS)
    assert seg.find("x:source", NS).text == case["expected"]
    assert seg.find("x:target", NS).text == case["expected"]
    file_notes = notes(root.find("x:file", NS))
    expected = [("transnorm", f"{2 * case['replaced']} characters not allowed in XML replaced with U+FFFD")]
    assert [n for n in file_notes if n[0] == "transnorm"] == (expected if case["replaced"] else [])


def test_translate_toolkit_reads_the_same_pairs(tmp_path: Path) -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    docs = batch()
    path = tmp_path / "out.xlf"
    path.write_text(write_xliff(docs), encoding="utf-8")
    with path.open("rb") as fh:
        store = xliff2.Xliff2File(fh)
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("mul", "en")
    assert store.getfilenames() == ["f1", "f2", "f3", "f4"]
    got = [(u.source, u.target or None) for u in store.units if u.istranslatable()]
    expected = [(s.source, s.target) for d in docs for s in d.segments]
    assert got == expected
    assert [u.isfuzzy() or u.istranslated() for u in store.units if u.istranslatable()] == [
        s.target is not None for d in docs for s in d.segments
    ]


def test_aligned_document_with_one_sided_links_and_a_source_rewrite() -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    doc = aligned()
    xml = write_xliff([doc])
    units = ET.fromstring(xml).findall("x:file/x:unit", NS)
    (mrk,) = units[0].findall("x:segment/x:source/x:mrk", NS)
    assert (mrk.text, mrk.get("value")) == (
        "Peskov",
        "glossary: was Peskow; rule: glossary:person; entity: Q-Peskov",
    )
    assert [u.find("x:segment", NS).get("state") for u in units] == [
        "translated",
        "translated",
        "initial",
        "translated",
    ]
    store = xliff2.Xliff2File(io.BytesIO(xml.encode("utf-8")))
    assert [(u.source, u.target or None) for u in store.units] == [(s.source, s.target) for s in doc.segments]
