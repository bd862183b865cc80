"""Glossary loading: YAML, TSV, CSV and TBX; errors with file and line; conflicts naming both entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from transnorm.normalise import load_glossaries, load_glossary, load_matcher, normalise_text
from transnorm.normalise.glossary import GlossaryError, resolve_glossaries

GOOD = """\
version: "2026.1.1"
description: test
entries:
  - id: dmitry-peskov
    type: person
    gender: m
    canonical: {en: Dmitry Peskov, de: Dmitri Peskow}
    native: {ru: Дмитрий Песков}
    variants: [Dimitri Peskov]
    surname_unambiguous: true
  - id: tass
    type: organisation
    canonical: {en: TASS}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_loads_with_version(tmp_path: Path) -> None:
    g = load_glossary(_write(tmp_path, "g.yaml", GOOD))
    assert [e.id for e in g.entries] == ["dmitry-peskov", "tass"]
    assert g.files[0].version == "2026.1.1"
    assert g.entries[0].canonical_for("de") == "Dmitri Peskow"
    assert g.entries[0].canonical_for("fr") == "Dmitry Peskov"
    assert g.entries[0].canonical_for("ru") == "Дмитрий Песков"
    assert "g@2026.1.1#" in g.signature


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("    gender: male\n", "gender"),
        ("    canonical: {de: Dmitri Peskow}\n", "English"),
        ("    aliases: [x]\n", "unknown key"),
        ("    surname_unambiguous: maybe\n", "surname_unambiguous"),
    ],
)
def test_yaml_errors_give_file_and_line(tmp_path: Path, change: str, words: str) -> None:
    text = GOOD + "  - id: broken\n    type: person\n" + change
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    entry_line = GOOD.count("\n") + 1  # the line of "- id: broken"
    assert f"{path}:{entry_line}: broken:" in message
    assert words in message


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD + "  - id: [unclosed\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert f"{path}:" in str(info.value) and "invalid YAML" in str(info.value)


def test_conflict_names_both_entities(tmp_path: Path) -> None:
    text = (
        GOOD
        + "  - id: other\n    type: person\n    canonical: {en: Other Person}\n    variants: [Dimitri PESKOV]\n"
    )
    with pytest.raises(GlossaryError) as info:
        load_glossary(_write(tmp_path, "c.yaml", text))
    message = str(info.value)
    assert "'other'" in message and "'dmitry-peskov'" in message and info.value.code == "E503"


def test_tsv_and_csv(tmp_path: Path) -> None:
    tsv = _write(tmp_path, "g.tsv", "variant\tcanonical\nPeskow\tPeskov\nPeskoff\tPeskov\nKosak\tKozak\n")
    g = load_glossary(tsv)
    assert {e.canonical["en"]: set(e.variants) for e in g.entries} == {
        "Peskov": {"Peskow", "Peskoff"},
        "Kozak": {"Kosak"},
    }
    csv_path = _write(tmp_path, "g.csv", 'Peskow,Peskov\n"Lawrow",Lavrov\n')
    assert len(load_glossary(csv_path)) == 2
    bad = _write(tmp_path, "bad.tsv", "Peskow\tPeskov\nonly-one-column\n")
    with pytest.raises(GlossaryError, match=r"bad\.tsv:2"):
        load_glossary(bad)


def test_tbx(tmp_path: Path) -> None:
    tbx = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" xml:lang="en"><text><body>
 <termEntry id="peskov">
  <langSet xml:lang="en">
   <tig><term>Dmitry Peskov</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
   <tig><term>Dimitri Peskov</term></tig>
  </langSet>
  <langSet xml:lang="de"><tig><term>Dmitri Peskow</term></tig></langSet>
 </termEntry>
