"""Hostile glossaries and caches: aliases that multiply, huge values in messages, planted cache files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from transnorm.errors import quote
from transnorm.normalise.glossary import GlossaryError, load_glossary

ENTRY = "  - id: tass\n    type: organisation\n    canonical: {en: TASS}\n"


def _laughs(levels: int) -> str:
    """The 'billion laughs': each level is a list of nine aliases of the level before."""
    lines = ['version: "1"', "a0: &a0 [" + ",".join(['"xxxxxxxxxx"'] * 9) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"entries: [*a{levels - 1}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [5, 7, 12])
def test_nested_aliases_are_refused_with_their_line(tmp_path: Path, levels: int) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(levels), encoding="utf-8")
    assert path.stat().st_size < 700
    start = time.perf_counter()
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert time.perf_counter() - start < 5  # 9**12 strings if expanded: it must not be
    message = str(info.value)
    assert info.value.code == "E501"
    assert message.startswith(f"{path}:3: YAML aliases ('*a0') are not allowed")
    assert len(message) < 400


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # an alias used once is refused too: the rule is simple, and an entry can always be written out
        (
            'version: "1"\nentries:\n  - id: a\n    canonical: &c {en: Anna Ant}\n  - id: b\n    canonical: *c\n',
            6,
            "*c",
        ),
        # a recursive alias
        ('version: "1"\nloop: &l [*l]\nentries:\n' + ENTRY, 2, "*l"),
        # merge keys copy node lists before any object is built
        (
            'version: "1"\nbase: &b {type: person}\nentries:\n  - <<: *b\n    id: x\n    canonical: {en: X Y}\n',
            4,
            "'<<'",
        ),
    ],
)
def test_every_alias_and_merge_key_is_refused(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:{line}: YAML") and words in str(info.value)
    assert info.value.code == "E501"


def test_an_anchor_alone_is_harmless_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        'version: "1"\nentries:\n  - &first\n    id: tass\n    canonical: {en: TASS}\n', encoding="utf-8"
    )
    assert [e.id for e in load_glossary(path).entries] == ["tass"]


@pytest.mark.parametrize(
    "bad",
    [
        "    gender: " + "x" * 1_000_000 + "\n",
        "    type: [" + ", ".join(["[" + ", ".join(["long value"] * 100) + "]"] * 100) + "]\n",
        "    canonical:\n      ? " + "q" * 500_000 + "\n      : Name\n",  # explicit keys may be long
        "    ? " + "k" * 300_000 + "\n    : 1\n",
    ],
)
def test_values_quoted_in_messages_are_cut_short(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text('version: "1"\nentries:\n' + ENTRY + bad, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert len(str(info.value)) < 600
    assert f"{path}:3: tass:" in str(info.value)


def test_huge_ids_and_spellings_are_cut_short_in_conflicts(tmp_path: Path) -> None:
    long_id = "i" * 200_000
    name = "N" * 200_000
    text = f'version: "1"\nentries:\n  - id: {long_id}\n    canonical: {{en: {name}}}\n'
    text += (
        f"  - id: {long_id}2\n    canonical: {{en: {name}}}\n  - id: {long_id}\n    canonical: {{en: X}}\n"
    )
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert "claimed by" in message and "already used" in message
    assert len(message) < 1500


def test_a_non_mapping_entry_is_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text('version: "1"\nentries:\n  - [' + ", ".join(["word"] * 100_000) + "]\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"entry must be a mapping, got \['word'") as info:
        load_glossary(path)
    assert len(str(info.value)) < 300


def test_quote_bounds_size_and_work() -> None:
    assert quote("Peskov") == "'Peskov'"
    assert quote("x" * 10_000) == repr("x" * 50) + "... (10000 characters)"
    nested: list = []
    for _ in range(500):
        nested = [nested, "y" * 1000]
    assert len(quote(nested)) <= 80
    loop: list = []
    loop.append(loop)
    assert len(quote(loop)) <= 80
    assert len(quote({str(i): "v" * 100 for i in range(100_000)}, limit=40)) <= 40
