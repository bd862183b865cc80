"""The document that flows through every stage, and its JSON record form.

A `Document` is mutable on purpose: each stage fills in its part (language, segments, translations,
edits, errors) and hands the same object on, as spaCy's `Doc` does. The record form
(`Document.to_record`) is the stable, documented output schema; `Document.from_record` reads it back
so that later jobs (convert, check-names, align) can start from a previous run's output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from transnorm.signature import Signature

UNDETERMINED = "und"
"""The language of a text no rule or profile can name (and of a document not yet detected)."""
_ERROR_TEXT = re.compile(r"^(?P<stage>\S+) (?P<code>E\d+): (?P<message>.*)$", re.S)


def replace_surrogates(text: str) -> tuple[str, bool]:
    """Text that can be written as UTF-8: lone surrogates (possible in JSON input) become U+FFFD.

    Returns the text and whether anything was replaced, so the caller can record a warning.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text), True
    return text, False


@dataclass(slots=True)
class Segment:
    """One sentence of the source text and its translation.

    `start`/`end` are character offsets into `Document.text`: `doc.text[start:end] == source`.
    """

    index: int
    start: int
    end: int
    source: str
    paragraph: int = 0
    lang: str = UNDETERMINED
    lang_confidence: float = 0.0
    target: str | None = None
    engine: str | None = None
    model: str | None = None
    flags: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "paragraph": self.paragraph,
            "source": self.source,
            "target": self.target,
            "source_span": [self.start, self.end],
            "lang": self.lang,
            "lang_confidence": round(self.lang_confidence, 4),
            "engine": self.engine,
            "model": self.model,
            "flags": list(self.flags),
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Segment:
        start, end = rec["source_span"]
        return cls(
            index=int(rec["index"]),
            start=int(start),
            end=int(end),
            source=rec["source"],
            paragraph=int(rec.get("paragraph", 0)),
            lang=rec.get("lang", UNDETERMINED),
            lang_confidence=float(rec.get("lang_confidence", 0.0)),
            target=rec.get("target"),
            engine=rec.get("engine"),
            model=rec.get("model"),
            flags=list(rec.get("flags", [])),
        )


@dataclass(slots=True)
class Edit:
    """One rewrite made by a stage on a segment's target (or source) text.

    `span` is the character span of `after` in the segment text once every edit is applied, so a
    reader can highlight it; `before` is the text that was there.
    """

    segment: int
    span: tuple[int, int]
    before: str
    after: str
    entity: str | None = None
    rule: str = ""
    side: str = "target"

    def to_record(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "span": list(self.span),
            "before": self.before,
            "after": self.after,
            "entity": self.entity,
            "rule": self.rule,
            "side": self.side,
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Edit:
        s, e = rec["span"]
        return cls(
            segment=int(rec["segment"]),
            span=(int(s), int(e)),
            before=rec["before"],
            after=rec["after"],
            entity=rec.get("entity"),
            rule=rec.get("rule", ""),
            side=rec.get("side", "target"),
        )


@dataclass(slots=True)
class DocError:
    """Why (part of) a document could not be processed. `code` is stable and searchable.

    Its one text form, `str(err)`, is `translate E303: message` (the formats that have no error
    fields, TSV, TMX and XLIFF, write it; the segment is where they write it); `DocError.parse`
    reads it back.
    """

    stage: str
    code: str
    message: str
    segment: int | None = None
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.stage} {self.code}: {self.message}"

    @classmethod
    def parse(cls, text: str, *, segment: int | None = None, fatal: bool = True) -> DocError:
        """The error whose text form (`str(err)`) is `text`; `ValueError` for text in another form."""
        m = _ERROR_TEXT.match(text)
        if m is None:
            raise ValueError(f"not an error in the form 'stage E123: message': {text!r}")
        return cls(m["stage"], m["code"], m["message"], segment=segment, fatal=fatal)

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"stage": self.stage, "code": self.code, "message": self.message}
        if self.segment is not None:
            rec["segment"] = self.segment
        return rec

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> DocError:
        return cls(
            stage=rec["stage"],
            code=rec.get("code", "E000"),
            message=rec["message"],
            segment=rec.get("segment"),
        )


