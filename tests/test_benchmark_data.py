"""Benchmarks find their corpora through benchmarks/_data.py: the repository's copy first, then the
project's full corpora beside the checkout; a missing file stops a benchmark with exit code 2 and a
message naming the file and where to put it, never a traceback. (The tests point the helper at
temporary folders: they read no corpus outside the repository.)"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
# every benchmark that reads a corpus does it through _data (the others generate their inputs)
NEEDS_DATA = sorted(
    p.name for p in BENCHMARKS.glob("bench_*.py") if "_data import" in p.read_text(encoding="utf-8")
)


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """benchmarks/_data.py with its two places (repository copy, the full corpora) moved under tmp_path."""
    monkeypatch.delenv("TRANSNORM_BENCH_DATA", raising=False)
    spec = importlib.util.spec_from_file_location("bench_data", BENCHMARKS / "_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "REPO_DATA", tmp_path / "repo")
    monkeypatch.setattr(module, "SHARED_DATA", tmp_path / "corpora")
    return module


def _put(root: Path, relpath: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x\n", encoding="utf-8")
    return path


def test_every_benchmark_with_data_uses_the_helper() -> None:
    for name in NEEDS_DATA:
        source = (BENCHMARKS / name).read_text(encoding="utf-8")
        assert "from _data import" in source, name
        assert '"shared"' not in source, f"{name} builds its own path to ../shared"


def test_repository_copy_comes_first(data, tmp_path: Path) -> None:
    corpora = _put(tmp_path / "corpora", "names/ofac_alias_clusters.tsv")
    assert data.data_file("names/ofac_alias_clusters.tsv") == corpora
    repo = _put(tmp_path / "repo", "names/ofac_alias_clusters.tsv")
    assert data.data_file("names/ofac_alias_clusters.tsv") == repo


def test_a_partial_copy_gives_way_to_a_complete_one(data, tmp_path: Path) -> None:
    _put(tmp_path / "repo", "ntrex128/DOCUMENT_IDS.tsv")
    _put(tmp_path / "corpora", "ntrex128/DOCUMENT_IDS.tsv")
    _put(tmp_path / "corpora", "ntrex128/newstest2019-ref.deu.txt")
    assert data.ntrex_dir("de") == tmp_path / "corpora" / "ntrex128"


def test_missing_file_is_named_with_where_to_put_it(data, tmp_path: Path, capsys) -> None:
    _put(tmp_path / "repo", "ntrex128/DOCUMENT_IDS.tsv")
    with pytest.raises(SystemExit) as exit_info:
        data.ntrex_dir("de")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "missing data file ntrex128/newstest2019-ref.deu.txt" in err
    assert f"put it at {tmp_path / 'repo' / 'ntrex128' / 'newstest2019-ref.deu.txt'}" in err
    assert str(tmp_path / "corpora" / "ntrex128" / "newstest2019-ref.deu.txt") in err
    assert "TRANSNORM_BENCH_DATA" in err and "MicrosoftTranslator/NTREX" in err


def test_environment_variable_replaces_both_places(data, tmp_path: Path, monkeypatch) -> None:
    _put(tmp_path / "repo", "translit/wikidata_en_ru_names.tsv")
    monkeypatch.setenv("TRANSNORM_BENCH_DATA", str(tmp_path / "elsewhere"))
    with pytest.raises(SystemExit):
        data.data_file("translit/wikidata_en_ru_names.tsv")
    mine = _put(tmp_path / "elsewhere", "translit/wikidata_en_ru_names.tsv")
    assert data.data_file("translit/wikidata_en_ru_names.tsv") == mine


@pytest.mark.parametrize("name", NEEDS_DATA)
def test_benchmark_without_data_exits_2_naming_the_file(name: str, tmp_path: Path) -> None:
    env = {**os.environ, "TRANSNORM_BENCH_DATA": str(tmp_path)}
    res = subprocess.run(
        [sys.executable, str(BENCHMARKS / name)], capture_output=True, text=True, env=env, timeout=120
    )
    assert res.returncode == 2, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    assert f"{name}: missing data file " in res.stderr
    assert f"put it at {tmp_path}" in res.stderr
