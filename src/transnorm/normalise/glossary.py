"""Glossaries: the entities whose names transnorm normalises, loaded from YAML, TSV/CSV or TBX.

A glossary is a list of `Entry` objects (one per person, organisation or place) plus the version of
each file it came from. Formats:

- YAML (the bundled format, see `glossaries/README.md`): top-level `version`, `description`, `entries`;
  each entry has `id`, `type`, `canonical` per language (`en` required), `native` forms, `variants`,
  `gender`, `surname_unambiguous` and `role`.
- TSV or CSV with two columns, `variant` and `canonical` (DeepL/Google-style term lists); an optional
  header row naming those columns; rows sharing a canonical form make one entry.
- TBX (TBX-Basic 2.0 `termEntry/langSet/tig` or TBX v3 `conceptEntry/langSec/termSec`): each concept is
  one entry; the preferred term of a language (or its first term) is the canonical form for it.

Every problem is reported with the file and line, all of them at once (`GlossaryError.problems`).
A spelling claimed by two entities is a conflict naming both. Glossaries are found by path or by
name: `bundled` means every file in the bundled glossary folder, and any other name is looked up
there (`people-world` -> `people-world.yaml`). That folder is `$TRANSNORM_GLOSSARY_DIR` when set,
else `transnorm/glossaries/` inside an installed package, else `glossaries/` at the repository root.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transnorm._files import read_small_file
from transnorm.errors import (
    E_GLOSSARY_CONFLICT,
    E_GLOSSARY_INVALID,
    E_GLOSSARY_NOT_FOUND,
    E_MISSING_FILE,
    InputError,
    TransnormError,
    quote,
)
from transnorm.normalise.entry import Entry, Problem, nfc, unique_slug
from transnorm.normalise.fold import fold_name

MAX_GLOSSARY_BYTES = 256 * 1024 * 1024
"""A glossary file larger than this (256 MiB) is refused rather than read into memory."""

TYPES = ("person", "organisation", "place", "term")
GENDERS = ("m", "f")
BUNDLED = "bundled"
ENV_DIR = "TRANSNORM_GLOSSARY_DIR"
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".tsv": "tsv", ".csv": "csv", ".tbx": "tbx", ".xml": "tbx"}
_MAX_PROBLEMS_SHOWN = 20
# The `native` of every entry without native forms (most of a large TSV glossary): one shared empty
# mapping instead of an empty dict per entry. Never mutated (entries are frozen); a plain dict, not a
# MappingProxyType, so that entries still pickle.
NO_FORMS: Mapping[str, str] = {}

ERR_NOT_FOUND = (
    "glossary {spec!r} not found: give a path to a .yaml, .tsv, .csv or .tbx file, 'bundled', or the "
    "name of a bundled glossary ({names}); bundled glossaries are read from {folder}"
)
ERR_NO_BUNDLED = (
    "no bundled glossaries found (looked in {places}); set {env} to a folder of glossary files "
    "or pass --glossary PATH"
)


class GlossaryError(TransnormError):
    """A glossary cannot be used: it is missing, malformed or contradicts itself."""

    code = E_GLOSSARY_INVALID

    def __init__(self, problems: Sequence[Problem], *, code: str | None = None) -> None:
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:_MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - len(shown)
        text = "\n  ".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")
        super().__init__(f"glossary problems:\n  {text}" if len(shown) > 1 else shown[0], code=code)


@dataclass(frozen=True)
class GlossaryFile:
    """Where a glossary came from and which version it is."""

    path: str
    name: str
    version: str
    sha256: str


@dataclass(frozen=True)
class Glossary:
    """Entries from one or more files; later files override earlier entries with the same id."""

    entries: tuple[Entry, ...]
    files: tuple[GlossaryFile, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def digest(self) -> str:
        """A hash of the files' contents: the cache key of the compiled matcher."""
        h = hashlib.sha256()
        for f in self.files:
            h.update(f.sha256.encode())
        if not self.files:
            h.update(repr(self.entries).encode())
        return h.hexdigest()

    @property
    def signature(self) -> str:
        """`name@version` of every file plus a short content hash, for output signatures."""
        names = ",".join(f"{f.name}@{f.version}" for f in self.files) or "inline"
        return f"{names}#{self.digest[:12]}"

    def get(self, entry_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None


# ------------------------------------------------------------------------------------- locating


def bundled_dirs() -> list[Path]:
    """Folders searched for bundled glossaries, in order (only those that exist)."""
    candidates = []
    env = os.environ.get(ENV_DIR)
    if env:
        candidates.append(Path(env))
    package = Path(__file__).resolve().parents[1]
    candidates.append(package / "glossaries")  # an installed wheel (package data)
    candidates.append(package.parents[1] / "glossaries")  # a source checkout: <root>/src/transnorm
    return [c for c in candidates if c.is_dir()]


def _glossary_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES and not p.name.startswith("."))


