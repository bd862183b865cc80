"""What the XML and HTML writers share: text cleaning, escaping, spooling and the run signature.

Characters that XML 1.0 forbids (C0 controls other than tab, newline and carriage return, U+FFFE,
U+FFFF and lone surrogates) can reach a writer from OCR'd or badly decoded news text. A writer must
never emit a file a parser rejects, and must not drop text silently either, so every such character
is *replaced* with U+FFFD REPLACEMENT CHARACTER (one for one, so character offsets of edits stay
valid) and the writer records how many it replaced (TMX: a `x-transnorm-replaced-chars` prop; XLIFF:
a note; HTML: a visible flag). The same rule is applied to HTML, where browsers would otherwise
render the controls unpredictably.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from typing import IO, Any

from transnorm.document import Document, Edit
from transnorm.signature import ORDER

REPLACEMENT = "\ufffd"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPOOL_BYTES = 8 * 1024 * 1024


class TextCleaner:
    """Replace characters that XML 1.0 forbids and count how many were replaced."""

    def __init__(self) -> None:
        self.replaced = 0

    def clean(self, text: str) -> str:
        """`text` with every XML-illegal character replaced by U+FFFD (same length)."""
        cleaned, n = _ILLEGAL_XML.subn(REPLACEMENT, text)
        self.replaced += n
        return cleaned


def count_illegal(text: str) -> int:
    """How many characters of `text` XML 1.0 forbids."""
    return len(_ILLEGAL_XML.findall(text))


def xml_text(text: str) -> str:
    """Escape already-cleaned text for XML element content.

    `\\r` becomes `&#13;` because a parser turns a literal carriage return into a newline.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    """Escape already-cleaned text for a double-quoted XML attribute value.

    Tabs and newlines are written as character references, since attribute-value normalisation
    would turn them into spaces.
    """
    return xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class Spool:
    """A temporary text buffer (memory first, disk past 8 MB) for a body written before its header.

    TMX, XLIFF and HTML put facts about *all* documents (languages, signature, totals) before the
    documents themselves; the writers stream each document's markup here and copy it out on close.
    """

    def __init__(self) -> None:
        self._file: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in copy_to
            max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline="\n"
        )

    def write(self, text: str) -> None:
        self._file.write(text)

    def copy_to(self, stream: IO[str]) -> None:
        """Write the buffered text to `stream` and release the buffer."""
        self._file.seek(0)
        shutil.copyfileobj(self._file, stream)
        self._file.close()


class SignatureSet:
    """The distinct run signatures of the documents written so far, key by key."""

    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {}

    def add(self, signature: Mapping[str, Any]) -> None:
        for key, value in signature.items():
            if value is None or value == "":
                continue
            seen = self.values.setdefault(key, [])
            text = str(value)
            if text not in seen:
                seen.append(text)

    def items(self) -> list[tuple[str, list[str]]]:
        """(key, distinct values) pairs, the usual keys first, then the others alphabetically."""
        known = [k for k in ORDER if k in self.values]
        rest = sorted(k for k in self.values if k not in ORDER)
        return [(k, self.values[k]) for k in known + rest]


def common_value(values: Iterable[str], mixed: str) -> str:
    """The single value in `values`, or `mixed` when there are several (or none)."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else mixed


def segment_edits(doc: Document, index: int, side: str) -> list[Edit]:
    """The edits of one segment side, in text order."""
    return sorted((e for e in doc.edits if e.segment == index and e.side == side), key=lambda e: e.span)


def placeable_edits(text: str, edits: list[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Split edits into those whose span can be marked up in `text` and those that cannot.

    A span can be marked when it lies inside the text, covers exactly `edit.after` and does not
    overlap the previous one; anything else (stale offsets, overlapping rewrites) is still reported,
    only not as inline markup.
    """
    placed: list[Edit] = []
    other: list[Edit] = []
    end = 0
    for edit in edits:
        s, e = edit.span
        if end <= s <= e <= len(text) and text[s:e] == edit.after and s < e:
            placed.append(edit)
            end = e
        else:
            other.append(edit)
    return placed, other


def describe_edit(edit: Edit) -> str:
    """A short human line for an edit: `Peskow → Peskov (rule: glossary, entity: Q123)`."""
    parts = [f"{edit.before} → {edit.after}"]
    extra = [f"rule: {edit.rule}"] if edit.rule else []
    if edit.entity:
        extra.append(f"entity: {edit.entity}")
    if extra:
        parts.append(f"({', '.join(extra)})")
    return " ".join(parts)
