"""From report to glossary: the discovered people of a `check-names` report as glossary entries.

`proposals(report)` makes one entry per discovered person written at least once with a given name:
`id`, `canonical` (the report's proposed spelling, under `en` and the report language), `native`
(the nominative native form seen in the sources, when there is one), `variants` (every other spelling
seen; a surname seen alone is written after the canonical given name, so that the matcher knows it as
that person's surname), `gender` (from the given names or the surname endings; `m` when they do not
tell, because the glossary requires one and it only affects feminine Czech forms) and a `role` that
says where the entry came from. The file is meant to be reviewed, then passed back with `--glossary`:
it passes `transnorm glossary validate`, and the next `run` or `normalise` rewrites the variants.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from transnorm.normalise.fold import fold_name
from transnorm.normalise.matcher import split_name

_CYRILLIC = re.compile("[\u0400-\u04ff]")


def proposals(report: dict[str, Any], *, lang: str | None = None) -> list[dict[str, Any]]:
    """Glossary entries (as mappings) for the discovered people of `report`."""
    seen: set[str] = set()  # case-folded spellings already given to an entry: each belongs to one
    entries = []
    for entity in report["entities"]:
        if entity["in_glossary"] or entity.get("type", "person") != "person":
            continue
        fulls = [s["text"] for s in entity["spellings"] if " " in s["text"]]
        if not fulls:
            continue
        canonical = entity["canonical"]
        given, _ = split_name(canonical)
        if not given:
            continue
        forms = [canonical]
        for s in entity["spellings"]:
            text = s["text"]
            forms.append(text if " " in text else f"{given} {text}")
        unique = []
        for form in forms:
            key = fold_name(form)
            if key not in seen:
                seen.add(key)
                unique.append(form)
        if not unique or unique[0] != canonical:
            continue  # its canonical spelling already belongs to another proposed entry
        entry: dict[str, Any] = {
            "id": entity["id"],
            "type": "person",
            "gender": entity.get("gender") or "m",
            "canonical": {"en": canonical} if lang in (None, "en") else {"en": canonical, lang: canonical},
        }
        native = _native(entity.get("native", []))
        if native:
            entry["native"] = native
        if len(unique) > 1:
            entry["variants"] = unique[1:]
        entry["surname_unambiguous"] = False
        docs = len({d for s in entity["spellings"] for d in s["documents"]})
        entry["role"] = f"discovered by check-names: {entity['mentions']} mentions in {docs} documents"
        entries.append(entry)
    return entries


def _native(forms: list[str]) -> dict[str, str]:
    """The first Cyrillic full name (most frequent first), as `{ru: ...}` or `{uk: ...}`."""
    for form in forms:
        if _CYRILLIC.search(form) and " " in form:
            lang = "uk" if re.search("[іїєґІЇЄҐ]", form) else "ru"
            return {lang: form}
    return {}


def to_yaml(entries: list[dict[str, Any]], *, version: str | None = None) -> str:
    """A glossary file: strings are written JSON-quoted, which YAML reads as they are."""
    version = version or datetime.date.today().strftime("%Y.%m.1")
    lines = [
        f"version: {json.dumps(version)}",
        'description: "People found by transnorm check-names: review every entry before use."',
        "entries:",
    ]
    q = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    for e in entries:
        lines.append(f"  - id: {q(e['id'])}")
        lines.append(f"    type: {e['type']}")
        lines.append(f"    gender: {e['gender']}")
        lines.append("    canonical: {" + ", ".join(f"{k}: {q(v)}" for k, v in e["canonical"].items()) + "}")
        if "native" in e:
            lines.append("    native: {" + ", ".join(f"{k}: {q(v)}" for k, v in e["native"].items()) + "}")
        if "variants" in e:
            lines.append("    variants: [" + ", ".join(q(v) for v in e["variants"]) + "]")
        lines.append(f"    surname_unambiguous: {'true' if e['surname_unambiguous'] else 'false'}")
        lines.append(f"    role: {q(e['role'])}")
    return "\n".join(lines) + "\n"


def write_proposals(report: dict[str, Any], path: str | Path, *, lang: str | None = None) -> int:
    """Write the proposed entries of `report` to a YAML glossary file; returns how many."""
    entries = proposals(report, lang=lang)
    Path(path).write_text(to_yaml(entries) if entries else _EMPTY, encoding="utf-8")
    return len(entries)


_EMPTY = "# transnorm check-names found no person outside the glossaries to propose.\n"
