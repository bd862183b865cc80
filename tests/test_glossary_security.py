"""Hostile glossaries and caches: aliases that multiply, huge values in messages, planted cache files."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import stat
import time
from pathlib import Path

import pytest

from transnorm.errors import quote
from transnorm.normalise import normalise_text
from transnorm.normalise.glossary import GlossaryError, load_glossary
from transnorm.normalise.matcher import CACHE_SUFFIX, MAGIC, GlossaryMatcher, cache_key, load_matcher

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


# ------------------------------------------------------------------------------- the matcher cache

GOOD = """\
version: "2026.1.1"
entries:
  - id: dmitry-peskov
    type: person
    gender: m
    canonical: {en: Dmitry Peskov, de: Dmitri Peskow}
    native: {ru: Дмитрий Песков}
    variants: [Dimitri Peskov]
  - id: nato
    type: organisation
    canonical: {en: NATO}
"""
TEXT = "Dmitri Peskow und Peskows Sprecher trafen die NATO; Дмитрий Песков."


def _glossary(tmp_path: Path) -> Path:
    path = tmp_path / "g.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _result(matcher: GlossaryMatcher) -> tuple:
    text, edits = normalise_text(TEXT, matcher, "en")
    return text, [(e.entity, e.rule) for e in edits], matcher.patterns


def _cache_file(cache: Path) -> Path:
    (path,) = [p for p in cache.iterdir() if p.suffix == CACHE_SUFFIX]
    return path


class _Payload:
    """Unpickling this creates a file: proof that a cache file would have run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_never_runs_and_the_run_still_works(tmp_path: Path) -> None:
    glossary = _glossary(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    key = cache_key([glossary], "de", True)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    pickle.loads(payload).close()  # the payload does what it says: loading it creates the marker
    assert marker.exists()
    marker.unlink()
    # planted under the name the cache file has, the name it had when it was a pickle, and every other
    for name in (f"{key}{CACHE_SUFFIX}", f"{key}.pickle", f"{key}"):
        (cache / name).write_bytes(payload)
    expected = _result(GlossaryMatcher(load_glossary(glossary), "de"))
    assert _result(load_matcher([str(glossary)], "de", cache_dir=cache)) == expected
    assert not marker.exists()
    assert _cache_file(cache).read_bytes().startswith(MAGIC)  # replaced by a good one
    assert _result(load_matcher([str(glossary)], "de", cache_dir=cache)) == expected
    assert not marker.exists()


def _tamper_byte(data: bytes) -> bytes:
    at = data.index(b"Peskow")
    return data[:at] + b"Pe$kow" + data[at + 6 :]


def _tamper_consistently(data: bytes) -> bytes:
    """An edited section with the checksum recomputed: only the consistency checks can catch it."""
    body_end = len(data) - 8 - int(data[-8:], 16)
    trailer = json.loads(data[body_end:-8])
    sections = dict(trailer["sections"])
    at = len(MAGIC)
    for name, size in trailer["sections"]:
        if name == "rentry":
            data = data[:at] + b"\xff\xff\xff\x7f" + data[at + 4 :]  # an entry index far out of range
            break
        at += size
    assert sections["rentry"] >= 4
    body = data[len(MAGIC) : body_end]
    trailer["sha256"] = hashlib.sha256(body).hexdigest()
    blob = json.dumps(trailer).encode()
    return data[:body_end] + blob + b"%08x" % len(blob)


def _other_version(data: bytes) -> bytes:
    body_end = len(data) - 8 - int(data[-8:], 16)
    trailer = json.loads(data[body_end:-8])
    trailer["format"] -= 1
    blob = json.dumps(trailer).encode()
    return data[:body_end] + blob + b"%08x" % len(blob)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(_tamper_byte, id="one-byte-changed"),
        pytest.param(_tamper_consistently, id="checksum-recomputed"),
        pytest.param(_other_version, id="other-format-version"),
        pytest.param(lambda d: d[: len(d) // 2], id="truncated"),
        pytest.param(lambda d: b"", id="empty"),
        pytest.param(lambda d: MAGIC + b"garbage" * 100, id="garbage"),
        pytest.param(lambda d: d[:-8] + b"ffffffff", id="bad-trailer-length"),
    ],
)
def test_a_spoilt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, spoil: object, caplog: pytest.LogCaptureFixture
) -> None:
    glossary = _glossary(tmp_path)
    cache = tmp_path / "cache"
    expected = _result(load_matcher([str(glossary)], "de", cache_dir=cache))
    path = _cache_file(cache)
    good = path.read_bytes()
    path.write_bytes(spoil(good))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="transnorm.normalise.matcher"):
        assert _result(load_matcher([str(glossary)], "de", cache_dir=cache)) == expected
    assert "ignoring matcher cache" in caplog.text
    assert path.read_bytes() == good  # rebuilt: the same bytes as the first time


def test_cache_round_trip_keeps_every_reading(tmp_path: Path) -> None:
    glossary = _glossary(tmp_path)
    cache = tmp_path / "cache"
    for lang in ("de", "pl", "ru", None):
        built = load_matcher([str(glossary)], lang, cache_dir=cache)
        loaded = load_matcher([str(glossary)], lang, cache_dir=cache)
        assert loaded is not built
        assert list(loaded.readings()) == list(built.readings())
        assert loaded.given == built.given and loaded.entries == built.entries
        assert loaded.glossary.files == built.glossary.files
        assert _result(loaded) == _result(built)


def test_cache_folders_are_created_private(tmp_path: Path) -> None:
    cache = tmp_path / "a" / "b" / "matchers"
    load_matcher([str(_glossary(tmp_path))], "en", cache_dir=cache)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", cache):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(_cache_file(cache).stat().st_mode) == 0o600
    assert [p.name for p in cache.iterdir() if p.suffix == ".tmp"] == []


def test_an_oversized_cache_file_is_not_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    glossary = _glossary(tmp_path)
    cache = tmp_path / "cache"
    load_matcher([str(glossary)], "en", cache_dir=cache)
    path = _cache_file(cache)
    with path.open("r+b") as fh:
        fh.truncate(200 << 20)  # sparse: no disk used, but far more than this glossary could need
    with caplog.at_level(logging.WARNING, logger="transnorm.normalise.matcher"):
        load_matcher([str(glossary)], "en", cache_dir=cache)
    assert "more than" in caplog.text


def test_half_written_cache_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale, fresh = cache / ".abc123.tmp", cache / ".def456.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    load_matcher([str(_glossary(tmp_path))], "en", cache_dir=cache)
    assert not stale.exists() and fresh.exists()  # a file this recent may belong to a running writer


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_a_fifo_or_symlink_under_the_cache_name_is_replaced(tmp_path: Path, kind: str) -> None:
    glossary = _glossary(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    planted = cache / f"{cache_key([glossary], 'de', True)}{CACHE_SUFFIX}"
    if kind == "fifo":
        os.mkfifo(planted)  # reading it would block for ever
    else:
        load_matcher([str(glossary)], "de", cache_dir=tmp_path / "elsewhere")
        planted.symlink_to(_cache_file(tmp_path / "elsewhere"))  # even a good file: not followed
    expected = _result(GlossaryMatcher(load_glossary(glossary), "de"))
    assert _result(load_matcher([str(glossary)], "de", cache_dir=cache)) == expected
    assert stat.S_ISREG(planted.lstat().st_mode)
