"""The consistency report of `transnorm check-names`: which spellings a corpus uses for whom.

`check_names(docs, matcher_for, ...)` is the one entry point (the CLI calls it). It maps each document
to its names (`people.NameCollector`: glossary matches, discovered mentions, source anchors), adds them
up (`NameReducer`, order-independent, so a Ray run reduces the same way) and clusters the spellings
into people (`cluster.py`). The report:

- `entities`: glossary entities and discovered people in one list, each with `id`, `canonical`,
  `in_glossary` and `spellings` (`{text, count, documents, canonical}`), plus confidence, gender,
  native forms seen in the sources, roles, and the documents that spell it more than one way;
- `inconsistent_documents`: (document, entity, spellings) for each of those;
- `source_names`: source names (stems, case endings removed) rendered more than one way;
- `near_variants`: words that look like a glossary surname but are none of its spellings (`near.py`),
  ranked by a score for a person to review. Near-variants are never rewritten.

Output as JSON (`to_json`), plain text (`to_text`) or a standalone HTML page (`to_html`).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from transnorm.document import Document
from transnorm.normalise._people_data import NEUTRAL_ROLES
from transnorm.normalise.cluster import Person, Spelling, cluster_spellings
from transnorm.normalise.entry import unique_slug
from transnorm.normalise.matcher import GlossaryMatcher, split_name
from transnorm.normalise.mentions import given_name, role_of
from transnorm.normalise.near import DEFAULT_MIN_SCORE, NearVariantIndex, Suggestion, context_for
from transnorm.normalise.people import DocNames, NameCollector
from transnorm.normalise.skeleton import name_gender, translit_similarity
from transnorm.translit import transliterate

__all__ = ["DEFAULT_MIN_SCORE", "FORMATS", "NameReducer", "NearVariantIndex", "Suggestion", "check_names"]


def _case_key(spellings: Iterable[str]) -> set[str]:
    """Distinct spellings, an all-capitals one counted with the spelling it capitalises (LAVROV/Lavrov)."""
    spellings = set(spellings)
    lowered = {s.casefold(): s for s in spellings if not s.isupper()}
    return {lowered.get(s.casefold(), s) if s.isupper() else s for s in spellings}


class NameReducer:
    """Adds up the `DocNames` of a corpus (in any order) and turns them into the report."""

    def __init__(self) -> None:
        self.spellings: dict[tuple[str, str, str], Spelling] = {}
        # (text language, word, words before it, entities of its documents) -> the documents
        self.pending: dict[tuple[str | None, str, frozenset[str], frozenset[int]], list[str]] = {}
        self.common: set[str] = set()  # words seen in lower case: ordinary words, never names
        self.documents = 0
        self.signature: str | None = None
        self.langs: Counter[str] = Counter()

    def add(
        self, names: DocNames, near_index: Callable[[str | None], NearVariantIndex] | None = None
    ) -> None:
        """Count one document's names. With `near_index`, candidates no glossary key fits are dropped now."""
        self.documents += 1
        self.signature = names.signature or self.signature
        self.add_spellings(names.spellings)
        self.langs.update(names.langs)
        self.common |= names.lower
        for text_lang, words, mentioned in names.near:
            index = near_index(text_lang) if near_index is not None else None
            for word, before in words.items():
                if index is not None and not index.may_suggest(word):
                    continue
                # only the entities the word could be taken for matter in its context: documents that
                # agree on that share one entry, so memory grows with distinct contexts, not documents
                relevant = mentioned & index.entities_for(word) if index is not None else mentioned
                key = (text_lang, word, frozenset(before), frozenset(relevant))
                self.pending.setdefault(key, []).append(names.id)

    def add_spellings(self, spellings: Iterable[Spelling]) -> None:
        """Add spellings counted elsewhere (one document's, or a Ray group's)."""
        for s in spellings:
            known = self.spellings.get(s.key)
            if known is None:
                known = self.spellings[s.key] = Spelling(s.text, s.given, s.surname, s.entity, s.tied)
            known.merge(s)

    def report(
        self,
        matcher_for: Callable[[str | None], GlossaryMatcher],
        *,
        lang: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        discover: bool = True,
        scheme: str = "auto",
        near_index: Callable[[str | None], NearVariantIndex] | None = None,
    ) -> dict[str, Any]:
        """The report as a dict (see the README, "check-names").

        `near_index(lang)`: the near-variant index of a language when the caller has built it already.
        """
        indexes: dict[str | None, NearVariantIndex] = {}

        def index(text_lang: str | None) -> NearVariantIndex:
            if near_index is not None:
                return near_index(text_lang)
            if text_lang not in indexes:
                indexes[text_lang] = NearVariantIndex(matcher_for(text_lang))
            return indexes[text_lang]

        near: dict[tuple[str, str], dict[str, Any]] = {}
        for (text_lang, word, before, mentioned), doc_ids in self.pending.items():
            context = context_for(before, mentioned, self.common)
            suggestion = index(text_lang).suggest(
                word, min_score=min_score, common=self.common, context=context
            )
            if suggestion is not None:
                _add_near(suggestion, doc_ids, near)
        for rec in near.values():
            rec["documents"] = sorted(rec["documents"])
        if lang is None and self.langs:  # the language the texts are in: canonical spellings of that language
            lang = max(self.langs, key=lambda k: (self.langs[k], k))
        matcher = matcher_for(lang)
        spellings = sorted((s for s in self.spellings.values() if discover or s.entity), key=lambda s: s.key)
        roles = {e.id: _entry_roles(e.role) for e in matcher.entries if e.role}
        people = cluster_spellings(spellings, entity_roles=roles)
        return _assemble(people, near, matcher, self.documents, self.signature, lang, scheme)


