"""Source-anchored rewriting (`normalise/anchor.py`): cases as data in `tests/cases/anchor/<src>-<tgt>.json`.

Each case gives segments as [source, translation] pairs, the expected translations after the normalise
stage, and (optionally) the exact edits `[before, after, entity]`, all of which must have the rule
`source-anchored` unless the case names another `rule`. The stage also runs on `align` output records
and inside `Pipeline` after a translation engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from transnorm import Pipeline, PipelineConfig
from transnorm.document import Document, Segment
from transnorm.normalise.stage import NormaliseStage
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.stage import TranslateStage

CASES_DIR = Path(__file__).parent / "cases" / "anchor"


def _cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        src, tgt = path.stem.split("-")
        for case in json.loads(path.read_text(encoding="utf-8")):
            params.append(pytest.param(src, tgt, case, id=f"{path.stem}-{case['id']}"))
    return params


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matcher-cache")


@pytest.fixture(scope="module")
def stage(cache: Path) -> NormaliseStage:
    return NormaliseStage(PipelineConfig().with_overrides(normalise={"cache_dir": str(cache)}))


def _document(pairs: Sequence[Sequence[str]], src: str, tgt: str) -> Document:
    doc = Document("d", " ".join(s for s, _ in pairs), lang=src, target_lang=tgt)
    pos = 0
    for i, (source, target) in enumerate(pairs):
        doc.segments.append(Segment(i, pos, pos + len(source), source, lang=src, target=target))
        pos += len(source) + 1
    return doc


@pytest.mark.parametrize(("src", "tgt", "case"), _cases())
def test_case(src: str, tgt: str, case: dict, stage: NormaliseStage) -> None:
    doc = stage(_document(case["segments"], src, tgt))
    assert [s.target for s in doc.segments] == case["expect"]
    for edit in doc.edits:
        assert doc.segments[edit.segment].target[edit.span[0] : edit.span[1]] == edit.after
    if "edits" in case:
        assert [[e.before, e.after, e.entity] for e in doc.edits] == case["edits"]
        assert all(e.rule == case.get("rule", "source-anchored") for e in doc.edits)
    elif "rule" in case:
        assert [e.rule for e in doc.edits] == [case["rule"]]


def test_switched_off_by_config(cache: Path) -> None:
    cfg = PipelineConfig().with_overrides(normalise={"cache_dir": str(cache), "source_anchored": False})
    doc = NormaliseStage(cfg)(
        _document([["Олег Тиньков продал банк.", "Oleg Tinkou sold the bank."]], "ru", "en")
    )
    assert doc.segments[0].target == "Oleg Tinkou sold the bank." and doc.edits == []


def test_align_output_record(stage: NormaliseStage) -> None:
    """A record as `transnorm align` writes it (source and target per segment) is anchored the same way."""
    doc = _document([["Олег Тиньков продал банк.", "Oleg Tinkou sold the bank."]], "ru", "en")
    record = json.loads(json.dumps(doc.to_record(), ensure_ascii=False))
    out = stage(Document.from_record(record))
    assert out.segments[0].target == "Oleg Tinkov sold the bank."
    assert [e.to_record()["rule"] for e in out.edits] == ["source-anchored"]


class _Phrasebook(TranslationEngine):
    """Translates by looking sentences up: stands in for an MT system that misspells a name."""

    name = "phrasebook"

    def __init__(self, book: dict[str, str]) -> None:
        super().__init__()
        self.book = book

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang != target_lang

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="phrasebook")

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        return [self.book[t] for t in texts]


def test_run_pipeline_anchors_after_translation(cache: Path) -> None:
    book = {
        "Олег Тиньков продал свой банк в прошлом году.": "Oleg Tinkou sold his bank last year.",
        "Тинькова критиковали в Москве.": "Tinkou's critics in Moskow spoke.",
    }
    cfg = PipelineConfig(stages=("segment", "translate", "normalise")).with_overrides(
        source_lang="ru",
        translate={"engine": "phrasebook", "cache": False, "quality_checks": False},
        normalise={"cache_dir": str(cache)},
    )
    translate = TranslateStage(cfg, engines={"phrasebook": _Phrasebook(book)})
    with Pipeline(cfg, stages={"translate": translate}) as pipe:
        (doc,) = pipe.run([Document("a", " ".join(book))])
    assert [s.target for s in doc.segments] == [
        "Oleg Tinkov sold his bank last year.",
        "Tinkov's critics in Moscow spoke.",
    ]
    assert {(e.before, e.after, e.rule) for e in doc.edits} == {
        ("Oleg Tinkou", "Oleg Tinkov", "source-anchored"),
        ("Tinkou's", "Tinkov's", "source-anchored"),
        ("Moskow", "Moscow", "source-anchored"),
    }
