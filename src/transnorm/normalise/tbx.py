"""TBX import: term bases exported by CAT tools (TBX-Basic 2.0 and TBX v3 element names).

Each concept (`termEntry` / `conceptEntry`) becomes one glossary entry. In each language section
(`langSet` / `langSec`) the term marked `preferredTerm-admn-sts` (or `preferred`), else the first
term, is that language's canonical form; the others are variants. A concept without English takes
its first language's preferred term as `canonical.en`, so that every entry has a fallback form.
Parsed with expat so that every problem carries its line; DTDs and entities are not expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from transnorm.document import UNDETERMINED
from transnorm.normalise.entry import Entry, Problem, nfc, unique_slug

_CONCEPT = {"termEntry", "conceptEntry"}
_LANG = {"langSet", "langSec"}
_TERM_GROUP = {"tig", "ntig", "termSec"}
_PREFERRED = {"preferredterm-admn-sts", "preferred", "preferredterm"}
_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"


@dataclass
class _Concept:
    id: str | None
    line: int
    langs: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)


class _Handler:
    def __init__(self, path: str, parser: expat.XMLParserType) -> None:
        self.path = path
        self.parser = parser
        self.concepts: list[_Concept] = []
        self.problems: list[Problem] = []
        self.concept: _Concept | None = None
        self.lang: str | None = None
        self.term: list[str] | None = None
        self.term_line = 0
        self.note: list[str] | None = None
        self.group: list[tuple[str, bool]] | None = None

    @staticmethod
    def _local(name: str) -> str:
        return name.rsplit(" ", 1)[-1]

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self._local(name)
        line = self.parser.CurrentLineNumber
        if local in _CONCEPT:
            self.concept = _Concept(attrs.get("id"), line)
        elif local in _LANG and self.concept is not None:
            lang = attrs.get(_XML_LANG) or attrs.get("xml:lang") or attrs.get("lang")
            if not lang:
                self.problems.append(Problem(self.path, line, f"<{local}> without xml:lang"))
            self.lang = (lang or UNDETERMINED).split("-")[0].lower()
            self.concept.langs.setdefault(self.lang, [])
        elif local in _TERM_GROUP:
            self.group = []
        elif local == "term":
            self.term, self.term_line = [], line
        elif local == "termNote" and attrs.get("type") == "administrativeStatus":
            self.note = []

    def end(self, name: str) -> None:
        local = self._local(name)
        if local == "term" and self.term is not None:
            text = nfc("".join(self.term))
            if not text:
                self.problems.append(Problem(self.path, self.term_line, "empty <term>"))
            elif self.concept is None or self.lang is None:
                self.problems.append(Problem(self.path, self.term_line, "<term> outside a concept/language"))
            elif self.group is not None:
                self.group.append((text, False))
            else:
                self.concept.langs[self.lang].append((text, False))
            self.term = None
        elif local == "termNote" and self.note is not None:
            if self.group and "".join(self.note).strip().lower() in _PREFERRED:
                self.group[-1] = (self.group[-1][0], True)
            self.note = None
        elif local in _TERM_GROUP and self.group is not None:
            if self.concept is not None and self.lang is not None:
                self.concept.langs[self.lang].extend(self.group)
            self.group = None
        elif local in _LANG:
            self.lang = None
        elif local in _CONCEPT and self.concept is not None:
            self.concepts.append(self.concept)
            self.concept = None

    def data(self, text: str) -> None:
        if self.term is not None:
            self.term.append(text)
        if self.note is not None:
            self.note.append(text)


def parse_tbx(text: str, path: str) -> tuple[list[Entry], str, list[Problem]]:
    """Entries of a TBX document, its version (`""`: TBX has none) and the problems found."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    handler = _Handler(path, parser)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    parser.EntityDeclHandler = _refuse_entities
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        return [], "", [Problem(path, exc.lineno, f"invalid XML: {expat.errors.messages[exc.code]}")]
    except ValueError as exc:
        return [], "", [Problem(path, parser.CurrentLineNumber, str(exc))]
    entries: list[Entry] = []
    used: set[str] = set()
    problems = handler.problems
    for concept in handler.concepts:
        canonical: dict[str, str] = {}
        variants: list[str] = []
        for lang, terms in concept.langs.items():
            if not terms:
                continue
            preferred = next((t for t, pref in terms if pref), terms[0][0])
            canonical[lang] = preferred
            variants += [t for t, _ in terms if t != preferred]
        if not canonical:
            problems.append(Problem(path, concept.line, "concept without any term"))
            continue
        canonical.setdefault("en", next(iter(canonical.values())))
        entry_id = unique_slug(concept.id or canonical["en"], used)
        entries.append(
            Entry(
                id=entry_id,
                canonical=dict(canonical),
                type="term",
                variants=tuple(dict.fromkeys(v for v in variants if v not in canonical.values())),
                source=path,
                line=concept.line,
            )
        )
    return entries, "", problems


def _refuse_entities(*args: object) -> None:
    raise ValueError("TBX files with entity declarations are not accepted (XML entity expansion)")