def resolve_glossaries(specs: Iterable[str]) -> list[Path]:
    """Paths for glossary specs: a file path, `bundled`, or the name of a bundled glossary."""
    paths: list[Path] = []
    folders = bundled_dirs()
    for spec in specs:
        path = Path(spec)
        if path.is_file():
            paths.append(path)
            continue
        if path.is_dir():
            paths.extend(_glossary_files(path))
            continue
        if not folders:
            places = ", ".join(filter(None, [os.environ.get(ENV_DIR), "transnorm/glossaries", "glossaries/"]))
            raise GlossaryError(
                [Problem(spec, 0, ERR_NO_BUNDLED.format(places=places, env=ENV_DIR))],
                code=E_GLOSSARY_NOT_FOUND,
            )
        folder = folders[0]
        if spec == BUNDLED:
            paths.extend(_glossary_files(folder))
            continue
        found = [p for p in _glossary_files(folder) if p.stem == spec or p.name == spec]
        if not found:
            names = ", ".join(p.stem for p in _glossary_files(folder))
            raise GlossaryError(
                [Problem(spec, 0, ERR_NOT_FOUND.format(spec=spec, names=names, folder=folder))],
                code=E_GLOSSARY_NOT_FOUND,
            )
        paths.extend(found)
    return list(dict.fromkeys(paths))


def load_glossaries(specs: Iterable[str], *, check_conflicts: bool = True) -> Glossary:
    """Load glossaries by path or name, each spec one layer over the ones before it.

    Within a layer (one spec: a file, a folder, or `bundled`) a spelling claimed by two entities is an
    error (E503). A later layer overrides an earlier one (`overlay`): an entry with an id seen before
    changes only the fields it writes, and a spelling it claims is taken from the earlier entities.
    Raises `GlossaryError` listing every problem.
    """
    layers = []
    for spec in specs:
        paths = resolve_glossaries([spec])
        layers.append(
            merge([load_glossary(p, check_conflicts=False) for p in paths], check_conflicts=check_conflicts)
        )
    if not layers:
        return Glossary(())
    out = layers[0]
    for layer in layers[1:]:
        out = overlay(out, layer)
    return out


def merge(glossaries: Sequence[Glossary], *, check_conflicts: bool = True) -> Glossary:
    """One glossary from the files of one layer; an id seen again replaces the earlier entry."""
    by_id: dict[str, Entry] = {}
    for g in glossaries:
        for entry in g.entries:
            by_id.pop(entry.id, None)
            by_id[entry.id] = entry
    merged = Glossary(tuple(by_id.values()), tuple(f for g in glossaries for f in g.files))
    if check_conflicts:
        problems = find_conflicts(merged.entries)
        if problems:
            raise GlossaryError(problems, code=E_GLOSSARY_CONFLICT)
    return merged


# ------------------------------------------------------------------------------------- layers

_MERGED_MAPS = ("canonical", "native")
_SCALARS = ("type", "gender", "surname_unambiguous", "role")


