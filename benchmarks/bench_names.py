"""check-names: glossary-only report (before issue 11) vs discovery of people, side by side.

    .venv/bin/python benchmarks/bench_names.py [--docs 100000] [--seed 0]

The evaluation corpus imitates the real case (English output of several MT systems for the same
Russian news): every NTREX-128 document is one article; its Russian reference is the source side,
its English source the target side. People come from two places:

1. the people of the NTREX Russian references: a two-word capitalised Cyrillic name in a reference
   line paired with the two-word English name of the parallel English line that it transliterates
   (Бретта Кавано / Brett Kavanaugh); the English name is the person's identity;
2. Russian and Ukrainian people inserted into the articles with template sentences in both languages
   (Russian case forms in the source), in groups that are hard on purpose: different people with one
   surname (Ilya/Pavel Yashin, Fedor/Alexander Emelianenko, Vitali/Wladimir Klitschko), feminine and
   masculine forms of one surname (Maria Lavrova/Sergey Lavrov, Polina Gagarina/Yuri Gagarin), close
   surnames with other roles (Fr. Vladimir Zelinsky the priest / Volodymyr Zelensky the president),
   plus sentences naming organisations that contain place names (Ekho Moskvy, Dynamo Kyiv).

Each article is copied once per "system"; a system writes every name in the Cyrillic reference with
its own transliteration scheme (en_press, Wikipedia, BGN/PCGN, ALA-LC, ICAO, scientific, German and
French press, marks dropped as MT output does), keeps some Ukrainian names in their Ukrainian form,
and makes MT-like slips: a system-wide habit for some people (Tinkov -> Tinkou, a dropped or doubled
letter, y/i, kh/h, a feminine surname written masculine) and occasional one-off slips.

Scored on (spelling, document) units: pairwise precision over pairs of different spellings put in one
cluster, pairwise recall over pairs of different spellings of one person, and "people joined": people
with more than one spelling whose spellings all end up in one cluster. Throughput: MB of target text
per CPU second (`time.process_time`, one core) through `check_names` end to end (finding, anchoring, reduction, clustering, near-variants)
on one core. Memory: resident set size while streaming `--docs` records.

Data: benchmarks/_data.py when present (repository copy first, then ../shared); otherwise the same
lookup inline below.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _data import data_file  # noqa: E402
from transnorm.document import Document, Segment  # noqa: E402
from transnorm.normalise import load_matcher  # noqa: E402
from transnorm.normalise.report import check_names  # noqa: E402
from transnorm.normalise.skeleton import similarity  # noqa: E402
from transnorm.translit import transliterate  # noqa: E402

SYSTEMS = (
    ("en_press", "ru"),
    ("wikipedia", "uk"),
    ("bgn_pcgn", "ru"),
    ("ala_lc", "ru"),
    ("icao", "uk"),
    ("scientific", "ru"),
    ("de_press", "ru"),
    ("fr_press", "ru"),
)
_MARKS = re.compile("[ʹʺ’'\u0361]")
TARGET_MB_S = 2.0  # issue 11: check-names end to end on one core

# (id, Russian nominative, Ukrainian nominative or "", gender, English role phrase, Russian role phrase)
PEOPLE = (
    ("tinkov", "Олег Тиньков", "", "m", "the businessman", "бизнесмен"),
    ("degtyarev", "Михаил Дегтярев", "", "m", "the sports minister", "министр спорта"),
    ("yevmenov", "Николай Евменов", "", "m", "the navy commander", "главнокомандующий ВМФ"),
    ("furgal", "Сергей Фургал", "", "m", "the former governor", "бывший губернатор"),
    ("parfenov", "Леонид Парфёнов", "", "m", "the journalist", "журналист"),
    ("vaintrub", "Александр Вайнтруб", "", "m", "the lawyer", "адвокат"),
    ("dzyuba", "Артём Дзюба", "", "m", "the striker", "нападающий"),
    ("kharlamova", "Екатерина Харламова", "", "f", "the singer", "певица"),
    ("kharlamov", "Валерий Харламов", "", "m", "the hockey player", "хоккеист"),
    ("emelianenko-f", "Фёдор Емельяненко", "", "m", "the fighter", "боец"),
    ("emelianenko-a", "Александр Емельяненко", "", "m", "the fighter", "боец"),
    ("gagarina", "Полина Гагарина", "", "f", "the singer", "певица"),
    ("gagarin", "Юрий Гагарин", "", "m", "the cosmonaut", "космонавт"),
    ("yashin-i", "Илья Яшин", "", "m", "the opposition politician", "оппозиционный политик"),
    ("yashin-p", "Павел Яшин", "", "m", "the racing driver", "гонщик"),
    ("zelensky", "Владимир Зеленский", "Володимир Зеленський", "m", "the president", "президент"),
    ("zelinsky", "Владимир Зелинский", "", "m", "the priest", "священник"),
    ("lavrov", "Сергей Лавров", "", "m", "the foreign minister", "министр иностранных дел"),
    ("lavrova", "Мария Лаврова", "", "f", "the actress", "актриса"),
    ("klitschko-v", "Виталий Кличко", "Віталій Кличко", "m", "the mayor", "мэр"),
    ("klitschko-w", "Владимир Кличко", "Володимир Кличко", "m", "the former boxer", "бывший боксер"),
    ("medvedev", "Дмитрий Медведев", "", "m", "the former president", "бывший президент"),
    ("medvedeva", "Евгения Медведева", "", "f", "the figure skater", "фигуристка"),
    ("navalnaya", "Юлия Навальная", "", "f", "the activist", "активистка"),
    ("shmyhal", "Денис Шмыгаль", "Денис Шмигаль", "m", "the prime minister", "премьер-министр"),
    ("zakharova", "Мария Захарова", "", "f", "the spokeswoman", "официальный представитель"),
    ("khusnullin", "Марат Хуснуллин", "", "m", "the deputy prime minister", "вице-премьер"),
    ("reshetnikov", "Максим Решетников", "", "m", "the economy minister", "министр экономики"),
)
# Pairs that must never share an article (the same surname, two people): kept apart as in real news.
APART = ({"yashin-i", "yashin-p"}, {"emelianenko-f", "emelianenko-a"}, {"klitschko-v", "klitschko-w"})
ORGS = (
    ("the radio station Ekho Moskvy", "радиостанция «Эхо Москвы»"),
    ("the Moscow Helsinki Group", "Московская Хельсинкская группа"),
    ("the newspaper Vechernyaya Moskva", "газета «Вечерняя Москва»"),
    ("Dynamo Kyiv", "«Динамо Киев»"),
    ("the Kyiv Independent", "издание Kyiv Independent"),
)
_NOT_PEOPLE_EN = frozenset(
    [
        "North",
        "South",
        "East",
        "West",
        "New",
        "San",
        "Los",
        "Las",
        "Saint",
        "St",
        "Santa",
        "El",
        "La",
        "Le",
        "United",
        "Great",
        "Hong",
        "Sri",
        "Costa",
        "Puerto",
        "Rio",
        "Manchester",
        "Real",
        "Human",
        "Prime",
        "President",
        "Supreme",
        "White",
        "Royal",
        "Premier",
        "Champions",
        "Labour",
        "Liberal",
        "Ryder",
        "Baton",
        "Salt",
        "Long",
        "Baden",
        "Punta",
        "Notre",
        "Colorado",
        "Nottingham",
        "Lower",
        "General",
    ]
)


# ----------------------------------------------------------------------------------- Russian forms


def genitive(word: str, gender: str, given: bool) -> str:
    """A Russian genitive good enough for a template sentence (Тиньков -> Тинькова)."""
    low = word.lower()
    if gender == "f":
        for end, rep in (("ова", "овой"), ("ева", "евой"), ("ина", "иной"), ("ая", "ой"), ("ия", "ии")):
            if low.endswith(end):
                return word[: -len(end)] + rep
        if low.endswith("а"):
            return word[:-1] + ("и" if low[-2] in "гкхжшчщ" else "ы")
        return word
    if low.endswith(("ий", "ый")) and not given:
        return word[:-2] + "ого"
    if low.endswith("й"):
        return word[:-1] + "я"
    if low.endswith("ь"):
        return word[:-1] + "я"
    if low.endswith("а"):
        return word[:-1] + ("и" if low[-2] in "гкхжшчщ" else "ы")
    if low.endswith(("о", "у", "е", "и")):
        return word
    return word + "а"


# ----------------------------------------------------------------------------------- systems


def render(native: str, scheme: str, lang: str) -> str:
    """A system's spelling of a Cyrillic name: its scheme, with the marks MT output drops."""
    text = transliterate(native, scheme, source_lang=lang)
    import unicodedata

    text = _MARKS.sub("", text)
    if scheme in ("scientific", "iso9", "ala_lc", "bgn_pcgn"):  # diacritics of the standards: often dropped
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", text)