def check_names(
    docs: Iterable[Document],
    matcher_for: Callable[[str | None], GlossaryMatcher],
    *,
    lang: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    side: str = "target",
    discover: bool = True,
    scheme: str = "auto",
) -> dict[str, Any]:
    """The consistency report of `docs`: glossary entities and discovered people, as a dict.

    For records with translations `side` picks the text read (`target`, `source`, `both`); the language
    of each text comes from the record unless `lang` is given. `discover=False` reports glossary
    entities only. `scheme` is the transliteration scheme of proposed canonical spellings
    (`auto`: the press convention of the report language, Wikipedia's for English).
    """
    collector = NameCollector(matcher_for, side=side, lang=lang)
    reducer = NameReducer()
    for doc in docs:
        reducer.add(collector(doc), collector.near_index)
    return reducer.report(
        matcher_for,
        lang=lang,
        min_score=min_score,
        discover=discover,
        scheme=scheme,
        near_index=collector.near_index,
    )


def _entry_roles(role: str) -> frozenset[str]:
    found = (role_of(w) for w in re.findall(r"[^\W\d_]+", role))
    return frozenset(r for r in found if r and r not in NEUTRAL_ROLES)


def _add_near(
    suggestion: Suggestion, doc_ids: list[str], near: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """Count one suggestion in each of `doc_ids` (one word and context each; `documents` is a set until the end)."""
    rec = near.setdefault(
        (suggestion.text, suggestion.entity),
        {
            "text": suggestion.text,
            "entity": suggestion.entity,
            "canonical": suggestion.canonical,
            "score": suggestion.score,
            "like": suggestion.matched_form,
            "evidence": [],
            "count": 0,
            "documents": set(),
        },
    )
    rec["score"] = max(rec["score"], suggestion.score)
    rec["evidence"] = sorted(set(rec["evidence"]) | set(suggestion.evidence))
    rec["count"] += len(doc_ids)
    rec["documents"].update(doc_ids)


def _assemble(
    people: list[Person],
    near: dict[tuple[str, str], dict[str, Any]],
    matcher: GlossaryMatcher,
    n_docs: int,
    signature: str | None,
    lang: str | None,
    scheme: str,
) -> dict[str, Any]:
    by_id = {e.id: e for e in matcher.entries}
    entities = []
    inconsistent = []
    used_ids = set(by_id)
    for person in people:
        entry = by_id.get(person.entity) if person.entity else None
        natives = [n for n, _ in person.natives().most_common()]
        if entry:
            canonical = entry.canonical_for(matcher.lang)
        else:
            canonical, native = proposed_canonical(person, lang, scheme)
            natives = [native, *(n for n in natives if n != native)] if native else natives
        entity_id = entry.id if entry else unique_slug(canonical, used_ids)
        canon_forms = {canonical, split_name(canonical)[1]}
        merged: dict[str, Counter[str]] = {}
        for s in person.spellings:  # one surname alone may be tied to two full spellings of the person
            merged.setdefault(s.text, Counter()).update(s.docs)
        spellings = [
            {
                "text": text,
                "count": sum(docs.values()),
                "documents": sorted(docs),
                "canonical": text in canon_forms,
            }
            for text, docs in sorted(merged.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ]
        docs_multi = []
        doc_sets = [(s, set(s.docs)) for s in person.spellings]
        for doc_id in sorted({d for _, docs in doc_sets for d in docs}):
            used = [s for s, docs in doc_sets if doc_id in docs]
            if any(
                len(_case_key(s.surname for s in same)) > 1
                or len(_case_key(s.text for s in same if s.given)) > 1
                for same in _by_script(used)
            ):
                docs_multi.append(doc_id)
                inconsistent.append(
                    {"document": doc_id, "entity": entity_id, "spellings": sorted(s.text for s in used)}
                )
        entities.append(
            {
                "id": entity_id,
                "canonical": canonical,
                "in_glossary": entry is not None,
                "type": entry.type if entry else "person",
                "gender": (entry.gender if entry else None) or person_gender(person),
                "confidence": person.confidence,
                "mentions": sum(sp["count"] for sp in spellings),
                "spellings": spellings,
                "native": natives,
                "roles": sorted(person.roles()),
                "inconsistent_documents": docs_multi,
            }
        )
    suggestions = sorted(near.values(), key=lambda r: (-r["score"], -r["count"], r["text"]))
    inconsistent.sort(key=lambda r: (r["document"], r["entity"]))
    return {
        "glossary": signature or matcher.signature,
        "documents": n_docs,
        "entities": entities,
        "inconsistent_documents": inconsistent,
        "source_names": _source_names(people, entities),
        "near_variants": suggestions,
    }


def _by_script(spellings: list[Spelling]) -> list[list[Spelling]]:
    """Spellings grouped by script: a Cyrillic source and its Latin translation are not two spellings."""
    groups: dict[bool, list[Spelling]] = {}
    for s in spellings:
        groups.setdefault(bool(_CYRILLIC.search(s.text)), []).append(s)
    return list(groups.values())


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _source_names(people: list[Person], entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Source names (stems) rendered more than one way, with each rendering (issue 11, section 3)."""
    by_source: dict[str, dict[str, Any]] = {}
    for person, entity in zip(people, entities, strict=True):
        for s in person.spellings:
            for key, n in s.sources.items():
                rec = by_source.setdefault(key, {"source": key, "entity": entity["id"], "renderings": {}})
                r = rec["renderings"].setdefault(s.text, {"text": s.text, "count": 0, "documents": set()})
                r["count"] += n
                r["documents"].update(s.docs)
    out = []
    for rec in by_source.values():
        renderings = sorted(rec["renderings"].values(), key=lambda r: (-r["count"], r["text"]))
        if len(_case_key(r["text"].split()[-1] for r in renderings)) > 1:
            rec["renderings"] = [{**r, "documents": sorted(r["documents"])} for r in renderings]
            out.append(rec)
    out.sort(key=lambda r: (-sum(x["count"] for x in r["renderings"]), r["source"]))
    return out


def person_gender(person: Person) -> str | None:
    """'m' or 'f' when the given names or the surname endings of the spellings agree on it."""
    genders = set()
    for s in person.spellings:
        first = s.given.split()[0] if s.given else ""
        known = given_name(first) if first else None
        g = known.gender if known is not None and known.gender else name_gender(s.surname.split()[-1])
        if g:
            genders.add(g)
    return genders.pop() if len(genders) == 1 else None


NATIVE_MIN = 0.8  # a native form seen in an oblique case (Артёмом Дзюбой) is no source for the canonical
_PRESS_SCHEMES = {"de": "de_press", "fr": "fr_press", "pl": "pl_press", "es": "es_press", "it": "it_press"}
_PRESS_SCHEMES["cs"] = "cs_press"


def scheme_for(lang: str | None, scheme: str = "auto") -> str:
    """The transliteration scheme of canonical spellings in `lang` (`auto`: its press convention)."""
    if scheme != "auto":
        return scheme
    return _PRESS_SCHEMES.get(lang or "en", "wikipedia")


def proposed_canonical(person: Person, lang: str | None, scheme: str = "auto") -> tuple[str, str | None]:
    """The scheme applied to the person's native name when one is known, else the majority spelling.

    Returns the spelling and the native form it was made from (None for the majority spelling).

    Of the native forms seen (a source may write the name in any case), the one whose transliteration
    is closest to the majority spelling is taken: the nominative, in practice.
    """
    fulls = [s for s in person.spellings if s.given] or person.spellings
    majority = max(fulls, key=lambda s: (s.count, s.text)).text
    best, best_native, best_score = None, None, -1.0
    for native, count in sorted(person.natives().items()):
        if not re.search("[\u0400-\u04ff]", native):
            continue
        source_lang = "uk" if re.search("[іїєґІЇЄҐ]", native) else "ru"
        written = transliterate(native, scheme_for(lang, scheme), source_lang=source_lang)
        score = translit_similarity(written, majority) + count * 1e-6
        if score >= NATIVE_MIN and score > best_score:
            best, best_native, best_score = written, native, score
    return (best, best_native) if best else (majority, None)


# ------------------------------------------------------------------------------------- output


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def to_text(report: dict[str, Any]) -> str:
    lines = [f"{report['documents']} documents, glossary {report['glossary']}", ""]
    lines.append("Entities (spelling: count, * = canonical):")
    for e in report["entities"]:
        spelled = ", ".join(
            f"{s['text']}{'*' if s['canonical'] else ''}: {s['count']}" for s in e["spellings"]
        )
        origin = (
            "" if e.get("in_glossary", True) else f" [discovered, confidence {e.get('confidence', 1.0):.2f}]"
        )
        lines.append(f"  {e['id']} ({e['canonical']}){origin}: {spelled}")
    lines += ["", "Documents with more than one spelling of one entity:"]
    lines += [
        f"  {r['document']}: {r['entity']}: {' / '.join(r['spellings'])}"
        for r in report["inconsistent_documents"]
    ]
    if not report["inconsistent_documents"]:
        lines.append("  none")
    lines += ["", "Source names rendered more than one way:"]
    lines += [
        f"  {r['source']} ({r['entity']}): "
        + ", ".join(f"{x['text']}: {x['count']}" for x in r["renderings"])
        for r in report.get("source_names", [])
    ]
    if not report.get("source_names"):
        lines.append("  none")
    lines += ["", "Unknown near-variants (review; never rewritten):"]
    lines += [
        f"  {r['score']:.2f}  {r['text']} -> {r['entity']} ({r['canonical']}; like {r['like']}"
        f"{'; ' + ', '.join(r['evidence']) if r['evidence'] else ''}) x{r['count']}"
        for r in report["near_variants"]
    ]
    if not report["near_variants"]:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def to_html(report: dict[str, Any]) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(e['id'])}{'' if e.get('in_glossary', True) else ' (discovered)'}</td>"
        f"<td>{esc(e['canonical'])}</td><td>"
        + ", ".join(
            f'<span class="{"canon" if s["canonical"] else "variant"}">{esc(s["text"])}</span> ({s["count"]})'
            for s in e["spellings"]
        )
        + f"</td><td>{len(e['inconsistent_documents'])}</td></tr>"
        for e in report["entities"]
    )
    bad = "".join(
        f"<tr><td>{esc(r['document'])}</td><td>{esc(r['entity'])}</td><td>{esc(' / '.join(r['spellings']))}</td></tr>"
        for r in report["inconsistent_documents"]
    )
    near = "".join(
        f"<tr><td>{r['score']:.2f}</td><td>{esc(r['text'])}</td><td>{esc(r['entity'])}</td>"
        f"<td>{esc(r['like'])}</td><td>{r['count']}</td></tr>"
        for r in report["near_variants"]
    )
    rows = rows or _NONE_ROW.format(columns=4)
    bad = bad or _NONE_ROW.format(columns=3)
    near = near or _NONE_ROW.format(columns=5)
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>transnorm check-names</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.variant{color:#b00}"
        ".canon{color:#070;font-weight:bold}.none{color:#666;font-style:italic}</style></head><body>"
        f"<h1>Name consistency</h1><p>{report['documents']} documents; glossary {esc(report['glossary'])}</p>"
        "<h2>Entities</h2><table><tr><th>id</th><th>canonical</th><th>spellings</th>"
        f"<th>inconsistent documents</th></tr>{rows}</table>"
        "<h2>Documents with more than one spelling</h2><table><tr><th>document</th><th>entity</th>"
        f"<th>spellings</th></tr>{bad}</table>"
        "<h2>Unknown near-variants (review; never rewritten)</h2><table><tr><th>score</th><th>text</th>"
        f"<th>entity</th><th>like</th><th>count</th></tr>{near}</table></body></html>\n"
    )


_NONE_ROW = '<tr><td class="none" colspan="{columns}">none</td></tr>'

FORMATS = {"json": to_json, "text": to_text, "html": to_html}