def overlay(base: Glossary, layer: Glossary) -> Glossary:
    """`base` with `layer` on top: house style over the bundled set, without replacing it.

    An entry of `layer` whose id is in `base` changes only the keys it writes: `canonical` and `native`
    per language, `variants` are added, `type`, `gender`, `surname_unambiguous` and `role` replaced.
    A canonical spelling it replaces stays a recognised spelling (a variant), so text written the old
    way is rewritten to the new one (Sergey Lavrov -> Sergei Lavrov). A spelling that `layer` claims
    is no longer claimed by any other `base` entity; one that loses its English canonical form that
    way is dropped, since the layer says that name belongs to its own entity.
    """
    by_id = {e.id: e for e in base.entries}
    for entry in layer.entries:
        by_id[entry.id] = _overlay_entry(by_id[entry.id], entry) if entry.id in by_id else entry
    claimed = {fold_name(text): e.id for e in layer.entries for text, _ in by_id[e.id].explicit_forms()}
    entries = []
    for entry in by_id.values():
        kept = _without_claimed(entry, claimed)
        if kept is not None:
            entries.append(kept)
    return Glossary(tuple(entries), base.files + layer.files)


def _overlay_entry(old: Entry, new: Entry) -> Entry:
    keys = new.keys or frozenset({"canonical", "variants"})  # a TSV/TBX row names spellings only
    changes: dict[str, Any] = {name: getattr(new, name) for name in _SCALARS if name in keys}
    canonical = {**old.canonical, **new.canonical}
    native = {**old.native, **(new.native if "native" in keys else {})}
    replaced = [text for lang, text in old.canonical.items() if canonical[lang] != text]
    spelled = {fold_name(t) for t in [*canonical.values(), *native.values()]}
    variants = [v for v in (*old.variants, *replaced, *new.variants) if fold_name(v) not in spelled]
    return _replace(
        old,
        canonical=canonical,
        native=native,
        variants=tuple(dict.fromkeys(variants)),
        source=new.source,
        line=new.line,
        keys=old.keys | new.keys,
        **changes,
    )


def _without_claimed(entry: Entry, claimed: Mapping[str, str]) -> Entry | None:
    """`entry` without the spellings that another entity of a later layer claims."""

    def free(text: str) -> bool:
        return claimed.get(fold_name(text), entry.id) == entry.id

    if not free(entry.canonical["en"]):
        return None
    canonical = {k: v for k, v in entry.canonical.items() if free(v)}
    native = {k: v for k, v in entry.native.items() if free(v)}
    variants = tuple(v for v in entry.variants if free(v))
    if (canonical, native, variants) == (dict(entry.canonical), dict(entry.native), entry.variants):
        return entry
    return _replace(entry, canonical=canonical, native=native, variants=variants)


def _replace(entry: Entry, **changes: Any) -> Entry:
    from dataclasses import replace

    return replace(entry, **changes)


