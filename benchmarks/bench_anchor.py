"""Precision and recall of source-anchored rewriting, side by side with glossary-only rewriting.

    python benchmarks/bench_anchor.py [--limit N]

Corpus: the NTREX-128 Russian and Ukrainian references, line-aligned with the English source
(`ntrex128/`, found by `benchmarks/_data.py`: the repository's `benchmarks/data/` first, then
`../shared/data/`; `TRANSNORM_BENCH_DATA=DIR` overrides). Every sentence pair whose source names a
glossary person that the English line also names (found by the bundled matchers) is a *gold span*.
Each NTREX document with gold spans becomes several "system" outputs; in each, one gold span is
rendered one way:

- `scheme:<name>`: the native surname under a transliteration scheme of `transnorm.translit`
  (the glossary generates these, so glossary-only rewriting should get them too);
- `slip:<kind>`: MT-like slips of the canonical surname that no rule makes: Tinkou-style endings
  (-ov -> -ou), a dropped letter, a y/i swap, a doubled consonant, the wrong gender ending;

and distractors are appended as an extra source/translation segment, which must stay as written:

- `distractor:other-given`: another given name with the same surname (Павел Яшин / Pavel Yashin);
- `distractor:feminine`: a woman of the same family name (Мария Лаврова / Maria Lavrova);
- `distractor:role`: a priest with the same name (Отец Владимир Зеленский / Fr. Vladimir Zelensky);
- `distractor:title`: a place inside a newspaper or station name («Вечерняя Москва»);
- `distractor:close-name` / `close-name-alone`: the source names the entity and another man whose
  surname is one consonant away (Корбин / Колбин); the translation says "he" for the entity and keeps
  the other man's name, with or without his given name.

A gold span counts as recalled when the normalised output equals the output for a copy with the
canonical spelling; an edit on a distractor segment, or a wrong rewrite of a gold span, is a false
positive. Printed per class and overall, for `glossary-only` (normalise.source_anchored = false) and
`anchored` (the default), and `today`: glossary-only without the context checks of `context.py`
(rewriting as it was before source anchoring), with targets recall >= 0.9 and precision >= 0.95 on the slips and distractors.
Last, the stage's throughput with and without anchoring on the real NTREX pairs (MB per CPU second,
median of 3).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _data import ntrex_dir  # noqa: E402
from transnorm import PipelineConfig, translit  # noqa: E402
from transnorm.document import Document, Segment  # noqa: E402
from transnorm.normalise import stage as stage_module  # noqa: E402
from transnorm.normalise.context import filter_mentions  # noqa: E402
from transnorm.normalise.glossary import Entry  # noqa: E402
from transnorm.normalise.matcher import SURNAME, load_matcher, split_name  # noqa: E402
from transnorm.normalise.skeleton import translit_similarity  # noqa: E402
from transnorm.normalise.stage import NormaliseStage  # noqa: E402

METHODS = ("today", "glossary-only", "anchored")
TARGET_RECALL, TARGET_PRECISION = 0.9, 0.95
_SCHEMES = ("de_press", "fr_press", "pl_press", "bgn_pcgn", "icao", "iso9")
_TITLES = [
    ("Радиостанция «Говорит Москва» сообщила об этом.", "The radio station Govorit Moskva reported it."),
    ("Об этом написала «Вечерняя Москва».", "Vechernyaya Moskva wrote about it."),
    ("Крейсер «Москва» затонул.", 'The cruiser "Moskva" sank.'),
]
_UK_TITLES = [
    ("Про це написала «Вечірня Москва».", "Vechernyaya Moskva wrote about it."),
    ("Крейсер «Москва» затонув.", 'The cruiser "Moskva" sank.'),
]


@dataclass(frozen=True)
class Gold:
    """One English span that names `entry`, in line `line` of an NTREX document."""

    doc: str
    line: int
    start: int
    end: int
    entry: Entry
    full: bool


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_pairs(lang: str) -> tuple[list[str], list[str], list[str]]:
    folder = ntrex_dir("en", lang)
    files = {
        "en": "newstest2019-src.eng.txt",
        "ru": "newstest2019-ref.rus.txt",
        "uk": "newstest2019-ref.ukr.txt",
    }
    en = (folder / files["en"]).read_text(encoding="utf-8").splitlines()
    src = (folder / files[lang]).read_text(encoding="utf-8").splitlines()
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    return ids, src, en


_EN_NAME = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b(?!-)")
_CYR_PAIR = re.compile(
    r"(?=\b([А-ЯЁІЇЄҐ][а-яёіїєґ']+) ([А-ЯЁІЇЄҐ][а-яёіїєґ']+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ']+)?)\b)"
)
_ADJECTIVE_ENDINGS = ("ой", "ый", "ая", "ое", "ого", "ому", "ых", "ій", "ої", "ого")
_TITLE_WORDS = {"President", "Prime", "Minister", "Mr", "Mrs", "Ms", "Dr", "General", "Hurricane", "The"}


def ntrex_people(langs: tuple[str, ...], out: Path) -> int:
    """A glossary of the people NTREX-128 names, with their Russian/Ukrainian reference spellings as native forms.

    A person is an English "Given Surname" pair whose two words both match, in order, two adjacent
    capitalised Cyrillic words of the reference line (translit similarity >= 0.6, case endings allowed):
    places such as North Korea (Северная Корея) or El Salvador (Сальвадор) do not pass. The native form is
    the shortest spelling seen (the nominative, as a rule). Written as one YAML layer over the bundled set.
    """
    folder = ntrex_dir("en", *langs)
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    forms: dict[str, dict[str, Counter[tuple[str, str]]]] = defaultdict(lambda: defaultdict(Counter))
    for lang in langs:
        ref = (
            (folder / {"ru": "newstest2019-ref.rus.txt", "uk": "newstest2019-ref.ukr.txt"}[lang])
            .read_text(encoding="utf-8")
            .splitlines()
        )
        for e_line, r_line in zip(en, ref, strict=True):
            pairs = [m.groups() for m in _CYR_PAIR.finditer(r_line)]
            for m in _EN_NAME.finditer(e_line):
                given, surname = m.groups()
                if given in _TITLE_WORDS:
                    continue
                for g, s in pairs:
                    if g.endswith(_ADJECTIVE_ENDINGS):
                        continue  # Центральной Америки: Central American is not a person
                    if _close(g, given) and _close(s, surname):
                        forms[f"{given} {surname}"][lang][(g, s)] += 1
    bundled = load_matcher(["bundled"], "en", generate=False, cache=False)
    entries = []
    for name, by_lang in sorted(forms.items()):
        if bundled.find(name):
            continue  # the bundled glossary has this person (or a word of the name) already
        native = {}
        gender = None
        for lang, seen in by_lang.items():
            g, s = min(seen, key=lambda p: (len(p[0]) + len(p[1]), -seen[p]))
            native[lang] = f"{g} {s}"
            gender = gender or ("f" if s.endswith(("ова", "ева", "ина", "ая", "ська")) else "m")
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        entries.append(
            f"  - id: ntrex-{slug}\n    type: person\n    gender: {gender}\n"
            f"    canonical: {{en: {name}}}\n    native: {{{', '.join(f'{k}: {v}' for k, v in native.items())}}}\n"
            "    surname_unambiguous: false\n    role: person named in NTREX-128\n"
        )
    out.write_text(
        'version: "ntrex"\ndescription: people of NTREX-128\nentries:\n' + "".join(entries), "utf-8"
    )
    return len(entries)


def _close(cyrillic: str, latin: str) -> bool:
    return any(
        translit_similarity(cyrillic[: len(cyrillic) - k], latin) >= 0.6
        for k in range(3)
        if len(cyrillic) - k >= 3
    )


def gold_spans(
    lang: str, ids: list[str], src: list[str], en: list[str], cache: str, specs: list[str]
) -> list[Gold]:
    """English mentions of persons that the source line names too (both found by the glossary matchers)."""
    smatch = load_matcher(specs, lang, cache_dir=cache)
    ematch = load_matcher(specs, "en", cache_dir=cache)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(ids):
        by_doc[d].append(i)
    out = []
    for doc, lines in by_doc.items():
        s_found = smatch.resolve([filter_mentions(src[i], smatch.find(src[i]), smatch) for i in lines])
        e_found = ematch.resolve([filter_mentions(en[i], ematch.find(en[i]), ematch) for i in lines])
        for i, s_chosen, e_chosen in zip(lines, s_found, e_found, strict=True):
            s_ids = {smatch.entries[e].id for _, e in s_chosen}
            for m, e in e_chosen:
                entry = ematch.entries[e]
                if entry.type != "person" or entry.id not in s_ids:
                    continue
                full = m.given_start >= 0 or m.kind != SURNAME
                start = m.given_start if m.given_start >= 0 else m.start
                out.append(Gold(doc, i, start, m.stem_end, entry, full))
    return out


def slips(surname: str, gender: str | None) -> Iterator[tuple[str, str]]:
    """MT-like misspellings of a canonical surname that no transliteration rule makes."""
    low = surname.lower()
    if low.endswith(("ov", "ev")):
        yield "ending", surname[:-1] + "u"
    elif low.endswith("in"):
        yield "ending", surname + "e"
    elif low.endswith("y"):
        yield "ending", surname[:-1] + "ii"
    if len(surname) >= 6:
        k = len(surname) // 2
        yield "dropped-letter", surname[:k] + surname[k + 1 :]
    for a, b in (("y", "i"), ("i", "y")):
        k = low.find(a, 1)
        if k > 0:
            yield "y-i-swap", surname[:k] + b + surname[k + 1 :]
            break
    cons = [k for k in range(1, len(surname) - 1) if surname[k].lower() in "bdklmnprstvz"]
    if cons:
        k = cons[len(cons) // 2]
        yield "doubled-letter", surname[: k + 1] + surname[k] + surname[k + 1 :]
    if gender == "m" and low.endswith(("ov", "ev", "in")):
        yield "gender", surname + "a"
    elif gender == "f" and low.endswith(("ova", "eva", "ina")):
        yield "gender", surname[:-1]


def renderings(gold: Gold, lang: str) -> Iterator[tuple[str, str]]:
    """(class, surname as written) for one gold span."""
    entry = gold.entry
    _, canonical_surname = split_name(entry.canonical["en"])
    native = entry.native.get(lang) or entry.native.get("ru")
    nlang = lang if lang in entry.native else "ru"
    seen = {canonical_surname.lower()}
    if native:
        _, native_surname = split_name(native)
        for scheme in _SCHEMES:
            try:
                text = translit.transliterate(native_surname, scheme, source_lang=nlang)
            except ValueError:
                continue
            if text.lower() not in seen:
                seen.add(text.lower())
                yield f"scheme:{scheme}", text
    for kind, text in slips(canonical_surname, entry.gender):
        if text.lower() not in seen:
            seen.add(text.lower())
            yield f"slip:{kind}", text


def distractors(gold: Gold, lang: str, rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """(class, source sentence, translation) that must not be linked to the gold entity.

    The translation spells the surname as a system would (a scheme's spelling or a slip), so that a
    wrong link shows as an edit.
    """
    entry = gold.entry
    native = entry.native.get(lang) or entry.native.get("ru")
    if not native:
        return
    given_native, surname_native = split_name(native)
    given_en, _ = split_name(entry.canonical["en"])
    spelled = [text for _, text in renderings(gold, lang)]
    surname_en = rng.choice(spelled) if spelled else split_name(entry.canonical["en"])[1]
    if not given_en:
        return
    uk = lang == "uk"
    if entry.gender == "m":
        other_n, other_e = ("Павло", "Pavlo") if uk else ("Павел", "Pavel")
        if given_en.lower().startswith("pav"):
            other_n, other_e = ("Петро", "Petro") if uk else ("Пётр", "Pyotr")
        verb = "виграв гонку" if uk else "выиграл гонку"
        yield (
            "distractor:other-given",
            f"Гонщик {other_n} {surname_native} {verb}.",
            f"Driver {other_e} {surname_en} won the race.",
        )
        if surname_native.endswith(("ов", "ев", "ин")):
            said = "заявила про це" if uk else "заявила об этом"
            given_f, given_fe = ("Марія", "Mariya") if uk else ("Мария", "Maria")
            yield (
                "distractor:feminine",
                f"{given_f} {surname_native}а {said}.",
                f"{given_fe} {surname_en}a said so.",
            )
        served = "відслужив літургію" if uk else "отслужил литургию"
        father = "Отець" if uk else "Отец"
        yield (
            "distractor:role",
            f"{father} {given_native} {surname_native} {served}.",
            f"Fr. {given_en} {surname_en} served the liturgy.",
        )
    close = _close_name(surname_native, lang)
    if close is not None and entry.gender == "m":
        met = "зустрівся з" if uk else "встретился с"
        other_n, other_e = ("Іваном", "Ivan") if uk else ("Иваном", "Ivan")
        # the MT wrote "he" for the entity; the other person, with a close surname, keeps their name
        yield (
            "distractor:close-name",
            f"{given_native} {surname_native} {met} {other_n} {close[0]}ом.",
            f"He met {other_e} {close[1]}.",
        )
        yield (
            "distractor:close-name-alone",
            f"{given_native} {surname_native} {met} {close[0]}ом.",
            f"He met {close[1]}.",
        )
    titles = _UK_TITLES if uk else _TITLES
    yield ("distractor:title", *rng.choice(titles))


_SWAP = str.maketrans("рлнмтдкгвб", "лрмндтгкбв")


def _close_name(surname: str, lang: str) -> tuple[str, str] | None:
    """Another surname one consonant away (Корбин -> Колбин), in Cyrillic and in BGN/PCGN Latin."""
    if not surname.endswith(("ов", "ев", "ин")) or len(surname) < 5:
        return None
    for k in range(1, len(surname) - 2):
        swapped = surname[k].translate(_SWAP)
        if swapped != surname[k]:
            other = surname[:k] + swapped + surname[k + 1 :]
            return other, translit.transliterate(other, "bgn_pcgn", source_lang=lang)
    return None


def build_document(
    doc_id: str,
    lines: list[int],
    src: list[str],
    en: list[str],
    lang: str,
    replace: tuple[int, int, int, str] | None,
    extra: tuple[str, str] | None,
) -> Document:
    segments, pieces, pos = [], [], 0
    for k, i in enumerate(lines):
        target = en[i]
        if replace is not None and replace[0] == i:
            _, s, e, text = replace
            target = target[:s] + text + target[e:]
        segments.append(Segment(k, pos, pos + len(src[i]), src[i], lang=lang, target=target))
        pieces.append(src[i])
        pos += len(src[i]) + 1
    if extra is not None:
        source, target = extra
        segments.append(Segment(len(lines), pos, pos + len(source), source, lang=lang, target=target))
        pieces.append(source)
    return Document(doc_id, " ".join(pieces), lang=lang, target_lang="en", segments=segments)


def evaluate(
    lang: str, stages: dict[str, NormaliseStage], cache: str, specs: list[str], limit: int | None
) -> dict:
    ids, src, en = load_pairs(lang)
    golds = gold_spans(lang, ids, src, en, cache, specs)
    if limit:
        golds = golds[:limit]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(ids):
        by_doc[d].append(i)
    rng = random.Random(11)
    tallies: dict[str, dict[str, Tally]] = {m: defaultdict(Tally) for m in METHODS}
    for gold in golds:
        lines = by_doc[gold.doc]
        surname_en = split_name(gold.entry.canonical["en"])[1]
        written = en[gold.line][gold.start : gold.end]
        prefix = written[: len(written) - len(written.split()[-1])] if gold.full and " " in written else ""
        canonical_doc = build_document(
            "c", lines, src, en, lang, (gold.line, gold.start, gold.end, prefix + surname_en), None
        )
        k = lines.index(gold.line)
        for method, stage in stages.items():
            _today(method == "today")
            expected = stage(canonical_doc_copy(canonical_doc)).segments[k].target
            for cls, surname in renderings(gold, lang):
                doc = build_document(
                    "s", lines, src, en, lang, (gold.line, gold.start, gold.end, prefix + surname), None
                )
                out = stage(doc)
                t = tallies[method][cls]
                if out.segments[k].target == expected:
                    t.tp += 1
                else:
                    t.fn += 1
                    if any(e.segment == k and surname in e.before for e in out.edits):
                        t.fp += 1  # rewritten, but not to the canonical spelling
            for cls, source, target in distractors(gold, lang, rng):
                doc = build_document("d", lines, src, en, lang, None, (source, target))
                out = stage(doc)
                if any(e.segment == len(lines) for e in out.edits):
                    tallies[method][cls].fp += 1
                tallies[method][cls + "#seen"].tp += 1  # how many distractors were shown
    return {"golds": len(golds), "tallies": tallies}


def _today(on: bool) -> None:
    """Switch the context checks off for the "today" method: glossary-only rewriting as on main before them."""
    stage_module.filter_mentions = _no_filter if on else filter_mentions


def _no_filter(text: str, mentions: list, matcher: object) -> list:
    return list(mentions)


def canonical_doc_copy(doc: Document) -> Document:
    return Document.from_record(doc.to_record())


def report(lang: str, result: dict) -> bool:
    tallies = result["tallies"]
    print(f"\n{lang}-en: {result['golds']} gold person spans in NTREX-128")
    classes = sorted({c.removesuffix("#seen") for m in METHODS for c in tallies[m]})
    print(f"{'class':28} " + "  ".join(f"{m:>28}" for m in METHODS))
    ok = True
    totals = {m: {"rw": Tally(), "all": Tally()} for m in METHODS}
    for cls in classes:
        cells = []
        for m in METHODS:
            t = tallies[m][cls]
            if cls.startswith("distractor:"):
                seen = tallies[m][cls + "#seen"].tp
                cells.append(f"{'wrong rewrites':>14} {t.fp:>4}/{seen:<4}     ")
                totals[m]["all"].fp += t.fp
            else:
                cells.append(f"R {t.recall():.3f} P {t.precision():.3f} n={t.tp + t.fn:<5}")
                group = "rw"
                totals[m][group].tp += t.tp
                totals[m][group].fn += t.fn
                totals[m][group].fp += t.fp
                if cls.startswith("slip:"):
                    totals[m]["all"].tp += t.tp
                    totals[m]["all"].fn += t.fn
                    totals[m]["all"].fp += t.fp
        print(f"{cls:28} " + "  ".join(f"{c:>28}" for c in cells))
    for label, key in (("schemes + slips", "rw"), ("slips + distractors", "all")):
        cells = [f"R {totals[m][key].recall():.3f} P {totals[m][key].precision():.3f}" for m in METHODS]
        print(f"{label:28} " + "  ".join(f"{c:>28}" for c in cells))
    anchored = totals["anchored"]["all"]
    if anchored.recall() < TARGET_RECALL or anchored.precision() < TARGET_PRECISION:
        ok = False
    return ok


def speed(lang: str, stages: dict[str, NormaliseStage], repeat: int = 3) -> None:
    """Normalise-stage throughput on the real NTREX pairs (source + translation text), median of `repeat`.

    MB of source + translation text per CPU second of this process (`time.process_time`): the
    machine may be shared, and wall time would measure the neighbours too.
    """
    ids, src, en = load_pairs(lang)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(ids):
        by_doc[d].append(i)
    size = sum(len(src[i]) + len(en[i]) for i in range(len(ids)))
    speeds: dict[str, float] = {}
    for method in ("glossary-only", "anchored"):
        _today(False)
        stage = stages[method]
        times = []
        for _ in range(repeat):
            docs = [build_document(d, lines, src, en, lang, None, None) for d, lines in by_doc.items()]
            started = time.process_time()
            for doc in docs:
                stage(doc)
            times.append(time.process_time() - started)
        speeds[method] = size / statistics.median(times) / 1e6
    print(
        f"{lang}-en normalise stage on {size / 1e6:.2f} MB of source + translation records "
        f"(CPU time, median of {repeat}): anchoring off {speeds['glossary-only']:.2f} MB/s, "
        f"anchoring on {speeds['anchored']:.2f} MB/s ({speeds['anchored'] / speeds['glossary-only']:.2f}x)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="gold spans per language (default: all)")
    parser.add_argument("--langs", default="ru,uk")
    args = parser.parse_args(argv)
    langs = tuple(args.langs.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.environ.get("TRANSNORM_BENCH_MATCHER_CACHE", tmp)
        people = Path(tmp) / "ntrex-people.yaml"
        count = ntrex_people(langs, people)
        print(f"NTREX-128 people not in the bundled glossaries: {count} (a glossary layer over 'bundled')")
        specs = ["bundled", str(people)]
        stages = {
            m: NormaliseStage(
                PipelineConfig().with_overrides(
                    normalise={"glossaries": specs, "cache_dir": cache, "source_anchored": m == "anchored"},
                )
            )
            for m in METHODS
        }
        ok = True
        started = time.perf_counter()
        for lang in langs:
            ok &= report(lang, evaluate(lang, stages, cache, specs, args.limit))
        print()
        for lang in langs:
            speed(lang, stages)
        print(
            f"\n{time.perf_counter() - started:.1f}s; targets (anchored, slips + distractors): "
            f"recall >= {TARGET_RECALL}, precision >= {TARGET_PRECISION}: {'met' if ok else 'NOT met'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
