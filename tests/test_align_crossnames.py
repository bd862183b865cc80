"""Names across aligned pairs, with the bundled glossary (Peskov/Peskow, Kozak/Kosak, Lavrov/Lawrow)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from transnorm.align.crossnames import add_name_check, cross_check_names
from transnorm.cli import main
from transnorm.document import Document, Segment
from transnorm.normalise import load_matcher

_MATCHERS: dict[str | None, object] = {}


def matcher_for(lang: str | None):
    if lang not in _MATCHERS:
        _MATCHERS[lang] = load_matcher(["bundled"], lang)
    return _MATCHERS[lang]


def aligned(pairs: list[tuple[str, str | None]], source_lang: str, target_lang: str) -> Document:
    text, segments = "", []
    for i, (src, tgt) in enumerate(pairs):
        start = len(text) + (1 if text else 0)
        text = f"{text} {src}" if text else src
        segments.append(Segment(i, start, start + len(src), src, target=tgt))
    return Document("d", text, lang=source_lang, target_lang=target_lang, segments=segments)


# (case, source language, target language, (source, target) pairs, expected findings written by hand)
CASES = [
    (
        "each side in its own canonical spelling",
        "en",
        "de",
        [("Dmitry Kozak met Dmitry Peskov.", "Dmitri Kosak traf Dmitri Peskow.")],
        [
            {
                "segment": 0,
                "kind": "spelling",
                "entity": "dmitry-kozak",
                "source": "Dmitry Kozak",
                "target": "Dmitri Kosak",
                "target_canonical": True,
            },
            {
                "segment": 0,
                "kind": "spelling",
                "entity": "dmitry-peskov",
                "source": "Dmitry Peskov",
                "target": "Dmitri Peskow",
                "target_canonical": True,
            },
        ],
    ),
    (
        "German spelling carried into the English translation",
        "de",
        "en",
        [("Dmitri Kosak schwieg.", "Dmitri Kosak remained silent.")],
        [
            {
                "segment": 0,
                "kind": "noncanonical_target",
                "entity": "dmitry-kozak",
                "source": "Dmitri Kosak",
                "target": "Dmitri Kosak",
                "target_canonical": False,
                "expected": "Dmitry Kozak",
            },
        ],
    ),
    (
        "the translation names someone else",
        "en",
        "de",
        [("Dmitry Kozak declined to comment.", "Dmitri Peskow lehnte einen Kommentar ab.")],
        [
            {
                "segment": 0,
                "kind": "different_entity",
                "entity": "dmitry-kozak",
                "source": "Dmitry Kozak",
                "target": "Dmitri Peskow",
                "other_entity": "dmitry-peskov",
            },
        ],
    ),
    (
        "an unknown spelling and an omitted name",
        "en",
        "de",
        [
            ("Sergei Lavrov arrived.", "Sergej Lawrov kam an."),
            ("Dmitry Peskov spoke.", "Der Sprecher sprach."),
            ("No names here.", None),
        ],
        [
            {
                "segment": 0,
                "kind": "unknown_spelling",
                "entity": "sergey-lavrov",
                "source": "Sergei Lavrov",
                "target": "Lawrov",
            },
            {"segment": 1, "kind": "missing_in_target", "entity": "dmitry-peskov", "source": "Dmitry Peskov"},
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "src_lang", "tgt_lang", "pairs", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_cross_check_names(name, src_lang, tgt_lang, pairs, expected) -> None:
    doc = aligned(pairs, src_lang, tgt_lang)
    found = [f.to_record() for f in cross_check_names(doc, matcher_for)]
    assert sorted(found, key=lambda r: (r["segment"], r["entity"])) == expected


def test_identical_canonical_names_are_not_reported() -> None:
    doc = aligned([("NATO met in Brussels.", "NATO met in Brussels.")], "en", "en")
    assert add_name_check(doc, matcher_for).metadata["name_check"] == []


def test_cli_check_names(tmp_path: Path) -> None:
    de, en = tmp_path / "de.txt", tmp_path / "en.txt"
    de.write_text("Dmitri Peskow sprach am Montag. Dmitri Kosak war nicht erreichbar.", encoding="utf-8")
    en.write_text("Dmitry Peskov spoke on Monday. Dmitri Kosak was not available.", encoding="utf-8")
    out = io.StringIO()
    code = main(["align", str(de), str(en), "--from", "de", "--to", "en", "--check-names"], stdout=out)
    assert code == 0
    (record,) = map(json.loads, out.getvalue().splitlines())
    kinds = [(f["segment"], f["kind"], f["entity"]) for f in record["metadata"]["name_check"]]
    assert kinds == [(0, "spelling", "dmitry-peskov"), (1, "noncanonical_target", "dmitry-kozak")]


def test_cli_check_names_uses_the_glossaries_of_config(tmp_path: Path) -> None:
    """`align --config` reads `normalise.glossaries` there: a glossary without Kozak reports only Peskov."""
    glossary = tmp_path / "spokesman.yaml"
    glossary.write_text(
        "version: '1'\nentries:\n  - id: dmitry-peskov\n    type: person\n"
        "    canonical: {en: Dmitry Peskov, de: Dmitri Peskow}\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text(f"[normalise]\nglossaries = [{json.dumps(str(glossary))}]\n", encoding="utf-8")
    de, en = tmp_path / "de.txt", tmp_path / "en.txt"
    de.write_text("Dmitri Peskow sprach am Montag. Dmitri Kosak war nicht erreichbar.", encoding="utf-8")
    en.write_text("Dmitry Peskov spoke on Monday. Dmitri Kosak was not available.", encoding="utf-8")
    argv = ["align", str(de), str(en), "--from", "de", "--to", "en", "--check-names", "--config", str(config)]
    out = io.StringIO()
    assert main(argv, stdout=out) == 0
    (record,) = map(json.loads, out.getvalue().splitlines())
    kinds = [(f["segment"], f["kind"], f["entity"]) for f in record["metadata"]["name_check"]]
    assert kinds == [(0, "spelling", "dmitry-peskov")]
