"""Tests for transnorm.segment: offsets, language rules, paragraphs, max_chars, robustness."""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpora import NTREX_FILES, ntrex_documents, ntrex_lines
from transnorm.segment import SentenceSpan, split_sentences

CASES = Path(__file__).parent / "cases" / "segment"


def check_invariants(text: str, spans: list[SentenceSpan], max_chars: int = 2000) -> None:
    """The contract of split_sentences, checked against the text itself."""
    previous_end, previous_paragraph = 0, 0
    covered = 0
    for span in spans:
        assert isinstance(span, SentenceSpan)
        assert previous_end <= span.start < span.end <= len(text), span
        sentence = text[span.start : span.end]
        assert sentence == sentence.strip(), span
        assert span.end - span.start <= max_chars, span
        assert span.paragraph >= previous_paragraph, span
        # only whitespace may fall between spans
        assert not text[previous_end : span.start].strip(), (previous_end, span)
        covered += span.end - span.start
        previous_end, previous_paragraph = span.end, span.paragraph
    assert not text[previous_end:].strip()
    assert covered >= sum(1 for c in text if not c.isspace())
    if spans:
        assert spans[0].paragraph == 0


def sentences(text: str, lang: str | None = None, **kwargs: int) -> list[str]:
    spans = split_sentences(text, lang, **kwargs)
    check_invariants(text, spans, kwargs.get("max_chars", 2000))
    return [text[s.start : s.end] for s in spans]


def load_cases() -> list:
    """Cases from tests/cases/segment/*.json; a case with "xfail" is a known gap (strict)."""
    params = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            case_id = f"{path.stem}-{i}-{case['note']}"
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
            params.append(
                pytest.param(data["lang"], case["text"], case["sentences"], id=case_id, marks=marks)
            )
    return params