def load_glossary(path: str | Path, *, check_conflicts: bool = True) -> Glossary:
    """Load one glossary file (format from its suffix); raises `GlossaryError` on any problem."""
    path = Path(path)
    try:  # a regular file of bounded size: never an endless read of a device
        data = read_small_file(path, MAX_GLOSSARY_BYTES, "glossary")
    except InputError as exc:
        code = E_GLOSSARY_NOT_FOUND if exc.code == E_MISSING_FILE else None
        raise GlossaryError([Problem(str(path), 0, str(exc))], code=code) from None
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise GlossaryError(
            [Problem(str(path), 0, f"unknown glossary format {path.suffix!r}: use .yaml, .tsv, .csv or .tbx")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(
            [Problem(str(path), 0, f"not valid UTF-8 (byte {exc.start}); save it as UTF-8")]
        ) from None
    if kind == "yaml":
        entries, version, problems = _parse_yaml(text, str(path))
    elif kind == "tbx":
        from transnorm.normalise.tbx import parse_tbx

        entries, version, problems = parse_tbx(text, str(path))
    else:
        entries, version, problems = _parse_table(text, str(path), "\t" if kind == "tsv" else ",")
    problems += _duplicate_ids(entries)
    if check_conflicts:
        problems += find_conflicts(entries)
    if problems:
        codes = {E_GLOSSARY_CONFLICT if "claimed by" in p.message else E_GLOSSARY_INVALID for p in problems}
        raise GlossaryError(problems, code=codes.pop() if len(codes) == 1 else E_GLOSSARY_INVALID)
    file = GlossaryFile(str(path), path.stem, version, hashlib.sha256(data).hexdigest())
    return Glossary(tuple(entries), (file,))


def _duplicate_ids(entries: Sequence[Entry]) -> list[Problem]:
    first: dict[str, Entry] = {}
    problems = []
    for e in entries:
        if e.id in first:
            problems.append(
                Problem(e.source, e.line, f"id {quote(e.id)} already used at line {first[e.id].line}")
            )
        else:
            first[e.id] = e
    return problems


def find_conflicts(entries: Iterable[Entry]) -> list[Problem]:
    """A spelling (folded: case and diacritics ignored) given explicitly by two entities."""
    owner: dict[str, Entry] = {}
    problems = []
    for entry in entries:
        for text, origin in entry.explicit_forms():
            key = fold_name(text)
            other = owner.setdefault(key, entry)
            if other.id != entry.id:
                problems.append(
                    Problem(
                        entry.source,
                        entry.line,
                        f"spelling {quote(text)} ({origin}) of {quote(entry.id)} is claimed by {quote(other.id)} "
                        f"too ({other.where}); remove it from one of them",
                    )
                )
    return problems


# ------------------------------------------------------------------------------------- YAML


_MERGE_TAG = "tag:yaml.org,2002:merge"
ERR_ALIAS = (
    "YAML aliases ({alias}) are not allowed in a glossary: write the value out in full "
    "(aliases let a file of a few hundred bytes expand to gigabytes)"
)
ERR_MERGE = "YAML merge keys ('<<') are not allowed in a glossary: write the keys out in full"


class _AliasRefused(Exception):
    """Raised inside the YAML loader when a node is reached a second time (an alias) or merged."""

    def __init__(self, line: int, merge: bool = False) -> None:
        super().__init__(line)
        self.line = line
        self.merge = merge


def _yaml_loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        """A safe loader that records the line of every mapping under `__line__` and refuses aliases.

        An alias makes the loader hand out the same object again, so a file of nested aliases is
        tiny on disk but astronomically large once walked or quoted (the "billion laughs"). The
        composer of the C loader cannot be hooked, so aliases are caught where a node would be
        constructed a second time, and merge keys (`<<: *base`, which copy node lists) before that.
        """

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _AliasRefused(node.start_mark.line + 1)
            return super().construct_object(node, deep=deep)

        def flatten_mapping(self, node: Any) -> None:
            for key_node, _value in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise _AliasRefused(key_node.start_mark.line + 1, merge=True)
            super().flatten_mapping(node)

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = base.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return LineLoader


def _first_alias(text: str) -> tuple[int, str] | None:
    """Line and name of the first alias in `text` (only called to report one, so speed is no concern)."""
    import yaml

    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1, str(event.anchor)
    except yaml.YAMLError:
        pass
    return None


def _parse_yaml(text: str, path: str) -> tuple[list[Entry], str, list[Problem]]:
    import yaml

    try:
        data = yaml.load(text, Loader=_yaml_loader())
    except _AliasRefused as refused:
        if refused.merge:
            return [], "", [Problem(path, refused.line, ERR_MERGE)]
        line, name = _first_alias(text) or (refused.line, "")
        return (
            [],
            "",
            [Problem(path, line, ERR_ALIAS.format(alias=quote("*" + name, 40) if name else "*name"))],
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        return [], "", [Problem(path, line, f"invalid YAML: {reason}")]
    if not isinstance(data, dict):
        return [], "", [Problem(path, 1, "top level must be a mapping with 'version' and 'entries'")]
    problems: list[Problem] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(Problem(path, 1, "'version' must be a non-empty string such as \"2026.11.1\""))
        version = ""
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(Problem(path, data.get("__line__", 1), "'entries' must be a non-empty list"))
        return [], version, problems
    entries = []
    for raw in raw_entries:
        entry, entry_problems = _entry_from_mapping(raw, path)
        problems += entry_problems
        if entry is not None:
            entries.append(entry)
    return entries, version, problems


_ENTRY_KEYS = {"id", "type", "gender", "canonical", "native", "variants", "surname_unambiguous", "role"}


def _entry_from_mapping(raw: Any, path: str) -> tuple[Entry | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [Problem(path, 0, f"entry must be a mapping, got {quote(raw)}")]
    line = raw.pop("__line__", 0)
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(path, line, f"{_entry_name(raw.get('id'))}: {message}"))

    for key in sorted(set(raw) - _ENTRY_KEYS, key=str):
        bad(f"unknown key {quote(key, 40)} (known: {', '.join(sorted(_ENTRY_KEYS))})")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[\w.-]+", entry_id):
        bad("'id' must be a string of letters, digits, '-', '_' or '.'")
    kind = raw.get("type", "person")
    if kind not in TYPES:
        bad(f"'type' must be one of {', '.join(TYPES)}, got {quote(kind)}")
    gender = raw.get("gender")
    if gender is not None and gender not in GENDERS:
        bad(f"'gender' must be 'm' or 'f', got {quote(gender)}")
    canonical = _string_map(raw.get("canonical"), "canonical", bad)
    if "en" not in canonical:
        bad("'canonical' needs an English form: canonical: {en: ...}")
    native = _string_map(raw.get("native", {}), "native", bad)
    variants = raw.get("variants", [])
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        bad("'variants' must be a list of non-empty strings")
        variants = []
    flag = raw.get("surname_unambiguous", False)
    if not isinstance(flag, bool):
        bad(f"'surname_unambiguous' must be true or false, got {quote(flag)}")
        flag = False
    role = raw.get("role")
    if role is not None and not isinstance(role, str):
        bad("'role' must be a string")
    if problems:
        return None, problems
    return (
        Entry(
            id=entry_id,
            canonical=dict(canonical),
            type=kind,
            native=dict(native),
            variants=tuple(nfc(v) for v in variants),
            gender=gender,
            surname_unambiguous=flag,
            role=role,
            source=path,
            line=line,
            keys=frozenset(k for k in raw if k in _ENTRY_KEYS),
        ),
        [],
    )


def _entry_name(entry_id: Any) -> str:
    """How an entry is named at the start of its problems: its id, cut short if it is huge."""
    if entry_id is None:
        return "<no id>"
    return entry_id if isinstance(entry_id, str) and len(entry_id) <= 80 else quote(entry_id)


def _string_map(value: Any, name: str, bad: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        bad(f"'{name}' must be a mapping of language code to name, e.g. {{en: Dmitry Peskov}}")
        return {}
    value.pop("__line__", None)
    out = {}
    for lang, text in value.items():
        if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}", lang):
            bad(f"'{name}' key {quote(lang, 40)} is not a language code like 'en' or 'de'")
        elif not isinstance(text, str) or not text.strip():
            bad(f"'{name}.{lang}' must be a non-empty string")
        else:
            out[lang] = nfc(text)
    return out


# ------------------------------------------------------------------------------------- TSV/CSV

_HEADER_VARIANT = {"variant", "source", "term", "from", "alias"}
_HEADER_CANONICAL = {"canonical", "target", "to", "preferred", "replacement"}


def _parse_table(text: str, path: str, delimiter: str) -> tuple[list[Entry], str, list[Problem]]:
    problems: list[Problem] = []
    groups: dict[str, tuple[int, list[str]]] = {}
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if (
            line == 1
            and cells[0].lower() in _HEADER_VARIANT
            and len(cells) > 1
            and (cells[1].lower() in _HEADER_CANONICAL)
        ):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append(Problem(path, line, "expected two columns: variant, canonical"))
            continue
        if len(cells) > 2 and any(cells[2:]):
            problems.append(Problem(path, line, f"expected two columns, found {len(cells)}"))
            continue
        variant, canonical = nfc(cells[0]), nfc(cells[1])
        _line, variants = groups.setdefault(canonical, (line, []))
        if fold_name(variant) != fold_name(canonical):
            variants.append(variant)
    entries = []
    used: set[str] = set()
    for canonical, (line, variants) in groups.items():
        entry_id = unique_slug(canonical, used)
        entries.append(
            Entry(
                id=entry_id,
                canonical=dict({"en": canonical}),
                type="term",
                native=NO_FORMS,
                variants=tuple(dict.fromkeys(variants)),
                source=path,
                line=line,
            )
        )
    return entries, "", problems
