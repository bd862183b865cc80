"""The glossary's data: an entry (one entity and its spellings) and a problem found in a file.

Every glossary format (YAML, TSV/CSV in `glossary`, TBX in `tbx`) builds these; nothing here reads
a file, so the format parsers and the loader sit above this module, side by side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a glossary file, at a line (0 when the whole file is at fault)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One entity: its canonical spelling per language and every other spelling it goes by.

    `canonical['en']` always exists. `native` holds forms in the entity's own script (`ru`, `uk`);
    `variants` are explicit other spellings (a one-word variant of a person is a surname form).
    `surname_unambiguous` lets a surname alone be rewritten without the full name nearby.
    """

    id: str
    canonical: Mapping[str, str]
    type: str = "person"
    native: Mapping[str, str] = field(default_factory=dict)
    variants: tuple[str, ...] = ()
    gender: str | None = None
    surname_unambiguous: bool = False
    role: str | None = None
    source: str = ""
    line: int = 0
    keys: frozenset[str] = frozenset()
    """The keys the file wrote for this entry (YAML); empty for TSV/TBX rows, which give spellings only."""

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source

    def canonical_for(self, lang: str | None) -> str:
        """The spelling used in text of `lang`: its canonical form, its native form, else English."""
        if lang:
            if lang in self.canonical:
                return self.canonical[lang]
            if lang in self.native:
                return self.native[lang]
        return self.canonical["en"]

    def explicit_forms(self) -> list[tuple[str, str]]:
        """Every spelling the file gives, with where it comes from (`canonical:de`, `variant`, ...)."""
        forms = [(text, f"canonical:{lang}") for lang, text in self.canonical.items()]
        forms += [(text, f"native:{lang}") for lang, text in self.native.items()]
        forms += [(text, "variant") for text in self.variants]
        return forms


def nfc(text: str) -> str:
    """`text` in Unicode NFC with its runs of white space folded to one space: how spellings are kept."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).split())


def unique_slug(text: str, used: set[str]) -> str:
    """An entry id made from `text` (ASCII, lower case, dashes), not yet in `used` (which it joins)."""
    from unidecode import unidecode

    base = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "entry"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug
