"""The characters that break a line, for the line formats (JSONL, TSV) to escape.

`str.splitlines()` splits on more than `\\n` and `\\r`: vertical tab, form feed, the file, group and
record separators, NEL and the Unicode line and paragraph separators. A reader that splits records
that way (Python's `splitlines`, many editors, JavaScript before ES2019 for U+2028/U+2029) would cut a
record in two, so every writer of a one-record-per-line format escapes all of them. The table is
checked against `str.splitlines` itself by a test.
"""

from __future__ import annotations

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character on which `str.splitlines()` splits a line."""


def escape_unicode(ch: str) -> str:
    """`\\uXXXX` for one character (the escape both JSON and transnorm's TSV read back)."""
    return f"\\u{ord(ch):04x}"