@pytest.mark.parametrize(("lang", "text", "expected"), load_cases())
def test_language_cases(lang: str | None, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


# -- language codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "de-DE", "de_AT", "DE", "deu", "ger", "German"])
def test_language_code_variants_pick_the_german_tables(lang: str) -> None:
    assert sentences("Am 12. Januar war es kalt.", lang) == ["Am 12. Januar war es kalt."]


def test_ordinal_rule_is_language_specific() -> None:
    text = "He finished 3. Januar is a name."
    assert sentences(text, "en") == ["He finished 3.", "Januar is a name."]
    assert sentences(text, "de") == [text]


@pytest.mark.parametrize("lang", [None, "", "xx", "zz-Latn", "tlh"])
def test_unknown_languages_use_generic_rules(lang: str | None) -> None:
    assert sentences("Dr. Smith arrived. Then he left.", lang) == ["Dr. Smith arrived.", "Then he left."]


# -- lines and paragraphs -----------------------------------------------------------------------


def test_single_newline_ends_a_sentence_in_the_same_paragraph() -> None:
    text = "Welsh AMs worried about Muppets\nBy Jane Doe\nThere is consternation. It grows."
    spans = split_sentences(text, "en")
    check_invariants(text, spans)
    assert [text[s.start : s.end] for s in spans] == [
        "Welsh AMs worried about Muppets",
        "By Jane Doe",
        "There is consternation.",
        "It grows.",
    ]
    assert {s.paragraph for s in spans} == {0}


def test_blank_lines_separate_paragraphs() -> None:
    text = "  Title line  \n\n\nFirst para. Still first.\n \t \nSecond para\r\n\r\nThird.\u2029Fourth.\n\n"
    spans = split_sentences(text, "en")
    check_invariants(text, spans)
    got = [(text[s.start : s.end], s.paragraph) for s in spans]
    assert got == [
        ("Title line", 0),
        ("First para.", 1),
        ("Still first.", 1),
        ("Second para", 2),
        ("Third.", 3),
        ("Fourth.", 4),
    ]


@pytest.mark.parametrize(
    ("separator", "paragraphs"),
    [
        ("\n", [0, 0]),
        ("\r\n", [0, 0]),
        ("\r", [0, 0]),
        ("\u2028", [0, 0]),
        ("\x0c", [0, 0]),
        (" \r\n \t", [0, 0]),
        ("\n\n", [0, 1]),
        ("\r\n\r\n", [0, 1]),
        ("\r\r", [0, 1]),
        ("\n \u00a0\t\n", [0, 1]),
        ("\u2029", [0, 1]),
        ("\n\n\n\n\n", [0, 1]),
    ],
)
def test_line_break_kinds(separator: str, paragraphs: list[int]) -> None:
    text = f"One line{separator}Another line"
    spans = split_sentences(text, "en")
    check_invariants(text, spans)
    assert [text[s.start : s.end] for s in spans] == ["One line", "Another line"]
    assert [s.paragraph for s in spans] == paragraphs


def test_many_blank_lines_cost_no_loop_per_line() -> None:
    text = "First.\n" + " \n" * 2_000_000 + "Second."
    spans = split_sentences(text, "en")
    assert [(s.paragraph, text[s.start : s.end]) for s in spans] == [(0, "First."), (1, "Second.")]


def test_leading_blank_lines_do_not_count_as_a_paragraph() -> None:
    text = "\n\n \nOnly one."
    assert [(s.paragraph, text[s.start : s.end]) for s in split_sentences(text)] == [(0, "Only one.")]


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n\u3000\u00a0\u2029\x0b\x1c"])
def test_whitespace_only_text_gives_no_spans(text: str) -> None:
    assert split_sentences(text, "en") == []


def test_offsets_refer_to_the_original_text() -> None:
    text = "\u00a0\u00a0  «Привет.»  \tКак дела?  \n  Хорошо…"
    spans = split_sentences(text, "ru")
    assert [(s.start, s.end) for s in spans] == [(4, 13), (16, 25), (30, 37)]
    assert [text[s.start : s.end] for s in spans] == ["«Привет.»", "Как дела?", "Хорошо…"]


# -- max_chars ------------------------------------------------------------------------------------


def test_long_sentence_is_cut_after_clause_punctuation() -> None:
    clause = "the committee met again and discussed the budget"  # 48 characters
    text = ", ".join([clause] * 6) + "."
    pieces = sentences(text, "en", max_chars=120)
    assert len(pieces) > 1
    assert all(p.endswith((",", ".")) for p in pieces)
    assert "".join(pieces).replace(",", ", ").replace(",  ", ", ") == text


def test_long_sentence_without_punctuation_is_cut_at_whitespace() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    pieces = sentences(text, "en", max_chars=50)
    assert all(len(p) <= 50 for p in pieces)
    assert " ".join(pieces) == text
    assert all(re.fullmatch(r"word\d+( word\d+)*", p) for p in pieces)


def test_text_without_whitespace_is_cut_hard() -> None:
    text = "x" * 1050
    pieces = sentences(text, "en", max_chars=100)
    assert [len(p) for p in pieces] == [100] * 10 + [50]


def test_hard_cut_keeps_combining_marks_with_their_base() -> None:
    text = "e\u0301" * 30  # é as e + COMBINING ACUTE ACCENT
    pieces = sentences(text, None, max_chars=7)
    assert "".join(pieces) == text
    assert all(not p.startswith("\u0301") for p in pieces)


@pytest.mark.parametrize("max_chars", [0, -5, 2.5, True, None])
def test_invalid_max_chars_is_refused_with_advice(max_chars: object) -> None:
    with pytest.raises(ValueError, match="max_chars must be a positive integer"):
        split_sentences("Hello.", "en", max_chars=max_chars)  # type: ignore[arg-type]


def test_max_chars_one_covers_everything() -> None:
    text = "Ab c.\nDé!"
    assert sentences(text, "fr", max_chars=1) == ["A", "b", "c", ".", "D", "é", "!"]


# -- robustness ------------------------------------------------------------------------------------

PIECES = [
    "Dr.", "U.S.", "z. B.", "т. е.", "3.5", "12.", "J.", " ", "  ", "\n", "\n\n", "\r\n", "\t",
    "\u00a0", ".", "...", "…", "?!", "!", "?", "»", "«", "\u201c", "\u201d", '"', "'", "(", ")",
    "word", "Word", "Слово", "слово", "ÉTÉ", "é", "\u0301", "\u200b", "\u200d", "🎉", "👩‍👩‍👧",
    "\u202e", "שלום", "كيف", "。", "你好", "\ud800", "\udfff", "\x00", "\x1c", "\u2029", ",", ";",
    "www.example.com", "a@b.c", "1.000", "XIV.", "г.", "ul.", "EE. UU.",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.sampled_from([None, "en", "de", "ru", "uk", "fr", "pl", "pt", "es", "it", "xx"]),
    st.integers(min_value=1, max_value=60),
)
def test_invariants_on_tricky_pieces(text: str, lang: str | None, max_chars: int) -> None:
    check_invariants(text, split_sentences(text, lang, max_chars=max_chars), max_chars)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300),
    st.sampled_from([None, "en", "de", "ru", "fr"]),
    st.integers(min_value=1, max_value=3000),
)
def test_invariants_on_arbitrary_unicode(text: str, lang: str | None, max_chars: int) -> None:
    check_invariants(text, split_sentences(text, lang, max_chars=max_chars), max_chars)


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000 + "x",  # a punctuation run that is no candidate (was quadratic)
        "…" * 100_000 + "x",
        "." + "»" * 100_000 + "x",
        "a." + " " * 100_000 + "»x",
        "a, — b. — " * 10_000,
        "Dr. " * 25_000,
        "(" * 100_000 + "x",
        "a. " + "(" * 100_000 + "B",
    ],
    ids=["dots", "ellipses", "closers", "spaced-closer", "dashes", "titles", "openers", "opener-run"],
)
def test_pathological_runs_complete_and_keep_invariants(text: str) -> None:
    check_invariants(text, split_sentences(text, "fr"))


