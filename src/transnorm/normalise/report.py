"""The consistency report of `transnorm check-names`: which spellings a corpus uses for whom.

Per entity: every spelling found, with counts and document ids, and whether it is the canonical one;
the documents that spell one entity more than one way; and unknown near-variants: words that behave
like names, match no glossary spelling, but look like an entity's surname (`near.py`), ranked by a
score for a person to review. Near-variants are never rewritten. Output as JSON (`to_json`), plain text (`to_text`) or a standalone HTML page.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from transnorm.document import Document
from transnorm.normalise.fold import fold_text
from transnorm.normalise.matcher import NAME, SURNAME, GlossaryMatcher, Mention, split_name
from transnorm.normalise.near import (
    DEFAULT_MIN_SCORE,
    WORD_RE,
    NearVariantIndex,
    Suggestion,
    candidates,
    context_for,
)

__all__ = ["DEFAULT_MIN_SCORE", "FORMATS", "NearVariantIndex", "Suggestion", "check_names"]


@dataclass
class _EntityStats:
    spellings: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    surnames_by_doc: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    full_by_doc: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _spelling(text: str, mention: Mention) -> tuple[str, str | None, bool]:
    """(written spelling without case endings, its surname part, whether it is a full name)."""
    if mention.given_start >= 0:
        given = text[mention.given_start : mention.given_stem_end]
        surname = text[mention.start : mention.stem_end]
        return f"{given} {surname}", surname, True
    written = text[mention.start : mention.stem_end]
    if mention.kind == SURNAME:
        return written, written, False
    if mention.kind == NAME:
        return written, written, False
    return written, split_name(written)[1], True


def _case_key(spellings: Iterable[str]) -> set[str]:
    """Distinct spellings, an all-capitals one counted with the spelling it capitalises (LAVROV/Lavrov)."""
    spellings = set(spellings)
    lowered = {s.casefold(): s for s in spellings if not s.isupper()}
    return {lowered.get(s.casefold(), s) if s.isupper() else s for s in spellings}


def check_names(
    docs: Iterable[Document],
    matcher_for: Callable[[str | None], GlossaryMatcher],
    *,
    lang: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    use_target: bool = False,
) -> dict[str, Any]:
    """The report for `docs` (their text, or their translations with `use_target`), as a dict."""
    stats: dict[str, _EntityStats] = defaultdict(_EntityStats)
    near: dict[tuple[str, str], dict[str, Any]] = {}
    indexes: dict[str | None, NearVariantIndex] = {}
    signature = None
    n_docs = 0
    common: set[str] = set()  # words seen in lower case: ordinary words, never names
    # per document: (text language, document id, word -> folded words before it, entities mentioned)
    pending: list[tuple[str | None, str, dict[str, set[str]], set[int]]] = []
    for doc in docs:
        n_docs += 1
        text_lang = lang or (None if doc.lang == "und" else doc.lang)
        if use_target:
            texts = [s.target for s in doc.segments if s.target]
            text_lang = lang or doc.target_lang
        else:
            texts = [doc.text]
        matcher = matcher_for(text_lang)
        signature = matcher.signature
        found = [matcher.find(t) for t in texts]
        words: dict[str, set[str]] = defaultdict(set)
        mentioned: set[int] = set()
        for text, mentions, chosen in zip(texts, found, matcher.resolve(found), strict=True):
            covered = [False] * (len(text) + 1)
            for mention, idx in chosen:
                entry = matcher.entries[idx]
                mentioned.add(idx)
                spelling, surname, full = _spelling(text, mention)
                s = stats[entry.id]
                s.spellings[spelling][doc.id] += 1
                if surname:
                    s.surnames_by_doc[doc.id].add(surname)
                if full:
                    s.full_by_doc[doc.id].add(spelling)
            for mention in mentions:
                for i in range(
                    mention.given_start if mention.given_start >= 0 else mention.start, mention.end
                ):
                    covered[i] = True
            if text_lang not in indexes:
                indexes[text_lang] = NearVariantIndex(matcher)
            common.update(fold_text(w) for w in WORD_RE.findall(text) if w.islower())
            for word, before in candidates(text, covered):
                words[word].add(before)
        pending.append((text_lang, doc.id, words, mentioned))
    for text_lang, doc_id, words, mentioned in pending:
        for word, before in words.items():
            context = context_for(before, mentioned, common)
            suggestion = indexes[text_lang].suggest(word, min_score=min_score, common=common, context=context)
            if suggestion is not None:
                _add_near(suggestion, doc_id, near)
    return _assemble(stats, near, matcher_for(lang), n_docs, signature)


def _add_near(suggestion: Suggestion, doc_id: str, near: dict[tuple[str, str], dict[str, Any]]) -> None:
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
            "documents": [],
        },
    )
    rec["score"] = max(rec["score"], suggestion.score)
    rec["evidence"] = sorted(set(rec["evidence"]) | set(suggestion.evidence))
    rec["count"] += 1
    if doc_id not in rec["documents"]:
        rec["documents"].append(doc_id)


def _assemble(
    stats: dict[str, _EntityStats],
    near: dict[tuple[str, str], dict[str, Any]],
    matcher: GlossaryMatcher,
    n_docs: int,
    signature: str | None,
) -> dict[str, Any]:
    by_id = {e.id: e for e in matcher.entries}
    entities = []
    inconsistent = []
    for entity_id in sorted(stats, key=lambda k: -sum(sum(d.values()) for d in stats[k].spellings.values())):
        s = stats[entity_id]
        entry = by_id[entity_id]
        canonical = entry.canonical_for(matcher.lang)
        spellings = [
            {
                "text": text,
                "count": sum(docs.values()),
                "documents": sorted(docs),
                "canonical": text in (canonical, split_name(canonical)[1]),
            }
            for text, docs in sorted(s.spellings.items(), key=lambda kv: -sum(kv[1].values()))
        ]
        docs_multi = []
        for doc_id in sorted(set(s.surnames_by_doc) | set(s.full_by_doc)):
            surnames = _case_key(s.surnames_by_doc.get(doc_id, ()))
            fulls = _case_key(s.full_by_doc.get(doc_id, ()))
            if len(surnames) > 1 or len(fulls) > 1:
                used = sorted(sp for sp, docs in s.spellings.items() if doc_id in docs)
                docs_multi.append(doc_id)
                inconsistent.append({"document": doc_id, "entity": entity_id, "spellings": used})
        entities.append(
            {
                "id": entity_id,
                "canonical": canonical,
                "mentions": sum(sp["count"] for sp in spellings),
                "spellings": spellings,
                "inconsistent_documents": docs_multi,
            }
        )
    suggestions = sorted(near.values(), key=lambda r: (-r["score"], -r["count"], r["text"]))
    return {
        "glossary": signature or matcher.signature,
        "documents": n_docs,
        "entities": entities,
        "inconsistent_documents": inconsistent,
        "near_variants": suggestions,
    }


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
        lines.append(f"  {e['id']} ({e['canonical']}): {spelled}")
    lines += ["", "Documents with more than one spelling of one entity:"]
    lines += [
        f"  {r['document']}: {r['entity']}: {' / '.join(r['spellings'])}"
        for r in report["inconsistent_documents"]
    ]
    if not report["inconsistent_documents"]:
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
        f"<tr><td>{esc(e['id'])}</td><td>{esc(e['canonical'])}</td><td>"
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
