"""From two texts to one aligned `Document`, the record `transnorm run` writes.

The source document keeps its text and offsets; each segment is one link of the alignment: the
source sentences of the link (merged into one segment for a 2-1 or 3-1 link, with `source` the text
between the first sentence's start and the last one's end) and, as `target`, the slice of the target
text covered by the link's target sentences. Nothing is dropped:

- a 1-0 link (a source sentence with no translation) has `target=None` and the flag `source_only`;
- a 0-1 link (a target sentence with no source) becomes a segment with an empty source at the
  position where it falls (`start == end`), its text as `target`, and the flag `target_only`;
- n-m links other than 1-1 carry `merged:<n>-<m>`; an assisted link whose chrF similarity is below
  `AlignConfig.low_confidence` carries `low_alignment_score`.

`metadata["alignment"]` keeps the target side (id, text, one `[start, end]` target span or null per
segment) and how the alignment was made; `signature` names the aligner, the assisting engine and
model, and the transnorm version. `engine`/`model` of the segments stay empty: the targets are an
existing translation, not machine output.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from transnorm import __version__
from transnorm.align.config import AlignConfig
from transnorm.align.gale_church import GaleChurchAligner
from transnorm.align.model import Alignment
from transnorm.document import UNDETERMINED, Document, Segment
from transnorm.errors import E_EMPTY, InputError
from transnorm.langcodes import normalise_lang
from transnorm.signature import Signature
from transnorm.translate.base import TranslationEngine

if TYPE_CHECKING:
    from transnorm.detect import LanguageDetector

SOURCE_ONLY = "source_only"
TARGET_ONLY = "target_only"
MERGED = "merged"
LOW_SCORE = "low_alignment_score"


class Aligner(Protocol):
    """What `align_documents` needs of an aligner (`GaleChurchAligner`, `AssistedAligner`)."""

    method: str

    def align(
        self,
        source: Sequence[str],
        target: Sequence[str],
        *,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Alignment: ...


class _Span(Protocol):
    start: int
    end: int
    paragraph: int


def make_aligner(engine: TranslationEngine | str | None, config: AlignConfig | None = None) -> Aligner:
    """`GaleChurchAligner` without an engine (None or "none"), else `AssistedAligner` with it (an
    engine named by a string is built with its default options; `align.pairs.align_files` builds it
    from a run's configuration instead)."""
    if engine is None or engine == "none":
        return GaleChurchAligner(config)
    from transnorm.align.assisted import AssistedAligner

    if isinstance(engine, str):
        from transnorm.translate.registry import create_engine

        engine = create_engine(engine)
    return AssistedAligner(engine, config)


def align_documents(
    source: Document | str,
    target: Document | str,
    *,
    aligner: Aligner | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    max_chars: int | None = None,
    detector: LanguageDetector | None = None,
) -> Document:
    """Segment both documents, align their sentences and return the aligned source document.

    Languages come from the arguments, else from the documents (`Document.lang`), else from
    `detector` (default: the detector of a default configuration). Sentences are split as the
    segment stage splits them (`max_chars` default: `segment.max_chars` of a default configuration).
    Raises `InputError` (E104) when either side has no text.
    """
    from transnorm.config import SegmentOptions
    from transnorm.segment import split_sentences

    src = source if isinstance(source, Document) else Document(id="source", text=source)
    tgt = target if isinstance(target, Document) else Document(id="target", text=target)
    for doc, side in ((src, "source"), (tgt, "target")):
        if not doc.text.strip():
            raise InputError(f"the {side} document {doc.id!r} is empty; nothing to align", code=E_EMPTY)
    src_lang, src_conf = _language(src, source_lang, detector)
    tgt_lang, _ = _language(tgt, target_lang, detector)
    max_chars = max_chars or SegmentOptions().max_chars
    src_spans = split_sentences(src.text, _known(src_lang), max_chars=max_chars)
    tgt_spans = split_sentences(tgt.text, _known(tgt_lang), max_chars=max_chars)
    aligner = aligner or GaleChurchAligner()
    alignment = aligner.align(
        [src.text[s.start : s.end] for s in src_spans],
        [tgt.text[s.start : s.end] for s in tgt_spans],
        source_lang=_known(src_lang),
        target_lang=_known(tgt_lang),
    )
    low = getattr(getattr(aligner, "config", None), "low_confidence", AlignConfig().low_confidence)
    out = build_document(src, tgt, src_spans, tgt_spans, alignment, low_confidence=low)
    out.lang, out.lang_confidence, out.target_lang = src_lang, src_conf, tgt_lang
    for seg in out.segments:
        seg.lang, seg.lang_confidence = src_lang, src_conf
    return out


def build_document(
    source: Document,
    target: Document,
    source_spans: Sequence[_Span],
    target_spans: Sequence[_Span],
    alignment: Alignment,
    *,
    low_confidence: float = 0.0,
) -> Document:
    """The aligned document for an alignment of `source_spans` with `target_spans` (module docstring)."""
    segments: list[Segment] = []
    target_ranges: list[list[int] | None] = []
    similarity = alignment.similarity or [None] * len(alignment.links)
    position = 0
    for link, sim in zip(alignment.links, similarity, strict=True):
        flags: list[str] = []
        if link.source:
            first, last = source_spans[link.source[0]], source_spans[link.source[-1]]
            start, end, paragraph = first.start, last.end, first.paragraph
        else:
            start = end = position
            paragraph = segments[-1].paragraph if segments else 0
            flags.append(TARGET_ONLY)
        text: str | None = None
        if link.target:
            t0, t1 = target_spans[link.target[0]].start, target_spans[link.target[-1]].end
            text = target.text[t0:t1]
            target_ranges.append([t0, t1])
        else:
            target_ranges.append(None)
            flags.append(SOURCE_ONLY)
        if link.source and link.target and link.kind != "1-1":
            flags.append(f"{MERGED}:{link.kind}")
        if sim is not None and sim < low_confidence:
            flags.append(LOW_SCORE)
        segments.append(
            Segment(
                index=len(segments),
                start=start,
                end=end,
                source=source.text[start:end],
                paragraph=paragraph,
                target=text,
                flags=flags,
            )
        )
        position = end
    info = {k: v for k, v in alignment.info.items() if k in ("engine", "model")}
    metadata = dict(source.metadata)
    metadata["alignment"] = {
        "method": alignment.method,
        **alignment.info,
        "links": {kind: count for kind, count in sorted(alignment.kinds().items())},
        "target_id": target.id,
        "target_metadata": dict(target.metadata),
        "target_text": target.text,
        "target_spans": target_ranges,
        "similarity": [None if s is None else round(s, 4) for s in similarity],
    }
    signature = Signature(source.signature, transnorm=__version__, aligner=alignment.method)
    signature.update(align_engine=info.get("engine"), align_model=info.get("model"))
    signature.sign_translation(set(), set())  # the targets are an existing translation
    return Document(id=source.id, text=source.text, metadata=metadata, segments=segments, signature=signature)


def _known(lang: str) -> str | None:
    return None if lang == UNDETERMINED else lang


def _language(doc: Document, given: str | None, detector: LanguageDetector | None) -> tuple[str, float]:
    if given:
        return normalise_lang(given) or given, 1.0
    if doc.lang and doc.lang != UNDETERMINED:
        return doc.lang, doc.lang_confidence or 1.0
    if detector is None:
        from transnorm.config import PipelineConfig
        from transnorm.detect import detector_from_config

        detector = detector_from_config(PipelineConfig())
    found = detector.detect(doc.text)
    return found.lang, found.confidence