def slip(word: str, rng: random.Random, feminine: bool) -> str:
    """One MT-like slip in a surname."""
    ops = ["drop", "double", "yi", "final_v", "kh"]
    if feminine:
        ops.append("gender")
    op = rng.choice(ops)
    if op == "final_v" and word.endswith(("ov", "ev")):
        return word[:-1] + "u"
    if op == "gender" and word.endswith("a"):
        return word[:-1]
    if op == "yi" and ("y" in word[1:] or "i" in word[1:]):
        return re.sub("[yi]", lambda m: "i" if m.group() == "y" else "y", word[0]) + re.sub(
            "y|i", lambda m: "i" if m.group() == "y" else "y", word[1:], count=1
        )
    if op == "kh" and "kh" in word.lower():
        return word.replace("kh", "h").replace("Kh", "H")
    if op == "double" and len(word) > 4:
        i = rng.randrange(2, len(word) - 1)
        if word[i] not in "aeiouy":
            return word[:i] + word[i] + word[i:]
    if len(word) > 5:
        i = rng.randrange(2, len(word) - 2)
        return word[:i] + word[i + 1 :]
    return word


# ----------------------------------------------------------------------------------- corpus


def ntrex_articles() -> dict[str, list[tuple[str, str]]]:
    """NTREX document id -> [(Russian reference line, English source line)]."""
    ids = data_file("ntrex128/DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    ru = data_file("ntrex128/newstest2019-ref.rus.txt").read_text(encoding="utf-8").splitlines()
    en = data_file("ntrex128/newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc, r, e in zip(ids, ru, en, strict=True):
        out[doc.strip()].append((r, e))
    return dict(out)


_EN_NAME = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_RU_NAME = re.compile(r"\b([А-ЯЁ][а-яё]+) ([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\b")
_RU_ENDING = re.compile(r"(?:ой|ом|ым|ем|ого|а|у|е|ы|я|ю)$")


def ntrex_people(lines: list[tuple[str, str]]) -> dict[str, dict[str, object]]:
    """English full name -> {native: most frequent paired Cyrillic form, lines: indexes}."""
    found: dict[str, dict[str, object]] = {}
    for ru, en in lines:
        for em in _EN_NAME.finditer(en):
            g, s = em.group(1), em.group(2)
            if g in _NOT_PEOPLE_EN or s in _NOT_PEOPLE_EN:
                continue
            for rm in _RU_NAME.finditer(ru):
                rg, rs = rm.group(1), rm.group(2)
                tg = transliterate(_RU_ENDING.sub("", rg) or rg, "wikipedia")
                ts = transliterate(_RU_ENDING.sub("", rs) or rs, "wikipedia")
                if similarity(tg, g[: len(tg) + 1]) >= 0.6 and similarity(ts, s[: len(ts) + 2]) >= 0.55:
                    rec = found.setdefault(f"{g} {s}", {"natives": Counter(), "surname": s})
                    rec["natives"][f"{rg} {rs}"] += 1  # type: ignore[index]
    return found


def build_corpus(seed: int) -> tuple[list[Document], dict[tuple[str, str], str]]:
    """The records (one per article per system) and the gold person of each (spelling, document)."""
    rng = random.Random(seed)
    articles = ntrex_articles()
    people = {p[0]: p for p in PEOPLE}
    habits: dict[tuple[str, str], bool] = {}
    docs: list[Document] = []
    gold: dict[tuple[str, str], str] = {}
    ambiguous: set[tuple[str, str]] = set()
    order = list(people)
    for n, (art_id, lines) in enumerate(sorted(articles.items())):
        found = ntrex_people(lines)
        picked: list[str] = []
        for pid in rng.sample(order, 3):
            if all(not ({pid} | {q} <= group) for q in picked for group in APART):
                picked.append(pid)
        org = ORGS[n % len(ORGS)]
        for system, (scheme, pref) in enumerate(SYSTEMS):
            doc_id = f"{art_id}.sys{system}"
            pairs: list[tuple[str, str]] = []
            labels: list[tuple[str, str]] = []  # (spelling, person)
            for ru, en in lines:
                for name, rec in found.items():
                    native = rec["natives"].most_common(1)[0][0]  # type: ignore[union-attr]
                    written = render(native, scheme, "ru")
                    if name in en:
                        en = en.replace(name, written)
                        labels.append((written, "ntrex:" + name))
                    surname = str(rec["surname"])
                    if re.search(rf"\b{surname}\b", en):
                        alone = written.split()[-1]
                        en = re.sub(rf"\b{surname}\b", alone, en)
                        labels.append((alone, "ntrex:" + name))
                pairs.append((ru, en))
            for k, pid in enumerate(picked):
                _, ru_name, uk_name, gender, role_en, role_ru = people[pid]
                native, lang = (uk_name, "uk") if uk_name and pref == "uk" else (ru_name, "ru")
                given, surname = render(native, scheme, lang).split()
                habit = habits.setdefault((pid, scheme), rng.random() < 0.3)
                if habit or rng.random() < 0.05:
                    surname = slip(surname, random.Random(f"{pid}{scheme}"), gender == "f")
                full = f"{given} {surname}"
                title = "Fr. " if pid == "zelinsky" else ""
                rg, rs = ru_name.split()
                said = "заявила" if gender == "f" else "заявил"
                intro = (
                    f"{rg} {rs}, {role_ru}, {said} в понедельник, что ситуация остается сложной.",
                    f"{title}{full}, {role_en}, said on Monday that the situation remained difficult.",
                )
                later = (
                    f"По словам {genitive(rs, gender, False)}, {org[1]} сообщила об этом первой.",
                    f"According to {surname}, {org[0]} reported it first.",
                )
                pos = min(len(pairs), 2 + 3 * k)
                pairs.insert(pos, intro)
                pairs.insert(min(len(pairs), pos + 2), later)
                labels += [(full, pid), (surname, pid)]
            docs.append(_record(doc_id, pairs))
            for text, person in labels:
                key = (text, doc_id)
                if key in gold and gold[key] != person:
                    ambiguous.add(key)
                gold[key] = person
    for key in ambiguous:
        gold.pop(key, None)
    return docs, gold


def _record(doc_id: str, pairs: list[tuple[str, str]]) -> Document:
    segments, pos = [], 0
    for i, (src, tgt) in enumerate(pairs):
        segments.append(Segment(i, pos, pos + len(src), src, lang="ru", target=tgt))
        pos += len(src) + 1
    text = " ".join(src for src, _ in pairs)
    return Document(doc_id, text, lang="ru", target_lang="en", segments=segments)


# ----------------------------------------------------------------------------------- scoring


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(report: dict, gold: dict[tuple[str, str], str]) -> dict[str, float]:
    """Pairwise precision and recall over pairs of different spellings, and people fully joined."""
    predicted: dict[tuple[str, str], str] = {}
    for e in report["entities"]:
        for s in e["spellings"]:
            for doc in s["documents"]:
                predicted[(s["text"], doc)] = e["id"]
    clusters: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit, entity in predicted.items():
        clusters[entity].append(unit)
    merged = correct = 0
    for units in clusters.values():
        labelled = [u for u in units if u in gold]
        if not labelled:
            continue
        pool = [
            (u[0], gold.get(u, "?" + u[0])) for u in units if u in gold or any(u[0] == x[0] for x in labelled)
        ]
        by_text = Counter(t for t, _ in pool)
        by_gold = Counter(g for _, g in pool)
        by_both = Counter(pool)
        merged += _pairs(len(pool)) - sum(_pairs(c) for c in by_text.values())
        correct += sum(_pairs(c) for g, c in by_gold.items() if not g.startswith("?")) - sum(
            _pairs(c) for (t, g), c in by_both.items() if not g.startswith("?")
        )
    by_person: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit, person in gold.items():
        by_person[person].append(unit)
    wanted = found = joined = people = 0
    for _person, units in by_person.items():
        texts = Counter(u[0] for u in units)
        if len(texts) < 2:
            continue
        people += 1
        wanted += _pairs(len(units)) - sum(_pairs(c) for c in texts.values())
        groups = Counter(predicted.get(u, "single:" + u[0] + u[1]) for u in units)
        same = Counter((predicted.get(u, "single:" + u[0] + u[1]), u[0]) for u in units)
        found += sum(_pairs(c) for c in groups.values()) - sum(_pairs(c) for c in same.values())
        joined += len(groups) == 1
    return {
        "precision": correct / merged if merged else 1.0,
        "recall": found / wanted if wanted else 1.0,
        "people joined": joined / people if people else 1.0,
        "people": people,
    }


# ----------------------------------------------------------------------------------- runs


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stream(docs: list[Document], n: int) -> Iterator[Document]:
    for i in range(n):
        d = docs[i % len(docs)]
        yield Document(f"{d.id}#{i}", d.text, lang=d.lang, target_lang=d.target_lang, segments=d.segments)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000, help="records streamed for the memory check")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    args = ap.parse_args(argv)
    docs, gold = build_corpus(args.seed)
    matchers: dict = {}

    def matcher_for(lang: str | None):
        if lang not in matchers:
            matchers[lang] = load_matcher(["bundled"], lang)
        return matchers[lang]

    matcher_for("en")
    mb = sum(len(s.target.encode()) for d in docs for s in d.segments if s.target) / 1e6
    print(
        f"corpus: {len(docs)} records ({len(SYSTEMS)} systems), {mb:.2f} MB of target text, {len(gold)} gold units"
    )
    rows = []
    for label, discover in (("glossary only (before)", False), ("discovery (after)", True)):
        times, report = [], None
        for _ in range(args.repeats):
            start = (
                time.process_time()
            )  # CPU seconds of this process: one core, whatever else the machine runs
            report = check_names(docs, matcher_for, discover=discover)
            times.append(time.process_time() - start)
        result = score(report, gold)
        rows.append((label, result, mb / statistics.median(times)))
    print(f"\n{'':24} {'precision':>9} {'recall':>7} {'people joined':>14} {'MB/s':>6}")
    for label, r, speed in rows:
        print(f"{label:24} {r['precision']:9.3f} {r['recall']:7.3f} {r['people joined']:14.3f} {speed:6.2f}")
    print(
        f"(people with more than one spelling: {rows[-1][1]['people']}; targets: precision >= 0.95, recall >= 0.9, >= 2 MB/s)"
    )
    speed = rows[-1][2]
    print(
        f"\ncheck-names end to end (default path, discovery on): {speed:.2f} MB of target text per CPU second "
        f"(time.process_time, median of {args.repeats}); glossary only {rows[0][2]:.2f} MB/s; "
        f"target >= {TARGET_MB_S} MB/s: {'met' if speed >= TARGET_MB_S else 'NOT met'}"
    )
    if args.docs:
        base = _rss_mb()
        marks = sorted({args.docs // 10, args.docs // 2, args.docs})
        seen = 0
        rss = {}

        def counted() -> Iterator[Document]:
            nonlocal seen
            for d in _stream(docs, args.docs):
                seen += 1
                if seen in marks:
                    rss[seen] = _rss_mb() - base
                yield d

        start = time.process_time()
        check_names(counted(), matcher_for)
        elapsed = time.process_time() - start
        streamed = mb * args.docs / len(docs)
        print(
            f"\nmemory while streaming {args.docs} records ({streamed:.0f} MB, {streamed / elapsed:.2f} MB/s):"
        )
        for k in marks:
            print(
                f"  after {k:>7} records: +{rss.get(k, float('nan')):.0f} MB RSS ({rss.get(k, 0) * 1024 / k:.2f} KB/record)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
