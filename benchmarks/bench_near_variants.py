"""Near-variant suggestions of `check-names`: the method before this benchmark's last revision
("before": same skeleton + gender check + plain similarity >= 0.6, every capitalised word a candidate)
and the current one ("after": name-like candidates, transliteration-aware score, document context),
side by side on the same data, with plain edit distance as the baseline; plus recall of variant matching.

    .venv/bin/python benchmarks/bench_near_variants.py

1. OFAC alias clusters (`names/ofac_alias_clusters.tsv`, found by `benchmarks/_data.py`): a glossary is made of each
   person cluster's first name; every other alias whose surname is spelled differently is looked up,
   alone and with the alias's given name written in front. Recall = aliases linked to their own
   cluster; precision = correct links / links made.
2. Held-out transliteration schemes: a glossary of the bundled people with Russian/Ukrainian native
   forms whose variants come from some schemes only; the surnames that the other schemes make and the
   glossary does not list are looked up (variants the glossary does not know; every one has an answer).
3. Feminine forms of the bundled glossary's masculine surnames (Lavrov -> Lavrova): every link is wrong.
4. NTREX German, French and Polish references, one document per NTREX document: a suggestion
   (word, entity, document) is correct when the English source of that document mentions the entity.
5. Variant matching: OFAC spellings ("Dmitriy PESKOV") of people in the bundled glossary, found by the
   matcher with and without the generated transliteration variants.
6. Floors: the corpus-wide figures the test suite checked until it had to run without the corpora
   (held-out recall and precision, OFAC variant recall, OFAC near-variant precision, NTREX false
   suggestions), each against its floor. Exit code 1 when one falls below.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _data import data_dir, data_file  # noqa: E402
from transnorm import translit  # noqa: E402
from transnorm.document import Document  # noqa: E402
from transnorm.normalise.fold import fold_text  # noqa: E402
from transnorm.normalise.glossary import Entry, Glossary  # noqa: E402
from transnorm.normalise.matcher import NAME, SURNAME, GlossaryMatcher, load_matcher, split_name  # noqa: E402
from transnorm.normalise.near import DETERMINERS, WORD_RE, Context, NearVariantIndex  # noqa: E402
from transnorm.normalise.report import check_names  # noqa: E402
from transnorm.normalise.skeleton import levenshtein, name_gender, romanise, similarity, skeleton  # noqa: E402

HELD_OUT = {
    "press conventions": ("de_press", "fr_press", "pl_press", "es_press", "it_press", "cs_press"),
    "standards and passports": ("bgn_pcgn", "ala_lc", "iso9", "scientific", "icao"),
}

Suggest = Callable[[str, str], "str | None"]  # (word, folded given name before it or "") -> entity id


# ------------------------------------------------------------------------------------- methods


class LegacyIndex:
    """The method before: same skeleton, same initial class, no gender contradiction, similarity >= 0.6."""

    def __init__(self, matcher: GlossaryMatcher) -> None:
        self.matcher = matcher
        self.known: set[str] = set()
        self.by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for key, owners in matcher.readings():
            for owner in owners:
                if owner.dropped or " " in key:
                    continue
                self.known.add(key)
                sk = skeleton(key)
                if (
                    owner.kind in (SURNAME, NAME)
                    and len(sk) >= 3
                    and (owner.entry, key) not in self.by_key[sk]
                ):
                    self.by_key[sk].append((owner.entry, key))

    def suggest(
        self, word: str, min_score: float = 0.6, common: set[str] | frozenset[str] = frozenset()
    ) -> str | None:
        folded = fold_text(word)
        if folded in self.known or folded in common or folded in self.matcher.given:
            return None
        key = skeleton(word)
        if len(key) <= 3:
            min_score = max(min_score, 0.8)
        best = None
        for idx, form in self.by_key.get(key, ()):
            if _vowel(form) != _vowel(word):
                continue
            entry = self.matcher.entries[idx]
            g, fg = name_gender(word), name_gender(form) or (entry.gender if entry.type == "person" else None)
            if g and fg and g != fg:
                continue
            score = similarity(word, form)
            if score >= min_score and (best is None or score > best[0]):
                best = (score, entry.id)
        return None if best is None else best[1]


def _vowel(word: str) -> bool:
    r = romanise(word)
    return bool(r) and r[0] in "aeiouyj"


def legacy_candidates(text: str, covered: list[bool]) -> list[str]:
    """The candidates before: capitalised words of 4+ letters, not covered, not after an article."""
    out, previous = [], ""
    for m in WORD_RE.finditer(text):
        word = m.group()
        if (
            not covered[m.start()]
            and word[0].isupper()
            and len(romanise(word)) >= 4
            and previous.lower() not in DETERMINERS
        ):
            out.append(word)
        previous = word
    return out


class EditDistanceIndex:
    """The baseline: the nearest known surname spelling within edit distance 2."""

    def __init__(self, index: LegacyIndex) -> None:
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


def _methods(matcher: GlossaryMatcher, edit_distance: bool = True) -> dict[str, Suggest]:
    legacy = LegacyIndex(matcher)
    index = NearVariantIndex(matcher)

    def after(word: str, before: str) -> str | None:
        s = index.suggest(word, context=Context(frozenset([before]) if before else frozenset()))
        return s.entity if s else None

    methods: dict[str, Suggest] = {
        "before: skeleton+gender (any score)": lambda w, _b: legacy.suggest(w, 0.0),
        "before: skeleton+gender score>=0.6": lambda w, _b: legacy.suggest(w),
        "after: surname alone": lambda w, _b: after(w, ""),
        "after: given name in front": after,
    }
    if edit_distance:
        baseline = EditDistanceIndex(legacy)
        methods["edit distance <= 2"] = lambda w, _b: baseline.suggest(w)
    return methods


def _score_queries(methods: dict[str, Suggest], queries: list[tuple[str, str, str]]) -> None:
    for name, suggest in methods.items():
        t = time.perf_counter()
        linked = correct = 0
        for word, given, gold in queries:
            got = suggest(word, fold_text(given))
            if got is not None:
                linked += 1
                correct += got == gold
        print(
            f"  {name:38s} recall {correct / len(queries):.3f}  precision "
            f"{correct / linked if linked else float('nan'):.3f}  ({linked} links, {time.perf_counter() - t:.1f} s)"
        )


# ------------------------------------------------------------------------------------- data sets


def _person_clusters() -> list[tuple[str, list[tuple[str, str]]]]:
    """(cluster id, [(surname, given), ...]) for clusters whose names are 'SURNAME, Given'."""
    clusters = []
    for line in data_file("names/ofac_alias_clusters.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        ent, _kind, names = line.split("\t", 2)
        people = []
        for name in names.split(" | "):
            if ", " not in name:
                continue
            surname, given = name.split(", ", 1)
            people.append(
                (surname.strip().title(), given.split()[0].strip().title() if given.split() else "")
            )
        if len(people) >= 1:
            clusters.append((ent, people))
    return clusters


def ofac_suggestions(clusters: list[tuple[str, list[tuple[str, str]]]]) -> None:
    entries = []
    for ent, people in clusters:
        surname, given = people[0]
        name = f"{given} {surname}" if given else surname
        entries.append(Entry(id=f"ofac-{ent}", canonical={"en": name}, type="person"))
    matcher = GlossaryMatcher(Glossary(tuple(entries)), "en", generate=False)
    queries = []
    for ent, people in clusters:
        primary = romanise(people[0][0])
        for surname, given in people[1:]:
            if romanise(surname) != primary and len(romanise(surname)) >= 4:
                queries.append((surname, given, f"ofac-{ent}"))
    queries = list(dict.fromkeys(queries))[::4]  # every 4th: the edit-distance baseline is slow
    print(f"== OFAC: {len(entries)} person clusters, {len(queries)} differently spelled alias surnames ==")
    _score_queries(_methods(matcher), queries)


def held_out_schemes(bundled: GlossaryMatcher) -> None:
    people = [
        e for e in bundled.entries if e.type == "person" and any(k in translit.SOURCE_LANGS for k in e.native)
    ]
    for label, held in HELD_OUT.items():
        kept = [s for s in translit.SCHEMES if s not in held]
        entries, queries = [], []
        for entry in people:
            lang, native = next((k, v) for k, v in entry.native.items() if k in translit.SOURCE_LANGS)
            made = translit.generate_variants(native, source_lang=lang, gender=entry.gender, schemes=kept)
            entries.append(dataclasses.replace(entry, variants=(*entry.variants, *(v.text for v in made))))
            for v in translit.generate_variants(native, source_lang=lang, gender=entry.gender, schemes=held):
                given, surname = split_name(v.text)
                queries.append((surname, given.split()[0] if given else "", entry.id))
        matcher = GlossaryMatcher(Glossary(tuple(entries)), "en", generate=False)
        known = NearVariantIndex(matcher).known | set(matcher.given)
        queries = list(dict.fromkeys(q for q in queries if fold_text(q[0]) not in known))
        print(
            f"== held out: {label} ({', '.join(held)}): {len(people)} people, "
            f"{len(queries)} surname spellings the glossary does not list =="
        )
        _score_queries(_methods(matcher, edit_distance=False), queries)


def feminine_forms(bundled: GlossaryMatcher) -> None:
    legacy, index = LegacyIndex(bundled), NearVariantIndex(bundled)
    words = set()
    for entry in bundled.entries:
        if entry.type == "person" and entry.gender == "m":
            surname = entry.canonical["en"].split()[-1]
            if surname.endswith(("ov", "ev", "in", "yn")):
                words.add(surname + "a")
    words = {w for w in words if fold_text(w) not in index.known}
    before = sum(legacy.suggest(w, 0.0) is not None for w in words)
    after = sum(index.suggest(w, min_score=0.0) is not None for w in words)
    ed = sum(EditDistanceIndex(legacy).suggest(w) is not None for w in words)
    print(
        f"== feminine forms of {len(words)} masculine surnames (Lavrov -> Lavrova), all different people =="
    )
    print(f"  false links: before {before}, after (any score) {after}, edit distance <= 2 {ed}")


def ntrex_suggestions(cache: Path) -> None:
    ntrex = data_dir("ntrex128")
    src = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    doc_ids = [
        line.split("\t")[0] for line in (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    ]
    en = load_matcher(["bundled"], "en", cache_dir=cache)
    gold: dict[str, set[str]] = defaultdict(set)
    for line, doc in zip(src, doc_ids, strict=True):
        gold[doc] |= {en.entries[i].id for _, i in en.resolve([en.find(line)])[0]}
    print(
        f"== NTREX references: {len(src)} lines in {len(set(doc_ids))} documents; "
        "a suggestion is right when the English document mentions that entity =="
    )
    for lang, name in (("de", "deu"), ("fr", "fra"), ("pl", "pol")):
        matcher = load_matcher(["bundled"], lang, cache_dir=cache)
        lines = (ntrex / f"newstest2019-ref.{name}.txt").read_text(encoding="utf-8").splitlines()
        by_doc: dict[str, list[str]] = defaultdict(list)
        for line, doc in zip(lines, doc_ids, strict=True):
            by_doc[doc].append(line)
        # before: every line on its own, every capitalised word a candidate
        legacy = LegacyIndex(matcher)
        common = {fold_text(w) for line in lines for w in WORD_RE.findall(line) if w.islower()}
        old: set[tuple[str, str, str]] = set()
        for line, doc in zip(lines, doc_ids, strict=True):
            covered = set()
            for m in matcher.find(line):
                covered.update(range(m.given_start if m.given_start >= 0 else m.start, m.end))
            for word in legacy_candidates(line, [i in covered for i in range(len(line) + 1)]):
                entity = legacy.suggest(word, common=common)
                if entity is not None:
                    old.add((word, entity, doc))
        # after: the real check_names over whole documents
        docs = [Document(id=d, text="\n".join(ls), lang=lang) for d, ls in by_doc.items()]
        report = check_names(docs, lambda _lang, m=matcher: m, lang=lang)
        new = {(r["text"], r["entity"], d) for r in report["near_variants"] for d in r["documents"]}
        for label, found in (("before", old), ("after", new)):
            right = [f for f in found if f[1] in gold[f[2]]]
            wrong = Counter(f"{w}->{e}" for w, e, d in found if e not in gold[d])
            precision = len(right) / len(found) if found else float("nan")
            print(
                f"  {lang} {label:6s}: {len(found):3d} suggestions (word, entity, document), {len(right)} right, "
                f"precision {precision:.3f}; wrong: {wrong.most_common(4)}"
            )


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
        print(
            f"variant matching ({label}): {clusters_hit} OFAC clusters of glossary people, "
            f"recall {found / names:.3f} of {names} spellings"
        )


# ------------------------------------------------------------------------------------- floors


def _floor(name: str, value: float, floor: float, above: bool = True) -> bool:
    ok = value >= floor if above else value <= floor
    sign = ">=" if above else "<="
    print(f"  {name:58}{value:8.3f}   want {sign} {floor}   {'ok' if ok else 'FAILS'}")
    return ok


def floors(cache: Path) -> bool:
    """The floors the test suite held on whole corpora; True when every one holds."""
    print("== floors ==")
    results = []
    bundled = load_matcher(["bundled"], "en", cache_dir=cache)
    held = HELD_OUT["press conventions"]
    kept = [s for s in translit.SCHEMES if s not in held]
    entries, queries = [], []
    for entry in bundled.entries:
        natives = [(k, v) for k, v in entry.native.items() if k in translit.SOURCE_LANGS]
        if entry.type != "person" or not natives:
            continue
        lang, native = natives[0]
        made = translit.generate_variants(native, source_lang=lang, gender=entry.gender, schemes=kept)
        entries.append(dataclasses.replace(entry, variants=(*entry.variants, *(v.text for v in made))))
        for v in translit.generate_variants(native, source_lang=lang, gender=entry.gender, schemes=held):
            queries.append((split_name(v.text)[1], entry.id))
    matcher = GlossaryMatcher(Glossary(tuple(entries)), "en", generate=False)
    index = NearVariantIndex(matcher)
    queries = [q for q in dict.fromkeys(queries) if fold_text(q[0]) not in index.known | set(matcher.given)]
    linked = [(s.entity, gold) for word, gold in queries if (s := index.suggest(word, context=Context()))]
    results.append(
        _floor(f"held-out press spellings ({len(queries)}): recall", len(linked) / len(queries), 0.85)
    )
    results.append(
        _floor("held-out press spellings: precision", sum(e == g for e, g in linked) / len(linked), 0.98)
    )

    clusters = [
        [(s, g) for s, g in people if g] for _ent, people in _person_clusters() if any(g for _s, g in people)
    ]
    recalls = {}
    for generate in (True, False):
        m = load_matcher(["bundled"], "en", generate=generate, cache_dir=cache)
        names = found = 0
        for people in clusters:
            ids = []
            for surname, given_name in people:
                chosen = m.resolve([m.find(f"{given_name} {surname}")])[0]
                ids.append(next((m.entries[i].id for mention, i in chosen if mention.kind == "full"), None))
            votes = Counter(i for i in ids if i)
            if votes:
                names += len(ids)
                found += sum(i == votes.most_common(1)[0][0] for i in ids)
        recalls[generate] = found / names
    results.append(_floor("OFAC spellings of glossary people: recall", recalls[True], 0.65))
    results.append(_floor("  gain from generated variants", recalls[True] - recalls[False], 0.15))

    ofac = Glossary(
        tuple(Entry(id=f"c{n}", canonical={"en": f"{p[0][1]} {p[0][0]}"}) for n, p in enumerate(clusters))
    )
    ofac_index = NearVariantIndex(GlossaryMatcher(ofac, "en", generate=False))
    links = [
        s.entity == f"c{n}"
        for n, people in enumerate(clusters)
        for surname, _ in people[1:]
        if fold_text(surname) != fold_text(people[0][0]) and (s := ofac_index.suggest(surname)) is not None
    ]
    results.append(
        _floor(
            f"OFAC near variants ({len(links)} links, want > 300): precision", sum(links) / len(links), 0.6
        )
    )
    results.append(len(links) > 300)

    ntrex = data_dir("ntrex128")
    doc_ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    for lang, name in (("de", "deu"), ("fr", "fra"), ("pl", "pol")):
        lines = (ntrex / f"newstest2019-ref.{name}.txt").read_text(encoding="utf-8").splitlines()
        by_doc: dict[str, list[str]] = defaultdict(list)
        for line, doc in zip(lines, doc_ids, strict=True):
            by_doc[doc].append(line)
        docs = [Document(id=d, text="\n".join(ls), lang=lang) for d, ls in by_doc.items()]
        m = load_matcher(["bundled"], lang, cache_dir=cache)
        report = check_names(docs, lambda _l, m=m: m, lang=lang)
        results.append(
            _floor(
                f"NTREX {lang}: near-variant suggestions (all wrong)",
                len(report["near_variants"]),
                2,
                above=False,
            )
        )
    return all(results)


def main() -> int:
    data_file("names/ofac_alias_clusters.tsv")  # say what is missing before any work
    data_dir("ntrex128", "DOCUMENT_IDS.tsv", "newstest2019-src.eng.txt", "newstest2019-ref.deu.txt",
             "newstest2019-ref.fra.txt", "newstest2019-ref.pol.txt")  # fmt: skip
    clusters = _person_clusters()
    ofac_suggestions(clusters)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        bundled = load_matcher(["bundled"], "en", cache_dir=cache)
        held_out_schemes(bundled)
        feminine_forms(bundled)
        ntrex_suggestions(cache)
        variant_recall(clusters, cache)
        return 0 if floors(cache) else 1


if __name__ == "__main__":
    sys.exit(main())
