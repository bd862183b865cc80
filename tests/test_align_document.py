"""The aligned Document: same record as `transnorm run`, nothing of either text lost."""

from __future__ import annotations

import pytest

from transnorm.align import AlignConfig, Alignment, GaleChurchAligner, Link
from transnorm.align.document import align_documents, build_document
from transnorm.document import Document
from transnorm.errors import InputError
from transnorm.segment import split_sentences

SOURCE = (
    "The Kremlin said on Monday that talks with NATO had reached a dead end. Peskov declined to comment.\n\n"
    "Officials in Brussels expressed disappointment at the outcome of the meeting and called for further "
    "dialogue in the coming weeks. The next round is planned for March."
)
TARGET = (
    "Der Kreml erklärte am Montag, die Gespräche mit der NATO seien in einer Sackgasse angelangt. "
    "Peskow lehnte einen Kommentar ab.\n\nDie nächste Runde ist für März geplant."
)


def test_aligned_document_from_two_texts() -> None:
    doc = align_documents(
        Document(id="wire-1", text=SOURCE, metadata={"url": "x"}),
        Document(id="wire-1-de", text=TARGET),
        source_lang="en",
        target_lang="de",
    )
    assert (doc.id, doc.lang, doc.target_lang) == ("wire-1", "en", "de")
    assert [(s.source[:20], s.target and s.target[:20], s.flags) for s in doc.segments] == [
        ("The Kremlin said on ", "Der Kreml erklärte a", []),
        ("Peskov declined to c", "Peskow lehnte einen ", []),
        ("Officials in Brussel", None, ["source_only"]),
        ("The next round is pl", "Die nächste Runde is", []),
    ]
    assert [s.paragraph for s in doc.segments] == [0, 0, 1, 1]
    for seg in doc.segments:
        assert doc.text[seg.start : seg.end] == seg.source
    meta = doc.metadata["alignment"]
    assert meta["method"] == "gale-church" and meta["target_id"] == "wire-1-de"
    assert meta["links"] == {"1-0": 1, "1-1": 3}
    for seg, span in zip(doc.segments, meta["target_spans"], strict=True):
        assert (span is None and seg.target is None) or TARGET[span[0] : span[1]] == seg.target
    assert doc.metadata["url"] == "x"
    assert doc.signature["aligner"] == "gale-church" and doc.signature["transnorm"]
    assert Document.from_record(doc.to_record()).to_record() == doc.to_record()


def _spans(text: str):
    return split_sentences(text, "en")


def test_merged_links_and_target_only_sentences_become_segments() -> None:
    source = Document(id="s", text="One. Two. Three.")
    target = Document(id="t", text="Eins und zwei. Extra. Drei.")
    alignment = Alignment(
        [Link((0, 1), (0,)), Link((), (1,)), Link((2,), (2,))], method="hand", similarity=[0.9, None, 0.05]
    )
    doc = build_document(
        source, target, _spans(source.text), _spans(target.text), alignment, low_confidence=0.1
    )
    rows = [(s.start, s.end, s.source, s.target, s.flags) for s in doc.segments]
    assert rows == [
        (0, 9, "One. Two.", "Eins und zwei.", ["merged:2-1"]),
        (9, 9, "", "Extra.", ["target_only"]),
        (10, 16, "Three.", "Drei.", ["low_alignment_score"]),
    ]
    assert [s.index for s in doc.segments] == [0, 1, 2]


def test_empty_side_is_an_input_error() -> None:
    with pytest.raises(InputError, match="target document 'target' is empty"):
        align_documents("Some text.", "  \n", source_lang="en", target_lang="de")


def test_languages_are_detected_when_not_given() -> None:
    doc = align_documents(SOURCE, TARGET, aligner=GaleChurchAligner(AlignConfig()))
    assert (doc.lang, doc.target_lang) == ("en", "de")
