"""TMX 1.4b: one translation unit per aligned sentence pair, for translation memories and CAT tools.

Layout (every `prop` type is a TMX user-defined `x-` type):

    <tmx version="1.4">
      <header creationtool="transnorm" ... srclang="de" segtype="sentence">
        <prop type="x-signature:engine">marian</prop>      one per distinct value in the run
        <note>doc-3: read E104: document is empty</note>   errors of documents without segments
      </header>
      <body>
        <tu tuid="doc-1#0" srclang="de">
          <note>glossary: Peskow → Peskov (rule: ...)</note>
          <prop type="x-document">doc-1</prop>  x-segment, x-paragraph, x-source-span, x-engine,
          <prop type="x-flag">length-ratio</prop>  x-model, x-flag*, x-error*, x-edit* (JSON)
          <tuv xml:lang="de"><seg>...</seg></tuv>
          <tuv xml:lang="en"><seg>...</seg></tuv>     absent while the segment is untranslated
        </tu>

The header needs the source language of the whole file, known only once every document has been
seen, so units are spooled and the file is assembled on `close`. `srclang` is the documents' common
language, or `*all*` when they differ. Characters XML forbids are replaced (see `_shared`), and the
unit records how many in `x-transnorm-replaced-chars`. `transnorm.read_records.read_tmx` reads the
file back into documents.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any

from transnorm.document import UNDETERMINED, Document, Segment
from transnorm.write._shared import (
    SignatureSet,
    Spool,
    TextCleaner,
    common_value,
    describe_edit,
    segment_edits,
    xml_attr,
    xml_text,
)

ALL_LANGUAGES = "*all*"
O_TMF = "transnorm"


class TmxWriter:
    """Write documents as one TMX 1.4b file; the file is complete once `close` returns."""

    def __init__(
        self, stream: IO[str], *, adminlang: str = "en", datatype: str = "plaintext", **_: object
    ) -> None:
        self.stream = stream
        self.adminlang = adminlang
        self.datatype = datatype
        self._body = Spool()
        self._cleaner = TextCleaner()
        self._signatures = SignatureSet()
        self._source_langs: Counter[str] = Counter()
        self._header_notes: list[str] = []

    def write(self, doc: Document) -> None:
        self._signatures.add(doc.signature)
        for err in doc.errors:
            if err.segment is None:
                self._header_notes.append(f"{doc.id}: {err}")
        for seg in doc.segments:
            lang = _source_lang(doc, seg)
            self._source_langs[lang] += 1
            self._body.write(self._unit(doc, seg, lang))

    def close(self) -> None:
        from transnorm import __version__

        srclang = common_value(self._source_langs, ALL_LANGUAGES)
        out = self.stream
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        out.write('<tmx version="1.4">\n')
        attrs = {
            "creationtool": "transnorm",
            "creationtoolversion": __version__,
            "datatype": self.datatype,
            "segtype": "sentence",
            "adminlang": self.adminlang,
            "srclang": srclang,
            "o-tmf": O_TMF,
        }
        out.write(f"  <header {_attrs(attrs)}>\n")
        for note in self._header_notes:
            out.write(f"    <note>{xml_text(self._cleaner.clean(note))}</note>\n")
        for key, values in self._signatures.items():
            for value in values:
                text = xml_text(self._cleaner.clean(value))
                out.write(
                    f'    <prop type="x-signature:{xml_attr(self._cleaner.clean(key))}">{text}</prop>\n'
                )
        out.write("  </header>\n  <body>\n")
        self._body.copy_to(out)
        out.write("  </body>\n</tmx>\n")
        out.flush()

    @property
    def replaced_chars(self) -> int:
        """How many XML-illegal characters were replaced with U+FFFD so far."""
        return self._cleaner.replaced

    def _unit(self, doc: Document, seg: Segment, lang: str) -> str:
        before = self._cleaner.replaced
        clean = self._cleaner.clean
        props: list[tuple[str, str]] = [
            ("x-document", doc.id),
            ("x-segment", str(seg.index)),
            ("x-paragraph", str(seg.paragraph)),
            ("x-source-span", f"{seg.start} {seg.end}"),
        ]
        if seg.engine:
            props.append(("x-engine", seg.engine))
        if seg.model:
            props.append(("x-model", seg.model))
        props += [("x-flag", flag) for flag in seg.flags]
        props += [("x-error", str(e)) for e in doc.errors if e.segment == seg.index]
        notes: list[str] = []
        for side in ("source", "target"):
            for edit in segment_edits(doc, seg.index, side):
                notes.append(f"glossary ({side}): {describe_edit(edit)}")
                record = edit.to_record()
                del record["segment"]
                props.append(("x-edit", json.dumps(record, ensure_ascii=False, separators=(",", ":"))))
        tuvs = [(lang, clean(seg.source))]
        if seg.target is not None:
            tuvs.append((doc.target_lang or UNDETERMINED, clean(seg.target)))
        props = [(t, clean(v)) for t, v in props]
        notes = [clean(n) for n in notes]
        replaced = self._cleaner.replaced - before
        if replaced:
            props.append(("x-transnorm-replaced-chars", str(replaced)))

        tuid = xml_attr(clean(f"{doc.id}#{seg.index}"))
        lines = [f'    <tu tuid="{tuid}" srclang="{xml_attr(lang)}">']
        lines += [f"      <note>{xml_text(n)}</note>" for n in notes]
        lines += [f'      <prop type="{t}">{xml_text(v)}</prop>' for t, v in props]
        lines += [
            f'      <tuv xml:lang="{xml_attr(tl)}"><seg>{xml_text(text)}</seg></tuv>' for tl, text in tuvs
        ]
        lines.append("    </tu>\n")
        return "\n".join(lines)


def _source_lang(doc: Document, seg: Segment) -> str:
    if seg.lang and seg.lang != UNDETERMINED:
        return seg.lang
    return doc.lang or UNDETERMINED


def _attrs(attrs: dict[str, Any]) -> str:
    return " ".join(f'{k}="{xml_attr(str(v))}"' for k, v in attrs.items())
