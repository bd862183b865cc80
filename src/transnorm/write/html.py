"""HTML: one self-contained page for people to read the aligned output.

The page has a summary at the top (documents, languages, engines and models, glossary rewrites by
rule, quality flags, errors, and the run signature, once) and a table of names (each entity with
its spellings after and before the glossary rewrites, and counts), then one section per document: a
table whose rows are the sentence pairs, so source and target of a pair always start on the same
line. A glossary rewrite shows the old spelling struck through beside the new one
(`<del class="was">Peskow</del><mark class="rewrite">Peskov</mark>`), so it survives printing and
screenshots, and the name's mention in the source sentence is highlighted too
(`<mark class="mention">`); quality flags, untranslated segments and errors are shown in the row or
at the top of the document. Every text cell has `dir="auto"` and its `lang`, so right-to-left
scripts lay out correctly.

Nothing is fetched: the stylesheet is inline and there are no scripts, images or fonts. The summary
comes first but needs every document, so the sections are spooled and the page is assembled on
`close`. Characters that are not allowed in HTML/XML are replaced with U+FFFD and flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import IO

from unidecode import unidecode

from transnorm.document import UNDETERMINED, Document, Edit, Segment
from transnorm.write._html_style import CSS
from transnorm.write._shared import (
    SignatureSet,
    Spool,
    TextCleaner,
    count_illegal,
    describe_edit,
    placeable_edits,
    segment_edits,
)


class HtmlWriter:
    """Write documents as one HTML page; the page is complete once `close` returns."""

    def __init__(self, stream: IO[str], *, title: str = "transnorm output", **_: object) -> None:
        self.stream = stream
        self.title = title
        self._body = Spool()
        self._cleaner = TextCleaner()
        self._signatures = SignatureSet()
        self._docs = 0
        self._docs_with_errors = 0
        self._segments = 0
        self._untranslated = 0
        self._pairs: Counter[str] = Counter()
        self._engines: Counter[str] = Counter()
        self._rules: Counter[str] = Counter()
        self._flags: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()
        self._toc: list[str] = []
        self._names: dict[str, _NameStats] = {}

    def write(self, doc: Document) -> None:
        self._docs += 1
        anchor = f"d{self._docs}"
        self._signatures.add(doc.signature)
        self._pairs[f"{doc.lang or UNDETERMINED} → {doc.target_lang or UNDETERMINED}"] += 1
        self._segments += len(doc.segments)
        for seg in doc.segments:
            if seg.target is None:
                self._untranslated += 1
            if seg.engine:
                self._engines[seg.engine + (f" ({seg.model})" if seg.model else "")] += 1
            self._flags.update(seg.flags)
        self._rules.update(e.rule or "unnamed rule" for e in doc.edits)
        for edit in doc.edits:
            stats = self._names.setdefault(edit.entity or edit.after, _NameStats())
            stats.after[edit.after] += 1
            stats.before[edit.before] += 1
            stats.documents.add(doc.id)
        self._errors.update(e.code for e in doc.errors)
        if doc.errors:
            self._docs_with_errors += 1
        mark = ' <span class="badge-error">errors</span>' if doc.errors else ""
        self._toc.append(f'<a href="#{anchor}">{self._name(doc.id)}</a>{mark}')
        self._body.write(self._section(doc, anchor))

    def close(self) -> None:
        from transnorm import __version__

        out = self.stream
        sig = " || ".join(f"{k}:{' + '.join(v)}" for k, v in self._signatures.items())
        out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
        out.write('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        out.write(f'<meta name="generator" content="transnorm {escape(__version__)}">\n')
        out.write(f'<meta name="transnorm-signature" content="{self._text(sig)}">\n')
        out.write(f"<title>{self._text(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        out.write(self._summary())
        out.write("<main>\n")
        self._body.copy_to(out)
        out.write("</main>\n</body>\n</html>\n")
        out.flush()

    @property
    def replaced_chars(self) -> int:
        """How many characters not allowed in HTML were replaced with U+FFFD so far."""
        return self._cleaner.replaced

    # -- pieces of the page ------------------------------------------------------------------

    def _text(self, text: str) -> str:
        return escape(self._cleaner.clean(text), quote=True)

    def _name(self, text: str) -> str:
        """A document id: escaped, isolated in `<bdi>`, with each bidi control shown as a visible badge.

        An id holding U+202E RIGHT-TO-LEFT OVERRIDE would otherwise display reversed (`report_gpj.exe`
        looking like `report_exe.jpg`); the controls stay meaningful in text, but never in a name.
        """
        shown = _BIDI_CONTROLS.sub(_show_control, self._text(text))
        return f"<bdi>{shown}</bdi>"

    def _summary(self) -> str:
        def counts(counter: Counter[str]) -> str:
            if not counter:
                return '<span class="none">none</span>'
            return ", ".join(f"{self._text(k)} ×{n}" for k, n in counter.most_common())

        rewrites = sum(self._rules.values())
        facts = [
            ("Documents", f"{self._docs}{_aside(self._docs_with_errors, 'with errors')}"),
            ("Segments", f"{self._segments}{_aside(self._untranslated, 'untranslated')}"),
            ("Languages", counts(self._pairs)),
            ("Engines", counts(self._engines)),
            ("Glossary rewrites", f"{rewrites}: {counts(self._rules)}" if rewrites else "0"),
            ("Quality flags", counts(self._flags)),
            ("Errors", counts(self._errors)),
        ]
        for key, values in self._signatures.items():
            facts.append((f"Signature: {key}", " + ".join(f"<code>{self._text(v)}</code>" for v in values)))
        rows = "\n".join(f"<dt>{self._text(k)}</dt><dd>{v}</dd>" for k, v in facts)
        legend = (
            '<p class="legend"><del class="was sample">Old</del><mark class="rewrite sample"'
            ' title="the spelling before the glossary rewrite" data-before="Old">New</mark> a name rewritten'
            " by the glossary: the old spelling struck through, the new one highlighted. "
            '<mark class="mention sample">Name</mark> its mention in the source sentence. '
            '<span class="flag">flag</span> quality flag.</p>'
        )
        toc = '<nav class="toc">' + " ".join(self._toc) + "</nav>" if self._toc else ""
        return (
            f'<header class="summary">\n<h1>{self._text(self.title)}</h1>\n{self._names_table()}\n'
            f'<dl class="facts">\n{rows}\n</dl>\n{legend}\n{toc}\n</header>\n'
        )

    def _names_table(self) -> str:
        """Each rewritten entity: its spellings after and before the rewrites, with counts."""

        def spellings(counter: Counter[str], cls: str) -> str:
            return ", ".join(
                f"<{cls}>{self._text(k)}</{cls}> ×{n}"
                for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            )

        head = (
            '<table class="names"><caption>Names rewritten by the glossary</caption><thead><tr>'
            "<th>Entity</th><th>Spelled now</th><th>Spelled before</th><th>Rewrites</th><th>Documents</th>"
            "</tr></thead><tbody>"
        )
        if not self._names:
            return head + '<tr><td colspan="5" class="none">none</td></tr></tbody></table>'
        order = sorted(self._names.items(), key=lambda kv: (-sum(kv[1].after.values()), kv[0]))
        rows = "".join(
            f"<tr><td>{self._text(entity)}</td><td>{spellings(stats.after, 'b')}</td>"
            f"<td>{spellings(stats.before, 'del')}</td><td>{sum(stats.after.values())}</td>"
            f"<td>{len(stats.documents)}</td></tr>"
            for entity, stats in order
        )
        return head + rows + "</tbody></table>"

    def _section(self, doc: Document, anchor: str) -> str:
        src_lang = doc.lang or UNDETERMINED
        tgt_lang = doc.target_lang or UNDETERMINED
        cls = "doc has-errors" if doc.errors else "doc"
        parts = [
            f'<section class="{cls}" id="{anchor}">',
            f'<div class="doc-head"><h2 dir="auto">{self._name(doc.id)}</h2>'
            f'<span class="langs">{self._text(src_lang)} → {self._text(tgt_lang)}, '
            f"{_plural(len(doc.segments), 'segment')}, {_plural(len(doc.edits), 'rewrite')}</span></div>",
        ]
        doc_errors = [
            e for e in doc.errors if e.segment is None or e.segment not in {s.index for s in doc.segments}
        ]
        if doc_errors:
            items = "".join(
                f"<li><b>{self._text(e.code)}</b> ({self._text(e.stage)}): {self._text(e.message)}</li>"
                for e in doc_errors
            )
            parts.append(f'<ul class="errors">{items}</ul>')
        if doc.warnings:
            items = "".join(f"<li>{self._text(w)}</li>" for w in doc.warnings)
            parts.append(f'<ul class="warnings">{items}</ul>')
        if doc.segments:
            parts.append(
                '<table class="pairs"><colgroup><col class="n"><col class="src"><col class="tgt">'
                '<col class="notes"></colgroup>'
                f"<thead><tr><th>#</th><th>Source ({self._text(src_lang)})</th>"
                f"<th>Target ({self._text(tgt_lang)})</th><th>Flags</th></tr></thead><tbody>"
            )
            previous = None
            for seg in doc.segments:
                parts.append(self._row(doc, seg, anchor, new_paragraph=previous not in (None, seg.paragraph)))
                previous = seg.paragraph
            parts.append("</tbody></table>")
        parts.append("</section>\n")
        return "\n".join(parts)

    def _row(self, doc: Document, seg: Segment, anchor: str, *, new_paragraph: bool) -> str:
        src_lang = seg.lang if seg.lang and seg.lang != UNDETERMINED else doc.lang or UNDETERMINED
        tgt_lang = doc.target_lang or UNDETERMINED
        notes: list[str] = [f'<span class="flag">{self._text(f)}</span>' for f in seg.flags]
        replaced = count_illegal(seg.source) + count_illegal(seg.target or "")
        if replaced:
            notes.append(f'<span class="flag">{replaced} control characters replaced</span>')
        notes += [
            f'<span class="error">{self._text(e.code)}: {self._text(e.message)}</span>'
            for e in doc.errors
            if e.segment == seg.index
        ]
        source, unplaced = self._marked(
            seg.source,
            segment_edits(doc, seg.index, "source"),
            mentions=segment_edits(doc, seg.index, "target"),
        )
        src_cls = "src"
        if not seg.source:  # a target sentence that an alignment left without a source
            source, src_cls = '<span class="none">no source sentence</span>', "src missing"
        if seg.target is None:
            target, tgt_cls = '<span class="none">no translation</span>', "tgt missing"
            unplaced += segment_edits(doc, seg.index, "target")
        else:
            target, more = self._marked(seg.target, segment_edits(doc, seg.index, "target"))
            unplaced += more
            tgt_cls = "tgt"
        notes += [f'<span class="note">rewrite: {self._text(describe_edit(e))}</span>' for e in unplaced]
        classes = [
            c
            for c, on in (
                ("para-start", new_paragraph),
                ("flagged", bool(seg.flags) or bool(replaced)),
                ("has-errors", any(e.segment == seg.index for e in doc.errors)),
            )
            if on
        ]
        cls = f' class="{" ".join(classes)}"' if classes else ""
        return (
            f'<tr id="{anchor}-s{seg.index}"{cls}><td class="n">{seg.index}</td>'
            f'<td class="{src_cls}" lang="{self._text(src_lang)}" dir="auto">{source}</td>'
            f'<td class="{tgt_cls}" lang="{self._text(tgt_lang)}" dir="auto">{target}</td>'
            f'<td class="notes">{"".join(notes)}</td></tr>'
        )

    def _marked(
        self, text: str, edits: list[Edit], *, mentions: list[Edit] | None = None
    ) -> tuple[str, list[Edit]]:
        """Escaped `text` with each rewrite shown (old spelling struck through, new one marked) and
        the mentions of the names rewritten on the other side highlighted; also the edits that could
        not be placed."""
        text = self._cleaner.clean(text)
        placed, unplaced = placeable_edits(text, edits)
        pieces: list[tuple[int, int, str]] = []
        for edit in placed:
            s, e = edit.span
            tip = escape(self._cleaner.clean(describe_edit(edit)), quote=True)
            before = escape(self._cleaner.clean(edit.before), quote=True)
            pieces.append(
                (
                    s,
                    e,
                    f'<del class="was" title="spelling before the glossary rewrite">{before}</del>'
                    f'<mark class="rewrite" tabindex="0" title="was: {tip}" data-before="{before}">'
                    f"{escape(text[s:e], quote=False)}</mark>",
                )
            )
        taken = [(s, e) for s, e, _ in pieces]
        for edit, (s, e) in _find_mentions(text, mentions or []):
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            tip = escape(
                self._cleaner.clean(
                    f"{edit.after} in the translation" + (f" ({edit.entity})" if edit.entity else "")
                ),
                quote=True,
            )
            pieces.append(
                (s, e, f'<mark class="mention" title="{tip}">{escape(text[s:e], quote=False)}</mark>')
            )
        out: list[str] = []
        pos = 0
        for s, e, html in sorted(pieces):
            out.append(escape(text[pos:s], quote=False))
            out.append(html)
            pos = e
        out.append(escape(text[pos:], quote=False))
        return "".join(out), unplaced


# Characters that reorder the text around them: ALM, LRM, RLM, the embeddings and overrides, isolates.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show_control(match: re.Match[str]) -> str:
    ch = match.group()
    code = f"U+{ord(ch):04X}"
    return f'<span class="ctl" title="{code} {unicodedata.name(ch, "")}">{code}</span>'


@dataclass
class _NameStats:
    after: Counter[str] = field(default_factory=Counter)
    before: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_MAX_ENDING = 3  # letters of a case ending after a name (Peskows, Пескова, Ławrowa)


def _fold(word: str) -> str:
    """A word compared across scripts and diacritics: Песков, Peskov and PESKOV fold alike."""
    return unidecode(word).casefold()


def _find_mentions(text: str, edits: list[Edit]) -> list[tuple[Edit, tuple[int, int]]]:
    """Where the names of `edits` (rewritten in the translation) occur in the source `text`.

    A mention is a run of words that spell the name before or after the rewrite, compared after
    transliteration and case folding, each word allowing a short case ending (`Dmitri Peskows`,
    `Дмитрия Пескова`). The writer has no glossary, so a spelling that shares nothing with either
    form (a translated name) is not found; nothing is rewritten, this only guides the eye.
    """
    if not edits:
        return []
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]
    found: list[tuple[Edit, tuple[int, int]]] = []
    for edit in edits:
        for name in {edit.before, edit.after}:
            parts = [_fold(p) for p in _WORD.findall(name)]
            if not parts:
                continue
            for i in range(len(words) - len(parts) + 1):
                window = words[i : i + len(parts)]
                if all(
                    w.startswith(p) and len(w) - len(p) <= _MAX_ENDING
                    for (_, _, w), p in zip(window, parts, strict=True)
                ):
                    found.append((edit, (window[0][0], window[-1][1])))
    return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _aside(n: int, what: str) -> str:
    return f" ({n} {what})" if n else ""
