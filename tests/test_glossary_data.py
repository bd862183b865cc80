"""Schema and consistency checks for the bundled glossary data in ``glossaries/*.yaml``.

The glossaries are hand-written data; these tests are what keeps them loadable by the
name-normalisation stage and honest: one owner per spelling, Cyrillic native forms that
belong to the language they are filed under, no surname rewrite where two people share
a surname, and every name of the seed article covered.

The checks are plain functions returning a list of problems, so that the tests at the
bottom can also feed them deliberately broken entries and prove that they catch them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
GLOSSARY_DIR = REPO_ROOT / "glossaries"
SEED_ARTICLE = REPO_ROOT / "examples" / "nato-russia-council.en.txt"
GLOSSARY_FILES = sorted(GLOSSARY_DIR.glob("*.yaml"))

TOP_LEVEL_KEYS = {"version", "description", "entries"}
ENTRY_KEYS = {"id", "type", "gender", "canonical", "native", "variants", "surname_unambiguous", "role"}
TYPES = {"person", "organisation", "place"}
GENDERS = {"m", "f"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
VERSION_PATTERN = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
MAX_ROLE_CHARS = 100

# Letters a native form filed under a language must not contain (lower case). They catch
# the classic mix-ups: Russian spellings filed as Ukrainian (ы, э, ъ, ё), Ukrainian ones
# filed as Russian (і, ї, є, ґ), Russian ones filed as Belarusian (и, щ, ъ).
FORBIDDEN_LETTERS = {
    "ru": set("іїєґўјђћљњџ"),
    "uk": set("ыэъёўјђћљњџ"),
    "be": set("ищъїєґјђћљњџ"),
    "bg": set("ыэёіїєґўјђћљњџ"),
    "sr": set("йщъыьэюяёіїєґў"),
    "mk": set("йщъыьэюяёіїєґўђћ"),
    "kk": set("їєґўјђћљњџ"),
    "ky": set("іїєґўјђћљњџәғқұһ"),
    "tg": set("ыщїєґўіјђћљњџ"),
}
NATIVE_LANGS = set(FORBIDDEN_LETTERS)
NATIVE_PUNCTUATION = set(" -'’ʼ.«»\"–—")

# Every name of the seed article, with the entry it must resolve to. "Peskow" stands
# alone in the article, so it must resolve through an unambiguous surname.
SEED_NAMES = [
    ("Sergei Lavrov", "sergey-lavrov"),
    ("Lavrov", "sergey-lavrov"),
    ("Alexander Fomin", "alexander-fomin"),
    ("Dimitri Peskov", "dmitry-peskov"),
    ("Peskow", "dmitry-peskov"),
    ("Jens Stoltenberg", "jens-stoltenberg"),
    ("Stoltenberg", "jens-stoltenberg"),
    ("Olaf Scholz", "olaf-scholz"),
    ("Jens Plötner", "jens-plotner"),
    ("Dmitri Kosak", "dmitry-kozak"),
    ("Solovyov Live", "solovyov-live"),
    ("Tass", "tass"),
    ("AFP", "afp"),
    ("NATO", "nato"),
    ("NATO-Russia Council", "nato-russia-council"),
    ("Kremlin", "kremlin"),
    ("SPD", "spd"),
]
# Present in the seed article, but ambiguous (the German or the British ministry?), so no
# entry may claim them.
SEED_UNCLAIMED = ["Foreign Office"]

MIN_PERSONS = 300


# --------------------------------------------------------------------------- loading


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


@functools.lru_cache(maxsize=1)
def _all_entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in GLOSSARY_FILES:
        data = _load(path)
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            entries.extend(data["entries"])
    return entries


# --------------------------------------------------------------------------- checks


def _is_cyrillic_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CYRILLIC")


def _script_problems(text: str, *, allow_latin: bool) -> list[str]:
    """Characters of ``text`` that do not belong in a Cyrillic native form."""
    problems = []
    has_cyrillic = False
    for char in text:
        if char.isalpha():
            if _is_cyrillic_letter(char):
                has_cyrillic = True
            elif not (allow_latin and char.isascii()):
                problems.append(f"non-Cyrillic letter {char!r}")
        elif char not in NATIVE_PUNCTUATION:
            problems.append(f"unexpected character {char!r}")
    if not has_cyrillic:
        problems.append("no Cyrillic letter")
    return problems


def _clean_string_problems(value: Any, where: str) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: must be a non-empty string, got {value!r}"]
    if value != value.strip() or "  " in value:
        return [f"{where}: stray whitespace in {value!r}"]
    return []


def entry_problems(entry: Any) -> list[str]:
    """Schema problems of one entry, each naming the entry and the field."""
    if not isinstance(entry, dict):
        return [f"entry is not a mapping: {entry!r}"]
    name = entry.get("id", "<no id>")
    problems = [f"{name}: unknown key {key!r}" for key in sorted(set(entry) - ENTRY_KEYS)]

    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
        problems.append(f"{name}: id must be a lowercase ascii slug, got {entry_id!r}")

    kind = entry.get("type")
    if kind not in TYPES:
        problems.append(f"{name}: type must be one of {sorted(TYPES)}, got {kind!r}")
    if kind == "person":
        if entry.get("gender") not in GENDERS:
            problems.append(f"{name}: person needs gender m or f, got {entry.get('gender')!r}")
        if not isinstance(entry.get("surname_unambiguous"), bool):
            problems.append(f"{name}: person needs surname_unambiguous true or false")
    else:
        for key in ("gender", "surname_unambiguous"):
            if key in entry:
                problems.append(f"{name}: {key} is for persons only")

    canonical = entry.get("canonical")
    if not isinstance(canonical, dict) or "en" not in canonical:
        problems.append(f"{name}: canonical must be a mapping with an 'en' name")
        canonical = {}
    for lang, value in canonical.items():
        if not isinstance(lang, str) or not LANG_PATTERN.match(lang):
            problems.append(f"{name}: canonical language {lang!r} is not a two-letter code")
        problems += _clean_string_problems(value, f"{name}: canonical.{lang}")
        if isinstance(value, str) and any(_is_cyrillic_letter(c) for c in value):
            problems.append(f"{name}: canonical.{lang} {value!r} is Cyrillic; put it under native")
        if lang != "en" and value == canonical.get("en"):
            problems.append(f"{name}: canonical.{lang} repeats canonical.en; leave it out")

    native = entry.get("native", {})
    if not isinstance(native, dict) or ("native" in entry and not native):
        problems.append(f"{name}: native must be a non-empty mapping when present")
        native = {}
    for lang, value in native.items():
        if lang not in NATIVE_LANGS:
            problems.append(f"{name}: native language {lang!r} not one of {sorted(NATIVE_LANGS)}")
            continue
        problems += _clean_string_problems(value, f"{name}: native.{lang}")
        if not isinstance(value, str):
            continue
        for problem in _script_problems(value, allow_latin=kind == "organisation"):
            problems.append(f"{name}: native.{lang} {value!r}: {problem}")
        wrong = sorted(set(value.lower()) & FORBIDDEN_LETTERS[lang])
        if wrong:
            problems.append(f"{name}: native.{lang} {value!r} has letters not used in {lang}: {wrong}")

    variants = entry.get("variants", [])
    if not isinstance(variants, list) or ("variants" in entry and not variants):
        problems.append(f"{name}: variants must be a non-empty list when present")
        variants = []
    seen: set[str] = set()
    own_names = {_fold(n) for n in [*canonical.values(), *native.values()] if isinstance(n, str)}
    for variant in variants:
        problems += _clean_string_problems(variant, f"{name}: variant")
        if not isinstance(variant, str):
            continue
        if _fold(variant) in own_names:
            problems.append(
                f"{name}: variant {variant!r} differs from a canonical or native form only in case, "
                "diacritics or hyphens, which a matcher folds anyway"
            )
        if _fold(variant) in seen:
            problems.append(f"{name}: variant {variant!r} listed twice")
        seen.add(_fold(variant))
        if kind == "person" and " " not in variant and entry.get("surname_unambiguous") is not True:
            problems.append(f"{name}: surname-only variant {variant!r} needs surname_unambiguous: true")

    role = entry.get("role")
    problems += _clean_string_problems(role, f"{name}: role")
    if isinstance(role, str) and len(role) > MAX_ROLE_CHARS:
        problems.append(f"{name}: role longer than {MAX_ROLE_CHARS} characters")
    return problems


def document_problems(data: Any) -> list[str]:
    """Problems of a whole glossary file: the top-level mapping and each entry."""
    if not isinstance(data, dict):
        return [f"top level must be a mapping, got {type(data).__name__}"]
    problems = [f"unknown top-level key {key!r}" for key in sorted(set(data) - TOP_LEVEL_KEYS)]
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        problems.append(f"version must be a string like '2026.11.1', got {version!r}")
    problems += _clean_string_problems(data.get("description"), "description")
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        return [*problems, "entries must be a non-empty list"]
    for entry in entries:
        problems += entry_problems(entry)
    return problems


_KEEP_MARKS = set("йЙїЇўЎ")  # Cyrillic letters of their own, not й = и + breve
_APOSTROPHES = "'’ʼ‘`´"


def _fold(text: str) -> str:
    """Case, diacritics, hyphens and apostrophes folded, as a name matcher compares names."""
    out = []
    for char in text:
        if char in _KEEP_MARKS:
            out.append(char.lower())
            continue
        base = unicodedata.normalize("NFD", char)
        out.append("".join(c for c in base if not unicodedata.combining(c)).casefold())
    folded = "".join(out)
    for apostrophe in _APOSTROPHES:
        folded = folded.replace(apostrophe, "'")
    return " ".join(folded.replace("-", " ").replace("–", " ").split())


def _surname(full_name: str) -> str:
    return _fold(full_name).split()[-1]


def collection_problems(entries: list[dict[str, Any]]) -> list[str]:
    """Problems that only show across entries (and files): shared ids, shared spellings."""
    problems = []
    ids = defaultdict(int)
    for entry in entries:
        ids[entry.get("id")] += 1
    problems += [f"id {entry_id!r} used {count} times" for entry_id, count in ids.items() if count > 1]

    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        forms = [
            *entry.get("canonical", {}).values(),
            *entry.get("native", {}).values(),
            *entry.get("variants", []),
        ]
        for form in forms:
            if isinstance(form, str):
                owners[_fold(form)].add(entry["id"])
    for form, claimants in sorted(owners.items()):
        if len(claimants) > 1:
            problems.append(f"spelling {form!r} claimed by {sorted(claimants)}")

    by_surname: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.get("type") != "person":
            continue
        names = [*entry.get("canonical", {}).values(), *entry.get("variants", [])]
        for surname in {_surname(n) for n in names if isinstance(n, str)}:
            by_surname[surname].add(entry["id"])
    unambiguous = {e["id"] for e in entries if e.get("surname_unambiguous") is True}
    for surname, people in sorted(by_surname.items()):
        if len(people) > 1 and people & unambiguous:
            problems.append(
                f"surname {surname!r} is shared by {sorted(people)}; "
                f"mark {sorted(people & unambiguous)} surname_unambiguous: false"
            )
    return problems


def resolve(name: str, entries: list[dict[str, Any]]) -> set[str]:
    """Ids of entries that a name resolves to: a full form, or an unambiguous surname."""
    key = _fold(name)
    hits = set()
    for entry in entries:
        forms = [
            *entry.get("canonical", {}).values(),
            *entry.get("native", {}).values(),
            *entry.get("variants", []),
        ]
        full_match = key in {_fold(f) for f in forms}
        surname_match = bool(entry.get("surname_unambiguous")) and key in {_surname(f) for f in forms}
        if full_match or surname_match:
            hits.add(entry["id"])
    return hits


# --------------------------------------------------------------------------- tests on the data


def test_glossary_files_exist() -> None:
    assert GLOSSARY_FILES, f"no glossary files in {GLOSSARY_DIR}"


@pytest.mark.parametrize("path", GLOSSARY_FILES, ids=lambda p: p.name)
def test_file_schema(path: Path) -> None:
    assert document_problems(_load(path)) == []


def test_no_shared_ids_spellings_or_surnames() -> None:
    assert collection_problems(_all_entries()) == []


def test_enough_persons() -> None:
    persons = [e for e in _all_entries() if e.get("type") == "person"]
    assert len(persons) >= MIN_PERSONS


def test_russia_ukraine_belarus_people_have_native_forms() -> None:
    data = _load(GLOSSARY_DIR / "people-russia-ukraine-belarus.yaml")
    missing = [e["id"] for e in data["entries"] if not e.get("native")]
    assert missing == []


@pytest.mark.parametrize(("name", "expected_id"), SEED_NAMES)
def test_seed_article_name_resolves(name: str, expected_id: str) -> None:
    assert resolve(name, _all_entries()) == {expected_id}


@pytest.mark.parametrize("name", SEED_UNCLAIMED)
def test_ambiguous_seed_name_is_not_claimed(name: str) -> None:
    assert resolve(name, _all_entries()) == set()


@pytest.mark.parametrize("name", [n for n, _ in SEED_NAMES] + SEED_UNCLAIMED)
def test_seed_names_occur_in_the_seed_article(name: str) -> None:
    assert name in SEED_ARTICLE.read_text(encoding="utf-8")


def test_bundled_glossaries_load_with_the_package_loader() -> None:
    glossary_module = pytest.importorskip("transnorm.normalise.glossary")
    paths = [str(p) for p in GLOSSARY_FILES]
    glossary = glossary_module.load_glossaries(paths)
    assert len(glossary) == len(_all_entries())


# --------------------------------------------------------------------------- tests on the checks

VALID_PERSON: dict[str, Any] = {
    "id": "dmitry-peskov",
    "type": "person",
    "gender": "m",
    "canonical": {"en": "Dmitry Peskov", "de": "Dmitri Peskow"},
    "native": {"ru": "Дмитрий Песков"},
    "variants": ["Dimitri Peskov", "Peskoff"],
    "surname_unambiguous": True,
    "role": "Kremlin spokesman",
}

BROKEN_ENTRIES = {
    "unknown key": {"aliases": ["x"]},
    "id not a slug": {"id": "Dmitry_Peskov"},
    "bad type": {"type": "people"},
    "bad gender": {"gender": "male"},
    "no surname flag": {"surname_unambiguous": None},
    "no canonical en": {"canonical": {"de": "Dmitri Peskow"}},
    "canonical de repeats en": {"canonical": {"en": "Dmitry Peskov", "de": "Dmitry Peskov"}},
    "Cyrillic canonical": {"canonical": {"en": "Дмитрий Песков"}},
    "Latin native": {"native": {"ru": "Dmitry Peskov"}},
    "Ukrainian letter in ru": {"native": {"ru": "Дмитрій Пєсков"}},
    "Russian letter in uk": {"native": {"uk": "Денис Шмыгаль"}},
    "unknown native language": {"native": {"xx": "Дмитрий Песков"}},
    "variant repeats canonical": {"variants": ["Dmitri Peskow"]},
    "variant differs only by case and hyphen": {"variants": ["dmitri-peskow"]},
    "variants not a list": {"variants": "Peskoff"},
    "stray whitespace": {"variants": ["Dimitri  Peskov"]},
    "surname variant on ambiguous surname": {"variants": ["Peskoff"], "surname_unambiguous": False},
    "empty role": {"role": ""},
}


def test_valid_person_passes() -> None:
    assert entry_problems(VALID_PERSON) == []


@pytest.mark.parametrize("change", BROKEN_ENTRIES.values(), ids=BROKEN_ENTRIES.keys())
def test_entry_check_rejects(change: dict[str, Any]) -> None:
    assert entry_problems({**VALID_PERSON, **change}) != []


def test_entry_check_rejects_person_keys_on_organisation() -> None:
    organisation = {**VALID_PERSON, "id": "tass", "type": "organisation"}
    assert entry_problems(organisation) != []


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"version": 2026, "description": "x", "entries": [VALID_PERSON]},
        {"version": "2026.11.1", "description": "x", "entries": []},
        {"version": "2026.11.1", "entries": [VALID_PERSON]},
    ],
    ids=["not a mapping", "numeric version", "no entries", "no description"],
)
def test_document_check_rejects(data: Any) -> None:
    assert document_problems(data) != []


def test_collection_check_rejects_duplicate_id() -> None:
    assert collection_problems([VALID_PERSON, VALID_PERSON]) != []


def test_collection_check_rejects_variant_claimed_twice() -> None:
    other = {**VALID_PERSON, "id": "other", "canonical": {"en": "Other Person"}, "native": {"ru": "Другой"}}
    assert collection_problems([VALID_PERSON, other]) != []


def test_collection_check_rejects_shared_unambiguous_surname() -> None:
    son = {
        "id": "sergei-peskov",
        "type": "person",
        "gender": "m",
        "canonical": {"en": "Sergei Peskov"},
        "surname_unambiguous": False,
        "role": "invented relative",
    }
    assert collection_problems([VALID_PERSON, son]) != []
    assert (
        collection_problems(
            [{**VALID_PERSON, "variants": ["Dimitri Peskov"], "surname_unambiguous": False}, son]
        )
        == []
    )
