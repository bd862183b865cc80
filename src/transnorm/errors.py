"""Exceptions and the user-facing error codes of transnorm.

Codes are stable so that users can search for them and scripts can count them (spaCy numbers its
errors the same way). Messages say what went wrong and what to do about it.
"""

from __future__ import annotations


class TransnormError(Exception):
    """Base class of every error transnorm raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ConfigError(TransnormError):
    """The configuration (file or command line) is invalid; nothing was processed."""

    code = "E001"


class InputError(TransnormError):
    """One input document cannot be read or decoded."""

    code = "E100"


class EngineError(TransnormError):
    """A translation engine cannot translate (missing model, unsupported pair, runtime failure)."""

    code = "E300"


class OutputError(TransnormError):
    """The output cannot be written (unwritable path, disk full); earlier output is left intact."""

    code = "E400"


class OptionError(ConfigError, ValueError):
    """A library function was given an option it cannot honour (a detector setting, a transliteration
    scheme). A `ValueError` too, so that callers of the plain library catch it as they would expect."""


class WrongTypeError(TransnormError, TypeError):
    """A library function was given a value of the wrong type (a `TypeError` too)."""

    code = "E003"


class MissingDependencyError(TransnormError, ImportError):
    """An optional dependency is not installed; the message carries the pip line that fixes it."""

    code = "E002"


# Usage (E0xx)
E_WRONG_TYPE = "E003"
# Input (E1xx)
E_MISSING_FILE = "E101"
E_INVALID_UTF8 = "E102"
E_BINARY = "E103"
E_EMPTY = "E104"
E_BAD_JSON = "E105"
E_BAD_RECORD = "E106"
E_TOO_LARGE = "E107"
E_UNREADABLE = "E108"
E_DUPLICATE_INPUT = "E109"
# Detection (E2xx)
E_DETECT_OPTION = "E202"
E_NOT_TEXT = "E203"
# Translation (E3xx)
E_NO_ENGINE = "E301"
E_ENGINE_FAILED = "E302"
E_MODEL_UNAVAILABLE = "E303"
E_NO_SOURCE_LANG = "E304"
# Output (E4xx)
E_OUTPUT_IS_INPUT = "E401"
E_RESUME_MISMATCH = "E402"
E_OUTPUT_LOCKED = "E403"
# Glossaries (E5xx)
E_GLOSSARY_INVALID = "E501"
E_GLOSSARY_NOT_FOUND = "E502"
E_GLOSSARY_CONFLICT = "E503"
E_TRANSLIT_OPTION = "E504"
# Alignment (E6xx)
E_NO_PARTNER = "E601"
E_ALIGN_FALLBACK = "E602"
# Stage failures that were not anticipated (E9xx): a bug, reported with the stage name
E_STAGE_CRASHED = "E901"


def missing_dependency(package: str, extra: str, purpose: str) -> MissingDependencyError:
    """The error to raise when an optional dependency is needed but absent."""
    return MissingDependencyError(
        f"{purpose} needs the '{package}' package, which is not installed. "
        f"Install it with: pip install 'transnorm[{extra}]'"
    )


_QUOTE_LIMIT = 80


def quote(value: object, limit: int = _QUOTE_LIMIT) -> str:
    """`repr(value)` cut to about `limit` characters, for quoting user input in an error message.

    A value from a file can be megabytes long or nested thousands deep; quoting it whole makes the
    message itself the problem (a 342-byte YAML file of nested aliases once gave a 34.7 MB message).
    `reprlib` bounds the work as well as the result: it never walks more than a few items per level.
    """
    import reprlib

    if isinstance(value, str) and len(value) > limit:
        return f"{value[: max(limit - 30, 8)]!r}... ({len(value)} characters)"
    shortener = reprlib.Repr()
    shortener.maxlevel = 3
    shortener.maxstring = shortener.maxother = max(limit, 12)
    shortener.maxlist = shortener.maxtuple = shortener.maxdict = shortener.maxset = 6
    shortener.maxfrozenset = shortener.maxdeque = shortener.maxarray = 6
    text = shortener.repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 25]}... ({_size(value)})"


def _size(value: object) -> str:
    """How big a cut value is, in the terms a user would count: characters or items."""
    try:
        n = len(value)  # type: ignore[arg-type]
    except TypeError:
        return "cut"
    return f"{n} item{'' if n == 1 else 's'}"
