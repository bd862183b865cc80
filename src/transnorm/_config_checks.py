"""The value checks of the configuration, by key: ranges, language codes, tables, paths, stage order.

`transnorm.config` checks each value's type, then runs the check registered here under its key
(`CHECKS["detect.max_chars"]`). A check returns the settled value (a language code normalised, a
table made read-only) or raises a `ConfigError` that starts with the key. One table, so that a new
option gets its check next to the others, and a test can see which keys have one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from transnorm.errors import ConfigError
from transnorm.langcodes import check_lang, is_known_lang


def _at_least(minimum: int) -> Any:
    def check(value: int, where: str) -> int:
        if value < minimum:
            raise ConfigError(f"{where}: must be >= {minimum}, got {value!r}")
        return value

    return check


def _between(low: float, high: float) -> Any:
    def check(value: float, where: str) -> float:
        if not low <= value <= high:  # NaN fails too
            raise ConfigError(f"{where}: must be between {low:g} and {high:g}, got {value!r}")
        return value

    return check


def _positive(value: float, where: str) -> float:
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{where}: must be a number > 0, got {value!r}")
    return value


def _one_of(*choices: str) -> Any:
    def check(value: str, where: str) -> str:
        if value not in choices:
            raise ConfigError(f"{where}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
        return value

    return check


def _lang(value: str | None, where: str) -> str | None:
    return None if value is None else check_lang(value, where)


def _lang_or_empty(value: str | None, where: str) -> str | None:
    return value if value in (None, "") else check_lang(value, where)


def _langs(value: tuple[str, ...], where: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(check_lang(v, f"{where}[{i}]") for i, v in enumerate(value)))


def _priors(value: Mapping[str, float], where: str) -> Mapping[str, float]:
    out = {}
    for code, weight in value.items():
        key = check_lang(code, f"{where}.{code}")
        if not math.isfinite(weight) or weight < 0:
            raise ConfigError(f"{where}.{code}: a weight must be a finite number >= 0, got {weight!r}")
        out[key] = weight
    return MappingProxyType(out)


def _model_table(value: Mapping[str, str], where: str) -> Mapping[str, str]:
    out = {}
    for pair, model in value.items():
        src, tgt = _split_pair(pair, f"{where}.{pair}")
        if not model:
            raise ConfigError(f"{where}.{pair}: empty model id")
        out[f"{src}-{tgt}"] = model
    return MappingProxyType(out)


def _split_pair(pair: str, where: str) -> tuple[str, str]:
    """`"de-en"` -> `("de", "en")`, `"pt-BR-en"` -> `("pt", "en")`, `"*-en"` -> `("*", "en")`.

    With more than two subtags, a lower-case subtag of 2-3 letters (or `*`) starts a language and
    anything else (`BR`, `Latn`, `419`) qualifies the one before, as in BCP 47 tags written as usual.
    """
    parts = pair.split("-")
    if len(parts) == 2:
        groups = [[parts[0]], [parts[1]]]
    else:
        groups = []
        for i, part in enumerate(parts):
            starts = part == "*" or (part.isalpha() and part.islower() and len(part) <= 3)
            if i == 0 or starts:
                groups.append([part])
            else:
                groups[-1].append(part)
    if len(groups) != 2 or not all(g[0] == "*" or is_known_lang("-".join(g)) for g in groups):
        raise ConfigError(f"{where}: a key is 'source-target' with language codes, such as 'de-en' or '*-en'")
    src, tgt = ("*" if g[0] == "*" else check_lang("-".join(g), where) for g in groups)
    return src, tgt


def _model_pattern(value: str, where: str) -> str:
    if value:
        try:
            value.format(src="de", tgt="en")
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"{where}: {value!r} is not a pattern with only {{src}} and {{tgt}} fields ({exc!r})"
            ) from None
    return value


def _engine_names(value: tuple[str, ...], where: str) -> tuple[str, ...]:
    for i, name in enumerate(value):
        if not name.strip():
            raise ConfigError(f"{where}[{i}]: empty engine name")
    return value


def _engine_options(value: Mapping[str, Mapping[str, Any]], where: str) -> Mapping[str, Mapping[str, Any]]:
    for name, opts in value.items():
        if not isinstance(opts, Mapping):
            raise ConfigError(f"{where}.{name}: expected a table of options, got {opts!r}")
    return MappingProxyType({name: MappingProxyType(dict(opts)) for name, opts in value.items()})


def _not_a_directory(value: str | None, where: str) -> str | None:
    if value is not None and (not value or Path(value).expanduser().is_dir()):
        raise ConfigError(f"{where}: {value!r} is a directory, not a file path; name the cache file")
    return value


def _a_directory(value: str | None, where: str) -> str | None:
    if value is not None:
        p = Path(value).expanduser()
        if not value or (p.exists() and not p.is_dir()):
            raise ConfigError(f"{where}: {value!r} is not a directory")
    return value


def _output_format(value: str, where: str) -> str:
    from transnorm.write.formats import writer_formats

    if value not in writer_formats():
        raise ConfigError(
            f"{where}: unknown output format {value!r}; available: {', '.join(writer_formats())}"
        )
    return value


def _stage_names(value: tuple[str, ...], where: str) -> tuple[str, ...]:
    from transnorm.stages import STAGE_NAMES

    unknown = [s for s in value if s not in STAGE_NAMES]
    if unknown:
        raise ConfigError(f"{where}: unknown stage {unknown[0]!r}; known stages: {', '.join(STAGE_NAMES)}")
    if not value:
        raise ConfigError(f"{where}: empty; name the stages to run, in order: {', '.join(STAGE_NAMES)}")
    if len(set(value)) != len(value) or list(value) != sorted(value, key=STAGE_NAMES.index):
        raise ConfigError(
            f"{where}: {list(value)} is out of order or repeats a stage; stages run in this order: "
            f"{', '.join(STAGE_NAMES)} (leave out the ones you do not want)"
        )
    return value


# Checks beyond the type, by key. A key missing here needs only its type (booleans, free strings).
CHECKS: dict[str, Any] = {
    "stages": _stage_names,
    "target_lang": check_lang,
    "source_lang": _lang,
    "max_document_chars": _at_least(1),
    "detect.seed": _at_least(0),
    "detect.min_letters": _at_least(0),
    "detect.allowed": _langs,
    "detect.priors": _priors,
    "detect.max_chars": _at_least(1),
    "detect.segment_min_letters": _at_least(0),
    "detect.segment_max_chars": _at_least(1),
    "detect.min_confidence": _between(0.0, 1.0),
    "detect.fallback": _lang_or_empty,
    "detect.segment_prior": _positive,
    "segment.max_chars": _at_least(20),
    "translate.engines": _engine_names,
    "translate.batch_size": _at_least(1),
    "translate.window_docs": _at_least(1),
    "translate.batch_wait_ms": _at_least(0),
    "translate.engine_options": _engine_options,
    "translate.cache_path": _not_a_directory,
    "translate.models": _model_table,
    "translate.model_pattern": _model_pattern,
    "translate.pivot_lang": _lang_or_empty,
    "translate.max_batch_tokens": _at_least(1),
    "normalise.lang": _lang,
    "normalise.side": _one_of("source", "target"),
    "normalise.cache_dir": _a_directory,
    "write.format": _output_format,
}
