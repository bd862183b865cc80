"""Aligning files: two text files (one document each) or two JSONL files paired by document id.

Every source document gives exactly one record, as in `transnorm run`: a document that cannot be read,
has no partner, or cannot be aligned becomes a record carrying the error, and the batch goes on.
A target document with no source partner also gives a record (with the error), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from transnorm.align.document import Aligner, align_documents, make_aligner
from transnorm.align.gale_church import GaleChurchAligner
from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.errors import (
    E_ALIGN_FALLBACK,
    E_BAD_RECORD,
    E_NO_ENGINE,
    E_NO_PARTNER,
    EngineError,
    InputError,
    TransnormError,
)
from transnorm.read import JSONL_SUFFIXES, read_documents, read_text_file
from transnorm.stages import Resources

if TYPE_CHECKING:
    from transnorm.detect import LanguageDetector

STAGE = "align"
# E_NO_PARTNER: a document id present in only one of the two JSONL files
# E_ALIGN_FALLBACK: the engine could not assist: aligned by length instead


def is_jsonl(path: str | Path) -> bool:
    return Path(path).suffix.lower() in JSONL_SUFFIXES


def read_pairs(source: str | Path, target: str | Path) -> Iterator[tuple[Document, Document | None]]:
    """(source, target) document pairs: one pair for two text files, pairs by id for two JSONL files.

    A document with no partner comes with `None` (a target-only document as the first element, with
    the error already recorded). Raises `InputError` when one file is JSONL and the other is not.
    """
    if is_jsonl(source) != is_jsonl(target):
        raise InputError(
            f"{source} and {target}: give two text files (one document each) or two JSONL files with "
            "matching ids, not one of each"
        )
    if not is_jsonl(source):
        yield read_text_file(Path(source)), read_text_file(Path(target))
        return
    targets: dict[str, Document] = {}
    for doc in read_documents([str(target)]):
        targets.setdefault(doc.id, doc)
    seen: set[str] = set()
    for doc in read_documents([str(source)]):
        seen.add(doc.id)
        yield doc, targets.get(doc.id)
    for doc_id, doc in targets.items():
        if doc_id not in seen:
            doc.add_error(
                STAGE, E_NO_PARTNER, f"target document {doc_id!r} has no source document in {source}"
            )
            yield doc, None


def align_files(
    source: str | Path,
    target: str | Path,
    *,
    config: PipelineConfig,
    engine: str = "none",
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Iterator[Document]:
    """Aligned records for two files (`read_pairs`), made with the run's configuration `config`.

    The detector is `config.detect`'s, sentences are split as the segment stage splits them
    (`segment.max_chars`), and `engine` (a registered name; "none" aligns by sentence length only)
    is built with its options from `config.translate`, as the translate stage builds it. The source
    language is `source_lang`, else `config.source_lang`, else detected. The engine is closed once
    the records are consumed.
    """
    aligner = make_aligner(None)
    if engine != "none":
        from transnorm.translate.hub import offline_mode
        from transnorm.translate.stage import configured_engine

        options = config.translate
        aligner = make_aligner(configured_engine(engine, options, offline=offline_mode(options.offline)))
    try:
        yield from align_pairs(
            read_pairs(source, target),
            config=config,
            aligner=aligner,
            source_lang=source_lang or config.source_lang,
            target_lang=target_lang,
        )
    finally:
        used = getattr(aligner, "engine", None)
        if used is not None:
            used.close()


def align_pairs(
    pairs: Iterator[tuple[Document, Document | None]],
    *,
    config: PipelineConfig | None = None,
    aligner: Aligner | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Iterator[Document]:
    """Align each pair; a pair that cannot be aligned yields the source document with the error.

    `config` (default: the default configuration) gives the language detector and `segment.max_chars`.
    """
    config = config or PipelineConfig()
    aligner = aligner or GaleChurchAligner()
    detector = None if source_lang and target_lang else Resources(config).detector
    for src, tgt in pairs:
        if tgt is None:
            if not src.errors:
                src.add_error(STAGE, E_NO_PARTNER, f"source document {src.id!r} has no target document")
            yield src
            continue
        if src.stopped or tgt.stopped:
            for err in tgt.errors:
                src.add_error(STAGE, err.code, f"target document {tgt.id!r}: {err.message}")
            yield src
            continue
        yield _align_one(src, tgt, aligner, source_lang, target_lang, detector, config.segment.max_chars)


def _align_one(
    src: Document,
    tgt: Document,
    aligner: Aligner,
    source_lang: str | None,
    target_lang: str | None,
    detector: LanguageDetector | None,
    max_chars: int,
) -> Document:
    def align(with_aligner: Aligner) -> Document:
        return align_documents(
            src,
            tgt,
            aligner=with_aligner,
            source_lang=source_lang,
            target_lang=target_lang,
            detector=detector,
            max_chars=max_chars,
        )

    try:
        return align(aligner)
    except EngineError as exc:
        if exc.code != E_NO_ENGINE:
            src.add_error(STAGE, exc.code, str(exc))
            return src
        doc = align(GaleChurchAligner(getattr(aligner, "config", None)))
        doc.add_error(STAGE, E_ALIGN_FALLBACK, f"aligned by sentence length only: {exc}", fatal=False)
        return doc
    except TransnormError as exc:
        src.add_error(STAGE, exc.code or E_BAD_RECORD, str(exc))
        return src
