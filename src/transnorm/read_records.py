"""Read transnorm output back into documents: JSONL records and TMX files.

This is what lets a later job start from an earlier run's output (`transnorm convert`, check-names,
align). JSONL records round-trip exactly (`Document.from_record`). A TMX written by `TmxWriter`
gives back each document's id, languages, sentence pairs, paragraphs, source spans, engines, models,
quality flags, segment errors, glossary edits and the run signature; the original text is rebuilt
from the sources and their spans, with the text between sentences (which TMX does not keep) filled
with spaces and paragraph breaks. A TMX from another tool becomes one document per file, pairing
the `srclang` variant of each unit with the first other variant.

A record that cannot be read becomes a document carrying an error (E105 bad JSON, E106 missing
fields), so one bad line does not stop a conversion; a TMX that is not well-formed XML raises
`InputError`, since nothing in it can be trusted.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from transnorm.document import UNDETERMINED, DocError, Document, Edit, Segment
from transnorm.errors import E_BAD_JSON, E_BAD_RECORD, E_INVALID_UTF8, E_UNREADABLE, InputError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INPUT_FORMATS = ("auto", "jsonl", "tmx")


def read_back(
    inputs: Iterable[str | Path], *, input_format: str = "auto", stdin: IO[bytes] | None = None
) -> Iterator[Document]:
    """Documents from transnorm output files (JSONL records or TMX); `-` reads JSONL from stdin."""
    for item in inputs:
        if str(item) == "-":
            raw = stdin if stdin is not None else sys.stdin.buffer
            yield from read_records(_decoded(raw), name="<stdin>")
            continue
        path = Path(item)
        fmt = input_format if input_format != "auto" else sniff_format(path)
        if fmt == "tmx":
            yield from read_tmx(path)
        else:
            try:
                with path.open("rb") as fh:
                    yield from read_records(_decoded(fh), name=str(path))
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}", code=E_UNREADABLE) from None


def sniff_format(path: Path) -> str:
    """`tmx` or `jsonl`, from the file name or else the first non-blank character."""
    suffix = path.suffix.lower()
    if suffix == ".tmx":
        return "tmx"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    try:
        with path.open("rb") as fh:
            head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", code=E_UNREADABLE) from None
    return "tmx" if head.startswith(b"<") else "jsonl"


def read_records(lines: Iterable[str | None], *, name: str = "<records>") -> Iterator[Document]:
    """Documents from JSONL records (`Document.to_record`); blank lines are skipped.

    A `None` line stands for one that could not be decoded as UTF-8.
    """
    for lineno, line in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if line is None:
            yield _broken(where, E_INVALID_UTF8, f"line {lineno} of {name} is not valid UTF-8")
            continue
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _broken(where, E_BAD_JSON, f"line {lineno} of {name} is not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or "id" not in rec:
            yield _broken(where, E_BAD_RECORD, f"line {lineno} of {name} is not a transnorm record (no 'id')")
            continue
        try:
            yield Document.from_record(rec)
        except (KeyError, TypeError, ValueError) as exc:
            yield _broken(
                str(rec["id"]),
                E_BAD_RECORD,
                f"line {lineno} of {name} is not a valid transnorm record ({type(exc).__name__}: {exc}); "
                "was it written by `transnorm run --format jsonl`?",
            )


def read_tmx(source: str | Path | IO[bytes]) -> list[Document]:
    """Documents from a TMX file, grouped by the `x-document` prop (one document if there is none)."""
    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "<tmx>")
    try:
        root = ET.parse(source).getroot()
    except ET.ParseError as exc:
        raise InputError(f"{name} is not well-formed XML: {exc}", code=E_UNREADABLE) from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}", code=E_UNREADABLE) from None
    if root.tag != "tmx":
        raise InputError(f"{name} is not a TMX file (root element <{root.tag}>)", code=E_UNREADABLE)
    header = root.find("header")
    header_attrs = header.attrib if header is not None else {}
    srclang = header_attrs.get("srclang", "*all*")
    signature = _header_signature(header)
    docs: dict[str, Document] = {}
    default_id = Path(name).stem or "tmx"
    for tu in root.iterfind("body/tu"):
        props = [(p.get("type", ""), p.text or "") for p in tu.findall("prop")]
        doc_id = _first(props, "x-document") or default_id
        doc = docs.get(doc_id)
        if doc is None:
            doc = docs[doc_id] = Document(id=doc_id, text="", signature=dict(signature))
        _add_unit(doc, tu, props, srclang)
    if header is not None:
        for note in header.findall("note"):
            found = _header_error(note.text or "")
            if found is not None:
                doc_id, err = found
                doc = docs.setdefault(doc_id, Document(id=doc_id, text="", signature=dict(signature)))
                doc.errors.append(err)
    for doc in docs.values():
        _finish(doc)
    return list(docs.values())


def _add_unit(doc: Document, tu: ET.Element, props: list[tuple[str, str]], srclang: str) -> None:
    tuvs = [
        (tuv.get(XML_LANG) or tuv.get("lang") or UNDETERMINED, _seg_text(tuv)) for tuv in tu.findall("tuv")
    ]
    if not tuvs:
        return
    lang = tu.get("srclang") or srclang
    src_pos = next((i for i, (tl, _) in enumerate(tuvs) if tl.lower() == lang.lower()), 0)
    src_lang, source = tuvs[src_pos]
    others = [t for i, t in enumerate(tuvs) if i != src_pos]
    index = int(_first(props, "x-segment") or len(doc.segments))
    span = (_first(props, "x-source-span") or "").split()
    start, end = (int(span[0]), int(span[1])) if len(span) == 2 else (-1, -1)
    seg = Segment(
        index=index,
        start=start,
        end=end,
        source=source,
        paragraph=int(_first(props, "x-paragraph") or 0),
        lang=src_lang,
        target=others[0][1] if others else None,
        engine=_first(props, "x-engine"),
        model=_first(props, "x-model"),
        flags=[v for t, v in props if t == "x-flag"],
    )
    doc.segments.append(seg)
    if doc.lang == UNDETERMINED:
        doc.lang = src_lang
    if others and doc.target_lang is None:
        doc.target_lang = others[0][0]
    for t, v in props:
        if t == "x-error":
            try:
                doc.errors.append(DocError.parse(v, segment=index, fatal=False))
            except ValueError:  # not written by transnorm: kept, as an error of unknown origin
                doc.errors.append(DocError("unknown", "E000", v, segment=index, fatal=False))
        elif t == "x-edit":
            rec = json.loads(v)
            rec["segment"] = index
            doc.edits.append(Edit.from_record(rec))


def _header_error(text: str) -> tuple[str, DocError] | None:
    """(document id, error) from a TMX header note `doc-3: read E104: message`; the id may itself
    hold ": ", so each cut is tried, the shortest id first. None for a note of another kind."""
    cut = text.find(": ")
    while cut >= 0:
        try:
            return text[:cut], DocError.parse(text[cut + 2 :])
        except ValueError:
            cut = text.find(": ", cut + 1)
    return None


def _seg_text(tuv: ET.Element) -> str:
    seg = tuv.find("seg")
    return "".join(seg.itertext()) if seg is not None else ""


def _first(props: list[tuple[str, str]], kind: str) -> str | None:
    return next((v for t, v in props if t == kind), None)


def _header_signature(header: ET.Element | None) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    if header is not None:
        for prop in header.findall("prop"):
            kind = prop.get("type", "")
            if kind.startswith("x-signature:"):
                values.setdefault(kind.partition(":")[2], []).append(prop.text or "")
    return {k: "+".join(v) for k, v in values.items()}


def _finish(doc: Document) -> None:
    """Per-document signature fields and the rebuilt text, once every unit is in."""
    engines = sorted({s.engine for s in doc.segments if s.engine})
    models = sorted({s.model for s in doc.segments if s.model})
    if engines:
        doc.signature["engine"] = "+".join(engines)
    if models:
        doc.signature["model"] = "+".join(models)
    doc.segments.sort(key=lambda s: s.index)
    doc.text = _rebuild_text(doc.segments)


def _rebuild_text(segments: list[Segment]) -> str:
    """A text in which every source sits at its span (`text[start:end] == source`).

    The gaps between sentences are filled with spaces, starting with line breaks where a new
    paragraph begins. When the spans do not fit (missing, overlapping, wrong length), the sources
    are joined with a space, or a blank line between paragraphs, and the segments get new spans.
    """
    parts: list[str] = []
    pos = 0
    if _spans_fit(segments):
        for i, seg in enumerate(segments):
            gap = seg.start - pos
            breaks = min(2, gap) if i and seg.paragraph != segments[i - 1].paragraph else 0
            parts.append("\n" * breaks + " " * (gap - breaks))
            parts.append(seg.source)
            pos = seg.end
        return "".join(parts)
    for i, seg in enumerate(segments):
        if i:
            sep = "\n\n" if seg.paragraph != segments[i - 1].paragraph else " "
            parts.append(sep)
            pos += len(sep)
        seg.start, seg.end = pos, pos + len(seg.source)
        parts.append(seg.source)
        pos = seg.end
    return "".join(parts)


def _spans_fit(segments: list[Segment]) -> bool:
    pos = 0
    for seg in segments:
        if seg.start < pos or seg.end - seg.start != len(seg.source):
            return False
        pos = seg.end
    return True


def _broken(doc_id: str, code: str, message: str) -> Document:
    doc = Document(id=doc_id, text="")
    doc.add_error("read", code, message)
    return doc


def _decoded(raw: IO[bytes]) -> Iterator[str | None]:
    """Lines of a byte stream as text; None for a line that is not UTF-8."""
    for line in raw:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield None
