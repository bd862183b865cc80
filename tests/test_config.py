"""The config: defaults, the documented default.toml, and errors that name the key at fault."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from transnorm.config import PipelineConfig, config_from_dict, load_config
from transnorm.errors import ConfigError

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
