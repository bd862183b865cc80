"""Name normalisation cases as data: `tests/cases/normalise/<lang>.json`, one case per entry.

Each case gives a text, the language, the expected normalised text and (optionally) the exact edits
`[before, after, entity]`. Every edit's span must point at its `after` text in the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transnorm.normalise import load_matcher, normalise_text

CASES_DIR = Path(__file__).parent / "cases" / "normalise"


def _cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        lang = path.stem
        for case in json.loads(path.read_text(encoding="utf-8")):
            params.append(pytest.param(lang, case, id=f"{lang}-{case['id']}"))
    return params


@pytest.fixture(scope="module")
def matchers(tmp_path_factory: pytest.TempPathFactory) -> dict:
    cache = tmp_path_factory.mktemp("matcher-cache")
    built: dict = {}

    def get(lang: str):
        if lang not in built:
            built[lang] = load_matcher(["bundled"], lang, cache_dir=cache)
        return built[lang]

    return get  # type: ignore[return-value]


@pytest.mark.parametrize(("lang", "case"), _cases())
def test_case(lang: str, case: dict, matchers) -> None:
    result, edits = normalise_text(case["text"], matchers(lang), lang)
    assert result == case["expect"]
    for edit in edits:
        assert result[edit.span[0] : edit.span[1]] == edit.after
        assert edit.rule
    if "edits" in case:
        assert [[e.before, e.after, e.entity] for e in edits] == case["edits"]
