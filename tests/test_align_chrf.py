"""The chrF similarity used by assisted alignment, checked against sacrebleu's chrF."""

from __future__ import annotations

import pytest

from transnorm.align.chrf import Profile, chrf, fold, sentence_chrf

sacrebleu = pytest.importorskip("sacrebleu")

# Lower-case, ASCII texts, so that folding changes nothing and sacrebleu's scores apply as they are.
PAIRS = [
    ("the cat sat on the mat.", "the cat sat on a mat."),
    ("hello world", "goodbye moon"),
    ("the kremlin said on monday that talks had failed", "talks failed, the kremlin said"),
    ("a", "a"),
    ("nato", "the north atlantic treaty organization"),
]


@pytest.mark.parametrize(("hyp", "ref"), PAIRS)
def test_matches_sacrebleu_chrf(hyp: str, ref: str) -> None:
    expected = sacrebleu.sentence_chrf(hyp, [ref]).score / 100
    assert sentence_chrf(hyp, ref) == pytest.approx(expected, abs=1e-9)


def test_folding_makes_scripts_and_accents_comparable() -> None:
    assert fold("Дмитрий  Песков") == "dmitriipeskov"
    assert fold("Gespräche São") == "gesprachesao"
    assert sentence_chrf("Dmitry Peskov", "Дмитрий Песков") > 0.5
    assert sentence_chrf("Dmitry Peskov", "Ангела Меркель") < 0.2


def test_merged_profile_counts_both_sentences() -> None:
    a, b = Profile.of("abc"), Profile.of("abd")
    merged = Profile.merge([a, b])
    assert merged.counts["ab"] == 2 and merged.counts["abc"] == 1 and merged.counts["abd"] == 1
    assert merged.totals[:3] == (6, 4, 2)
    # The merged side now covers both sentences: recall of "abc" against it is about half.
    assert chrf(a, merged) < chrf(a, a) == 1.0


def test_empty_text_scores_zero() -> None:
    assert sentence_chrf("", "anything") == 0.0
