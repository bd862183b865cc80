"""XLIFF 2.1: one `<file>` per document, one `<unit>`/`<segment>` per sentence pair.

    <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="...metadata:2.0"
           version="2.1" srcLang="de" trgLang="en">
      <file id="f1" original="doc-1">
        <mda:metadata>                    run signature and document facts (Metadata module)
        <notes>                           document errors and warnings
        <unit id="s0">
          <mda:metadata>                  paragraph, source span, engine, model, quality flags
          <notes><note category="glossary">Peskow → Peskov (rule: ...)</note>
                 <note category="quality">flag: length-ratio</note></notes>
          <segment id="s0" state="translated">
            <source xml:space="preserve">...</source>
            <target xml:space="preserve">... <mrk id="g1" type="comment" value="...">Peskov</mrk></target>

XLIFF 2.1 keeps the 2.0 core namespace (only `version` changes), which is why the namespace says 2.0.
`state` is `initial` for a segment without a translation (no `<target>`) and `translated` otherwise:
machine output has not been reviewed. A glossary rewrite is a `<mrk type="comment">` around the new
spelling with the old one in `value`, plus a unit `<note>`; a rewrite whose offsets do not fit the
text is kept as a note only.

`srcLang` is required on the root and must be the same for every file, so the documents' common
source language is used; when a batch mixes source languages it is `mul` (BCP 47 "multiple
languages") and each file's real language is in its metadata. A document without segments (one that
failed) still gets a `<file>`, holding its errors and one untranslatable empty unit, because XLIFF
requires at least one unit per file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import IO

from transnorm.document import UNDETERMINED, Document, Edit, Segment
from transnorm.write._shared import (
    SignatureSet,
    Spool,
    TextCleaner,
    common_value,
    describe_edit,
    placeable_edits,
    segment_edits,
    xml_attr,
    xml_text,
)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
MIXED_LANGUAGES = "mul"


class XliffWriter:
    """Write documents as one XLIFF 2.1 file; the file is complete once `close` returns."""

    def __init__(self, stream: IO[str], **_: object) -> None:
        self.stream = stream
        self._body = Spool()
        self._cleaner = TextCleaner()
        self._signatures = SignatureSet()
        self._source_langs: Counter[str] = Counter()
        self._target_langs: Counter[str] = Counter()
        self._files = 0

    @property
    def replaced_chars(self) -> int:
        """How many XML-illegal characters were replaced with U+FFFD so far."""
        return self._cleaner.replaced

    def write(self, doc: Document) -> None:
        self._files += 1
        self._signatures.add(doc.signature)
        self._source_langs[doc.lang or UNDETERMINED] += 1
        if doc.target_lang:
            self._target_langs[doc.target_lang] += 1
        self._body.write(self._file(doc, f"f{self._files}"))

    def close(self) -> None:
        srclang = common_value(self._source_langs, MIXED_LANGUAGES)
        out = self.stream
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        trg = ""
        if self._target_langs:
            trg = f' trgLang="{xml_attr(common_value(self._target_langs, MIXED_LANGUAGES))}"'
        out.write(
            f'<xliff xmlns="{XLIFF_NS}" xmlns:mda="{MDA_NS}" version="2.1" '
            f'srcLang="{xml_attr(srclang)}"{trg}>\n'
        )
        self._body.copy_to(out)
        out.write("</xliff>\n")
        out.flush()

    # -- one document ------------------------------------------------------------------------

    def _file(self, doc: Document, file_id: str) -> str:
        clean = self._cleaner.clean
        before = self._cleaner.replaced
        signature = [(k, str(v)) for k, v in doc.signature.items() if v not in (None, "")]
        facts = [("id", doc.id), ("source-lang", doc.lang), ("target-lang", doc.target_lang or "")]
        facts += [(f"metadata:{k}", str(v)) for k, v in doc.metadata.items() if isinstance(v, (str, int))]
        notes = [("error", str(e)) for e in doc.errors if e.segment is None]
        notes += [("warning", w) for w in doc.warnings]
        signature, facts, notes = (
            _clean_pairs(signature, clean),
            _clean_pairs(facts, clean),
            _clean_pairs(notes, clean),
        )
        units = "".join(self._unit(doc, seg) for seg in doc.segments) or _EMPTY_UNIT
        replaced = self._cleaner.replaced - before
        if replaced:
            notes.append(("transnorm", f"{replaced} characters not allowed in XML replaced with U+FFFD"))

        lines = [f'  <file id="{file_id}" original="{xml_attr(clean(doc.id))}">', "    <mda:metadata>"]
        if signature:
            lines.append(_meta_group("transnorm-signature", signature, 6))
        lines.append(_meta_group("transnorm-document", facts, 6))
        lines.append("    </mda:metadata>")
        lines += _notes(notes, 4)
        return "\n".join(lines) + "\n" + units + "  </file>\n"

    def _unit(self, doc: Document, seg: Segment) -> str:
        clean = self._cleaner.clean
        uid = f"s{seg.index}"
        facts = [("paragraph", str(seg.paragraph)), ("source-span", f"{seg.start} {seg.end}")]
        if seg.engine:
            facts.append(("engine", seg.engine))
        if seg.model:
            facts.append(("model", seg.model))
        facts += [("flag", f) for f in seg.flags]
        notes = [("quality", f"flag: {f}") for f in seg.flags]
        notes += [("error", str(e)) for e in doc.errors if e.segment == seg.index]
        source_edits = segment_edits(doc, seg.index, "source")
        target_edits = segment_edits(doc, seg.index, "target")
        notes += [("glossary", f"source: {describe_edit(e)}") for e in source_edits]
        notes += [("glossary", describe_edit(e)) for e in target_edits]
        facts, notes = _clean_pairs(facts, clean), _clean_pairs(notes, clean)
        marks = _Marks(clean)
        state = "initial" if seg.target is None else "translated"

        lines = [f'    <unit id="{uid}">', "      <mda:metadata>"]
        lines.append(_meta_group("transnorm-segment", facts, 8))
        lines.append("      </mda:metadata>")
        lines += _notes(notes, 6)
        lines.append(f'      <segment id="{uid}" state="{state}">')
        source = marks.markup(clean(seg.source), source_edits)
        lines.append(f'        <source xml:space="preserve">{source}</source>')
        if seg.target is not None:
            target = marks.markup(clean(seg.target), target_edits)
            lines.append(f'        <target xml:space="preserve">{target}</target>')
        lines.append("      </segment>")
        lines.append("    </unit>\n")
        return "\n".join(lines)


# XLIFF requires at least one unit with one segment per file; a document without segments gets this.
_EMPTY_UNIT = (
    '    <unit id="empty" translate="no">\n'
    '      <segment id="empty" state="initial"><source/></segment>\n'
    "    </unit>\n"
)


class _Marks:
    """Inline `<mrk>` annotations for glossary rewrites, numbered uniquely within one unit."""

    def __init__(self, clean: Callable[[str], str]) -> None:
        self.clean = clean
        self.count = 0

    def markup(self, text: str, edits: list[Edit]) -> str:
        """`text` escaped, with each placeable edit wrapped in a `<mrk>` carrying the old spelling."""
        placed, _ = placeable_edits(text, edits)
        out: list[str] = []
        pos = 0
        for edit in placed:
            s, e = edit.span
            self.count += 1
            value = f"glossary: was {edit.before}"
            value += f"; rule: {edit.rule}" if edit.rule else ""
            value += f"; entity: {edit.entity}" if edit.entity else ""
            value = self.clean(value)
            out.append(xml_text(text[pos:s]))
            out.append(
                f'<mrk id="g{self.count}" type="comment" value="{xml_attr(value)}">'
                f"{xml_text(text[s:e])}</mrk>"
            )
            pos = e
        out.append(xml_text(text[pos:]))
        return "".join(out)


def _clean_pairs(pairs: list[tuple[str, str]], clean: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(clean(k), clean(v)) for k, v in pairs]


def _notes(notes: list[tuple[str, str]], indent: int) -> list[str]:
    if not notes:
        return []
    pad = " " * indent
    lines = [f"{pad}<notes>"]
    lines += [f'{pad}  <note category="{xml_attr(c)}">{xml_text(t)}</note>' for c, t in notes]
    lines.append(f"{pad}</notes>")
    return lines


def _meta_group(category: str, facts: list[tuple[str, str]], indent: int) -> str:
    pad = " " * indent
    lines = [f'{pad}<mda:metaGroup category="{category}">']
    lines += [f'{pad}  <mda:meta type="{xml_attr(k)}">{xml_text(v)}</mda:meta>' for k, v in facts]
    lines.append(f"{pad}</mda:metaGroup>")
    return "\n".join(lines)