@pytest.mark.slow
def test_ten_megabyte_line_completes_with_bounded_memory() -> None:
    text = ("lorem ipsum dolor sit amet consectetur " * 270_000)[:10_000_000]
    tracemalloc.start()
    try:
        spans = split_sentences(text, "en", max_chars=2000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 5_000 <= len(spans) <= 5_100
    assert all(s.end - s.start <= 2000 for s in spans)
    assert spans[-1].end == len(text.rstrip())
    assert peak < 20_000_000  # the spans and a few windows, not copies of the text


@pytest.mark.slow
def test_two_megabyte_line_of_abbreviations_completes() -> None:
    text = "Dr. A. b. 3.5 U.S. " * 100_000
    spans = split_sentences(text, "en")
    check_invariants(text, spans)


# -- NTREX documents ---------------------------------------------------------------------------------


# The NTREX slice in tests/data: 13 news documents in 9 languages. Boundary F1 over all 123
# documents, with its floors, is benchmarks/bench_segment.py's to measure.


@pytest.mark.parametrize("lang", list(NTREX_FILES))
def test_ntrex_documents_keep_the_invariants(lang: str) -> None:
    for lines in ntrex_documents(lang).values():
        text = " ".join(lines)
        check_invariants(text, split_sentences(text, lang))


@pytest.mark.parametrize("lang", list(NTREX_FILES))
def test_ntrex_lines_joined_by_newlines_split_exactly_at_every_line(lang: str) -> None:
    text = "\n".join(ntrex_lines(lang))
    spans = split_sentences(text, lang, max_chars=100_000)
    check_invariants(text, spans, 100_000)
    line_ends = {m.start() for m in re.finditer("\n", text)}
    assert line_ends <= {s.end for s in spans}
