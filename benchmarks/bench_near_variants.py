"""Near-variant suggestions (skeleton key + gender check) against plain edit distance, and recall of
variant matching, on real data.

    .venv/bin/python benchmarks/bench_near_variants.py

1. OFAC alias clusters (`../shared/data/names/ofac_alias_clusters.tsv`): a glossary is made of each
   person cluster's first name; every other alias whose surname is spelled differently is looked up.
   Recall = aliases linked to their own cluster; precision = correct links / links made. Edit distance
   <= 2 to the nearest surname spelling is the baseline, over the same index.
2. Feminine forms of the bundled glossary's masculine surnames (Lavrov -> Lavrova): every link is wrong.
3. NTREX German, French and Polish references: suggestions for capitalised words no glossary spelling
   matches; a suggestion counts as correct when the English source line mentions that entity.
4. Variant matching: OFAC spellings ("Dmitriy PESKOV") of people in the bundled glossary, found by the
   matcher with and without the generated transliteration variants.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from transnorm.normalise.glossary import Entry, Glossary  # noqa: E402
from transnorm.normalise.matcher import GlossaryMatcher, load_matcher  # noqa: E402
from transnorm.normalise.report import NearVariantIndex, _candidates  # noqa: E402
from transnorm.normalise.skeleton import levenshtein, romanise  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
OFAC = SHARED / "names" / "ofac_alias_clusters.tsv"
NTREX = SHARED / "ntrex128"


def _person_clusters() -> list[tuple[str, list[tuple[str, str]]]]:
    """(cluster id, [(surname, given), ...]) for clusters whose names are 'SURNAME, Given'."""
    clusters = []
    for line in OFAC.read_text(encoding="utf-8").splitlines()[1:]:
        ent, _kind, names = line.split("\t", 2)
        people = []
        for name in names.split(" | "):
            if ", " not in name:
                continue
            surname, given = name.split(", ", 1)
            people.append((surname.strip().title(), given.split()[0].strip().title() if given.split() else ""))
        if len(people) >= 1:
            clusters.append((ent, people))
    return clusters


class EditDistanceIndex:
    """The baseline: the nearest known surname spelling within edit distance 2."""

    def __init__(self, index: NearVariantIndex) -> None:
        self.forms = [(romanise(form), idx) for forms in index.by_key.values() for idx, form in forms]
        self.matcher = index.matcher

    def suggest(self, word: str) -> str | None:
        w = romanise(word)
        best = None
        for form, idx in self.forms:
            if abs(len(form) - len(w)) > 2:
                continue
            d = levenshtein(w, form)
            if d <= 2 and (best is None or d < best[0]):
                best = (d, idx)
        return None if best is None else self.matcher.entries[best[1]].id


def ofac_suggestions(clusters: list[tuple[str, list[tuple[str, str]]]]) -> None:
    entries = []
    for ent, people in clusters:
        surname, given = people[0]
        name = f"{given} {surname}" if given else surname
        entries.append(Entry(id=f"ofac-{ent}", canonical={"en": name}, type="person"))
    matcher = GlossaryMatcher(Glossary(tuple(entries)), "en", generate=False)
    index = NearVariantIndex(matcher)
    baseline = EditDistanceIndex(index)
    queries = []
    for ent, people in clusters:
        primary = romanise(people[0][0])
        for surname, _ in people[1:]:
            if romanise(surname) != primary and len(romanise(surname)) >= 4:
                queries.append((surname, f"ofac-{ent}"))
    queries = list(dict.fromkeys(queries))[::4]  # every 4th: the edit-distance baseline is slow
    print(f"OFAC: {len(entries)} person clusters, {len(queries)} differently spelled alias surnames")
    for name, suggest in (
        ("skeleton+gender", lambda w: (lambda s: s.entity if s else None)(index.suggest(w, min_score=0.0))),
        ("skeleton+gender score>=0.6", lambda w: (lambda s: s.entity if s else None)(index.suggest(w))),
        ("edit distance <= 2", baseline.suggest),
    ):
        t = time.perf_counter()
        linked = correct = 0
        for word, gold in queries:
            got = suggest(word)
            if got is not None:
                linked += 1
                correct += got == gold
        print(f"  {name:28s} recall {correct / len(queries):.3f}  precision "
              f"{correct / linked if linked else float('nan'):.3f}  ({linked} links, {time.perf_counter() - t:.1f} s)")


def feminine_forms(bundled: GlossaryMatcher) -> None:
    index = NearVariantIndex(bundled)
    baseline = EditDistanceIndex(index)
    words = set()
    for entry in bundled.entries:
        if entry.type == "person" and entry.gender == "m":
            surname = entry.canonical["en"].split()[-1]
            if surname.endswith(("ov", "ev", "in", "yn")):
                words.add(surname + "a")
    words = {w for w in words if romanise(w) not in index.known}
    sk = sum(index.suggest(w, min_score=0.0) is not None for w in words)
    ed = sum(baseline.suggest(w) is not None for w in words)
    print(f"feminine forms of {len(words)} masculine surnames (Lavrov -> Lavrova), all different people:")
    print(f"  skeleton+gender false links {sk} ({sk / len(words):.1%}); edit distance <= 2 false links {ed} "
          f"({ed / len(words):.1%})")


def ntrex_suggestions(cache: Path) -> None:
    src = (NTREX / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    en = load_matcher(["bundled"], "en", cache_dir=cache)
    mentioned = [{en.entries[i].id for _, i in en.resolve([en.find(line)])[0]} for line in src]
    for lang, name in (("de", "deu"), ("fr", "fra"), ("pl", "pol")):
        matcher = load_matcher(["bundled"], lang, cache_dir=cache)
        index = NearVariantIndex(matcher)
        lines = (NTREX / f"newstest2019-ref.{name}.txt").read_text(encoding="utf-8").splitlines()
        import re

        common = {w.lower() for line in lines for w in re.findall(r"[^\W\d_]+", line) if w.islower()}
        total = correct = 0
        wrong: Counter[str] = Counter()
        for line, ids in zip(lines, mentioned, strict=True):
            covered = set()
            for m in matcher.find(line):
                covered.update(range(m.given_start if m.given_start >= 0 else m.start, m.end))
            for word, _lang, _doc in _candidates(line, [i in covered for i in range(len(line) + 1)], lang, ""):
                s = index.suggest(word, common=common)
                if s is None:
                    continue
                total += 1
                if s.entity in ids:
                    correct += 1
                else:
                    wrong[f"{word}->{s.entity}"] += 1
        print(f"NTREX {lang}: {total} near-variant suggestions, precision "
              f"{correct / total if total else float('nan'):.3f}; wrong: {wrong.most_common(5)}")


def variant_recall(clusters: list[tuple[str, list[tuple[str, str]]]], cache: Path) -> None:
    for generate in (True, False):
        matcher = load_matcher(["bundled"], "en", generate=generate, cache_dir=cache)
        names = found = clusters_hit = 0
        for _ent, people in clusters:
            texts = [f"{g} {s}" for s, g in people if g]
            ids = []
            for text in texts:
                chosen = matcher.resolve([matcher.find(text)])[0]
                full = [matcher.entries[i].id for m, i in chosen if m.kind == "full" or m.given_start >= 0]
                ids.append(full[0] if full else None)
            votes = Counter(i for i in ids if i)
            if not votes:
                continue
            target = votes.most_common(1)[0][0]
            clusters_hit += 1
            names += len(texts)
            found += sum(i == target for i in ids)
        label = "with generated variants" if generate else "explicit spellings only"
        print(f"variant matching ({label}): {clusters_hit} OFAC clusters of glossary people, "
              f"recall {found / names:.3f} of {names} spellings")


def main() -> None:
    if not OFAC.exists():
        sys.exit(f"OFAC clusters not found at {OFAC}")
    clusters = _person_clusters()
    ofac_suggestions(clusters)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        feminine_forms(load_matcher(["bundled"], "en", cache_dir=cache))
        ntrex_suggestions(cache)
        variant_recall(clusters, cache)


if __name__ == "__main__":
    main()