@dataclass(slots=True)
class Document:
    """A source article on its way through the pipeline."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    lang: str = UNDETERMINED
    lang_confidence: float = 0.0
    target_lang: str | None = None
    segments: list[Segment] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    errors: list[DocError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)

    def __post_init__(self) -> None:
        if not isinstance(self.signature, Signature):
            self.signature = Signature(self.signature)

    @property
    def failed(self) -> bool:
        """True when the document carries any error (its record has a non-empty `errors`)."""
        return bool(self.errors)

    @property
    def stopped(self) -> bool:
        """True once a fatal error means later stages have nothing sensible to do (they skip it).

        A non-fatal error (one segment the engine could not translate) fails the document but does
        not stop it: normalisation still runs on the segments that were translated.
        """
        return any(e.fatal for e in self.errors)

    def add_error(
        self, stage: str, code: str, message: str, *, segment: int | None = None, fatal: bool = True
    ) -> None:
        self.errors.append(DocError(stage, code, message, segment=segment, fatal=fatal))

    def to_record(self, *, include_text: bool = True) -> dict[str, Any]:
        """The JSONL record documented in the README ("Output schema")."""
        rec = {
            "id": self.id,
            "source_lang": self.lang,
            "source_lang_confidence": round(self.lang_confidence, 4),
            "target_lang": self.target_lang,
            "segments": [s.to_record() for s in self.segments],
            "edits": [e.to_record() for e in self.edits],
            "errors": [e.to_record() for e in self.errors],
            "warnings": list(self.warnings),
            "metadata": self.metadata,
            "signature": self.signature.to_dict(),
        }
        if include_text:
            rec["text"] = self.text
        return rec

    @classmethod
    def from_dict(cls, row: Mapping[str, Any], *, default_id: str = "doc") -> Document:
        """A document from an input row: `id`, `text`, and every other key kept as metadata.

        A `metadata` mapping in the row is merged into the metadata rather than nested. A row whose
        `text` is missing or not a string gives a document carrying error E106 (not an exception), so
        that every row still yields one record; a missing `id` becomes `default_id`.
        """
        from transnorm.errors import E_BAD_RECORD

        doc_id = row.get("id")
        doc_id = default_id if doc_id is None else str(doc_id)
        metadata = {k: v for k, v in row.items() if k not in ("id", "text", "metadata")}
        if isinstance(row.get("metadata"), Mapping):
            metadata = {**row["metadata"], **metadata}
        elif "metadata" in row:
            metadata["metadata"] = row["metadata"]
        text = row.get("text")
        if not isinstance(text, str):
            what = "missing" if text is None else f"a {type(text).__name__}, not a string"
            doc = cls(id=doc_id, text="", metadata=metadata)
            doc.add_error("read", E_BAD_RECORD, f"field 'text' is {what}")
            return doc
        text, replaced = replace_surrogates(text)
        doc = cls(id=doc_id, text=text, metadata=metadata)
        if replaced:
            doc.warnings.append("lone surrogate code points in 'text' were replaced by U+FFFD")
        return doc

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Document:
        """Rebuild a document from a record written by `to_record` (round trip)."""
        return cls(
            id=str(rec["id"]),
            text=rec.get("text", ""),
            metadata=dict(rec.get("metadata") or {}),
            lang=rec.get("source_lang", UNDETERMINED),
            lang_confidence=float(rec.get("source_lang_confidence", 0.0)),
            target_lang=rec.get("target_lang"),
            segments=[Segment.from_record(s) for s in rec.get("segments", [])],
            edits=[Edit.from_record(e) for e in rec.get("edits", [])],
            errors=[DocError.from_record(e) for e in rec.get("errors", [])],
            warnings=list(rec.get("warnings", [])),
            signature=Signature(rec.get("signature") or {}),
        )
