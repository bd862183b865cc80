"""Quality flags per segment: each known failure of NMT output, as cases."""

from __future__ import annotations

import pytest

from transnorm.translate.quality import QualityChecker, longest_loop

SRC_DE = "Der Minister sagte am Dienstag, dass die Gespräche nächste Woche weitergehen."
GOOD_EN = "The minister said on Tuesday that the talks would continue next week."

CASES = [
    # (id, source, target, expected flags)
    ("good", SRC_DE, GOOD_EN, []),
    ("empty", SRC_DE, "  ", ["empty_output"]),
    ("empty-number-source", "2024", "", []),
    ("copied", SRC_DE, SRC_DE, ["untranslated"]),
    ("copied-case-and-space", SRC_DE, "  " + SRC_DE.upper(), ["untranslated"]),
    ("short-name-copied", "NATO", "NATO", []),
    ("too-short", SRC_DE, "The minister.", ["length_ratio"]),
    (
        "too-long",
        "Er kam.",
        "He came to the city after a long and tiring journey through the hills.",
        [],
    ),  # source too short to judge a ratio
    (
        "hallucinated-length",
        SRC_DE,
        GOOD_EN
        + " Officials from both sides met in Geneva, where the weather was mild and the hotels were full"
        " of diplomats, journalists and a few tourists who had come for the lake and the old town.",
        ["length_ratio"],
    ),
    (
        "word-loop",
        SRC_DE,
        "The minister said that the talks talks talks talks talks continue.",
        ["repetition"],
    ),
    (
        "phrase-loop",
        SRC_DE,
        "The minister said on Tuesday, on Tuesday, on Tuesday, on Tuesday that talks go on.",
        ["repetition"],
    ),
    ("loop-in-source-too", "Ha ha ha ha ha, sagte er.", "Ha ha ha ha ha, he said.", []),
    ("chinese-ratio-ok", "部长周二表示，会谈将于下周继续。", GOOD_EN, []),
]


@pytest.mark.parametrize(("source", "target", "flags"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_flags_without_detector(source: str, target: str, flags: list[str]) -> None:
    assert QualityChecker().check(source, target, "de", "en") == flags


@pytest.mark.parametrize(
    ("text", "loop"),
    [("a b c d", (0, 1)), ("a a a", (1, 3)), ("x a b a b a b y", (2, 3)), ("我我我我", (1, 4))],
)
def test_longest_loop(text: str, loop: tuple[int, int]) -> None:
    n, reps = longest_loop(text)
    assert reps == loop[1]
    if reps > 1:
        assert n == loop[0]


def test_wrong_output_language_with_the_real_detector() -> None:
    from transnorm.detect import DetectorConfig, LanguageDetector

    checker = QualityChecker(detector=LanguageDetector(DetectorConfig()))
    assert checker.check(SRC_DE, GOOD_EN, "de", "en") == []
    german_output = (
        "Der Minister erklärte am Dienstag, die Verhandlungen würden in der kommenden Woche fortgesetzt."
    )
    assert checker.check(SRC_DE, german_output, "de", "en") == ["wrong_language:de"]
    # short outputs full of names are not judged
    assert checker.check("Putin und Scholz.", "Putin und Scholz.", "de", "en") == []
