"""Checking and inspecting glossary files (`transnorm glossary validate|expand`).

`validate_glossaries` loads each file and reports its problems with file and line, then the conflicts
between files; `expand_glossary` lists every spelling a matcher built from the files would match, with
the rule that produced it, so an editor can see what an entry really does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transnorm.normalise.entry import Problem


@dataclass
class GlossaryCheck:
    """The result of checking one glossary file; `path` None is the check across all the files."""

    path: Path | None
    entries: int = 0
    version: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_glossaries(specs: Iterable[str]) -> Iterator[GlossaryCheck]:
    """One check per glossary file (specs are files or bundled names), then one across the files.

    The cross-file check (entries of different files that contradict each other) comes last and only
    when more than one file loaded and some conflict. A spec that names no glossary raises
    `GlossaryError` when it is reached: that is a usage error, not a problem of a file.
    """
    from transnorm.normalise.glossary import GlossaryError, find_conflicts, load_glossary, resolve_glossaries

    loaded = []
    for spec in specs:
        for path in resolve_glossaries([spec]):
            try:
                glossary = load_glossary(path)
            except GlossaryError as exc:
                yield GlossaryCheck(path, problems=list(exc.problems))
                continue
            loaded.append(glossary)
            yield GlossaryCheck(path, len(glossary), glossary.files[0].version)
    if len(loaded) > 1:
        across = find_conflicts([e for g in loaded for e in g.entries])
        if across:
            yield GlossaryCheck(None, problems=list(across))


def expand_glossary(
    files: Iterable[str], lang: str | None = None, *, generate: bool = True
) -> list[dict[str, Any]]:
    """Every spelling matched for each entry: entity, form, kind, rule, case endings it needs, canonical.

    `lang` adds that language's case-ending stems; `generate=False` lists only the spellings written
    in the files. Rows are sorted by entity, kind, written before generated, then form.
    """
    from transnorm.normalise.matcher import load_matcher

    matcher = load_matcher(list(files), lang, generate=generate)
    rows = []
    for key, owners in sorted(matcher.readings()):
        for owner in owners:
            entry = matcher.entries[owner.entry]
            rows.append(
                {
                    "entity": entry.id,
                    "form": key,
                    "kind": owner.kind,
                    "rule": owner.rule,
                    "needs_suffix": sorted(owner.plain) if owner.dropped else [],
                    "canonical": entry.canonical_for(lang),
                }
            )
    rows.sort(key=lambda r: (r["entity"], r["kind"], r["rule"] != "explicit", r["form"]))
    return rows
