"""The matcher's search finds exactly what a plain scan for every pattern finds (seed article, NTREX
sample, punctuation around names), and the fast folding equals the one-pass fold.

`GlossaryMatcher.find` walks one Aho-Corasick automaton over the text with punctuation blanked out
and checks each hit; the reference here looks every pattern up with `str.find` and applies the same
rules. Any pattern the automaton misses, or any hit it lets through wrongly, makes the lists differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpora import SEED_ARTICLE, ntrex_lines
from transnorm.normalise import load_matcher
from transnorm.normalise.fold import _fold_map, fold_text
from transnorm.normalise.matcher import _ACRONYM, _SHORT, GlossaryMatcher, Mention, _leftmost_longest

LANGS = ("de", "en", "fr", "pl", "ru")
TRICKY = [
    "EU/NATO und UN:Generalsekretär",
    "d'Erdogan l'Ukraine x'Peskov",
    "(Peskow) «Lawrow» „Schoigu“",
    "Peskow: NATO-Russland-Rat",
    "UN Un un U.N. ООН",
    "Kosaken Fomina Lavrova",
    "Siergieja Ławrowa",
    "PESKOW LAWROW peskow",
    "Sergei\u00a0Lavrov's",
    "Путина Захаровой Сергея Лаврова",
    "a_Putin _Putin 3Putin",
    "Macron/Scholz\nPutin\tLavrov",
    "Zelensky’s Zełenskiego Selenskyjs",
    "St. Petersburg, St.Petersburg",
]


def _scan(matcher: GlossaryMatcher, text: str) -> list[Mention]:
    """Reference search: every occurrence of every pattern, by `str.find`, through the same checks."""
    folded = fold_text(text)
    found: list[Mention] = []
    hits = []
    for pid, key in enumerate(matcher._keys):
        haystack = text if matcher._flags[pid] == _ACRONYM else folded
        at = haystack.find(key)
        while at >= 0:
            if not (matcher._flags[pid] == _SHORT and at and folded[at - 1] != " "):
                hits.append((at + len(key), pid))
            at = haystack.find(key, at + 1)
    # the automaton reports hits by end position, the longest pattern first, an acronym after the
    # folded pattern of the same letters
    hits.sort(key=lambda h: (h[0], -matcher._lengths[h[1]], matcher._flags[h[1]] == _ACRONYM, h[1]))
    for stem_end, pid in hits:
        matcher._hit(text, folded, pid, stem_end - matcher._lengths[pid], stem_end, found)
    return _leftmost_longest(found) if found else found


def _texts(lang: str) -> list[str]:
    return TRICKY + SEED_ARTICLE.read_text(encoding="utf-8").splitlines() + ntrex_lines(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_search_equals_plain_scan(lang: str, tmp_path: Path) -> None:
    matcher = load_matcher(["bundled"], lang, cache_dir=tmp_path)
    texts = _texts(lang)
    mismatches = [t for t in texts if matcher.find(t) != _scan(matcher, t)]
    assert not mismatches
    assert sum(len(matcher.find(t)) for t in texts) > 20  # the sample does contain names


@given(st.text())
def test_fast_fold_equals_one_pass_fold(text: str) -> None:
    pattern, mapping, _ = _fold_map()
    assert fold_text(text) == pattern.sub(lambda m: mapping[m.group()], text).lower()


def test_fold_of_a_fold_is_kept_as_one_pass() -> None:
    """Ǿ folds to ø (not o): replacing character after character must not fold it twice."""
    assert fold_text("Ǿø Ærø") == "øo æro"