</body></text></tbx>
"""
    g = load_glossary(_write(tmp_path, "g.tbx", tbx))
    (entry,) = g.entries
    assert entry.canonical == {"en": "Dmitry Peskov", "de": "Dmitri Peskow"}
    assert entry.variants == ("Dimitri Peskov",)
    broken = _write(tmp_path, "bad.tbx", tbx.replace("</langSet>\n </termEntry>", "</termEntry>"))
    with pytest.raises(GlossaryError, match=r"bad\.tbx:\d+: invalid XML"):
        load_glossary(broken)


def test_user_glossary_normalises(tmp_path: Path) -> None:
    path = _write(tmp_path, "g.tsv", "Kosak\tKozak\n")
    matcher = load_matcher([str(path)], "en", cache_dir=tmp_path / "cache")
    text, edits = normalise_text("Kosak and Kosaken.", matcher)
    assert text == "Kozak and Kosaken." and edits[0].rule == "explicit"


def test_bundled_and_named_lookup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    names = {p.stem for p in resolve_glossaries(["bundled"])}
    assert "people-russia-ukraine-belarus" in names
    assert resolve_glossaries(["people-world"])[0].stem == "people-world"
    _write(tmp_path, "mine.yaml", GOOD)
    monkeypatch.setenv("TRANSNORM_GLOSSARY_DIR", str(tmp_path))
    assert [p.name for p in resolve_glossaries(["bundled"])] == ["mine.yaml"]
    with pytest.raises(GlossaryError, match="not found"):
        resolve_glossaries(["no-such-glossary"])


def test_later_file_overrides_same_id(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", GOOD)
    b = _write(tmp_path, "b.yaml", GOOD.replace("Dmitry Peskov, de", "Dmitriy Peskov, de"))
    g = load_glossaries([str(a), str(b)])
    assert g.get("dmitry-peskov").canonical["en"] == "Dmitriy Peskov"


def test_cache_is_reused_and_invalidated(tmp_path: Path) -> None:
    path = _write(tmp_path, "g.yaml", GOOD)
    cache = tmp_path / "cache"
    load_matcher([str(path)], "en", cache_dir=cache)
    files = list(cache.iterdir())
    assert len(files) == 1
    load_matcher([str(path)], "en", cache_dir=cache)
    assert list(cache.iterdir()) == files
    path.write_text(GOOD.replace("TASS", "Tass"), encoding="utf-8")
    m = load_matcher([str(path)], "en", cache_dir=cache)
    assert len(list(cache.iterdir())) == 2 and m.glossary.get("tass").canonical["en"] == "Tass"


HOUSE_STYLE = """\
version: "2026.1.1"
description: an agency's house style over the bundled set
entries:
  - id: sergey-lavrov
    canonical: {en: Sergei Lavrov}
"""


def test_layer_overrides_canonical_by_id_and_keeps_the_rest(tmp_path: Path) -> None:
    house = _write(tmp_path, "house.yaml", HOUSE_STYLE)
    g = load_glossaries(["bundled", str(house)])
    lavrov = g.get("sergey-lavrov")
    assert lavrov.canonical["en"] == "Sergei Lavrov"
    assert lavrov.canonical["de"] == "Sergej Lawrow" and lavrov.native["ru"] == "Сергей Лавров"
    assert lavrov.type == "person" and lavrov.gender == "m" and lavrov.surname_unambiguous
    assert "Sergey Lavrov" in lavrov.variants and "Sergei Lavrov" not in lavrov.variants
    assert g.get("dmitry-peskov") is not None and len(g) == len(load_glossaries(["bundled"]))
    matcher = load_matcher(["bundled", str(house)], "en", cache_dir=tmp_path / "cache")
    text, edits = normalise_text("Sergey Lavrov met Peskow; Lawrow and Сергей Лавров.", matcher)
    assert text == "Sergei Lavrov met Peskov; Lavrov and Sergei Lavrov."
    assert ("Sergey Lavrov", "Sergei Lavrov", "sergey-lavrov") in [
        (e.before, e.after, e.entity) for e in edits
    ]


def test_layer_changes_only_the_keys_it_writes(tmp_path: Path) -> None:
    base = _write(tmp_path, "a.yaml", GOOD)
    top = _write(
        tmp_path,
        "b.yaml",
        'version: "1"\nentries:\n  - id: dmitry-peskov\n    canonical: {en: Dmitri Peskov}\n'
        "    variants: [Peskoff]\n    surname_unambiguous: false\n",
    )
    e = load_glossaries([str(base), str(top)]).get("dmitry-peskov")
    assert e.canonical == {"en": "Dmitri Peskov", "de": "Dmitri Peskow"}
    assert e.native == {"ru": "Дмитрий Песков"} and e.gender == "m" and e.surname_unambiguous is False
    assert e.variants == ("Dimitri Peskov", "Dmitry Peskov", "Peskoff")


def test_later_layer_takes_a_spelling_from_another_entity(tmp_path: Path) -> None:
    base = _write(tmp_path, "a.yaml", GOOD)
    top = _write(
        tmp_path,
        "b.yaml",
        'version: "1"\nentries:\n  - id: d-peskov-jr\n    canonical: {en: Dimitri Peskov}\n',
    )
    g = load_glossaries([str(base), str(top)])
    assert g.get("dmitry-peskov").variants == () and g.get("d-peskov-jr").canonical["en"] == "Dimitri Peskov"
    clash = _write(tmp_path, "c.yaml", 'version: "1"\nentries:\n  - id: tass-2\n    canonical: {en: TASS}\n')
    assert load_glossaries([str(base), str(clash)]).get("tass") is None  # its only name now names tass-2


def test_conflict_within_one_layer_is_still_an_error(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", GOOD)
    folder = tmp_path / "layer"
    folder.mkdir()
    _write(folder, "a.yaml", GOOD)
    _write(folder, "b.yaml", 'version: "1"\nentries:\n  - id: tass-2\n    canonical: {en: TASS}\n')
    with pytest.raises(GlossaryError) as err:
        load_glossaries([str(a), str(folder)])
    assert err.value.code == "E503"
