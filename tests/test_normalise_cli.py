"""`transnorm normalise`, `check-names` and `glossary validate|expand`, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from corpora import SEED_ARTICLE as SEED
from transnorm.cli import main


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_normalise_text_file(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Dimitri Peskov sagte etwas. Peskov ging.", encoding="utf-8")
    code, out = _run(["normalise", str(src), "--lang", "de"])
    rec = json.loads(out)
    assert code == 0
    assert rec["text"] == "Dmitri Peskow sagte etwas. Peskow ging."
    for edit in rec["edits"]:
        seg = rec["segments"][edit["segment"]]
        assert seg["source"][edit["span"][0] : edit["span"][1]] == edit["after"]
        assert rec["text"][seg["source_span"][0] : seg["source_span"][1]] == seg["source"]


def test_check_names_reports_seed_inconsistency() -> None:
    code, out = _run(["check-names", str(SEED), "--lang", "en", "--format", "json"])
    report = json.loads(out)
    assert code == 0
    rows = {(r["entity"], tuple(r["spellings"])) for r in report["inconsistent_documents"]}
    assert ("dmitry-peskov", ("Dimitri Peskov", "Peskow")) in rows
    peskov = next(e for e in report["entities"] if e["id"] == "dmitry-peskov")
    assert {s["text"] for s in peskov["spellings"]} == {"Dimitri Peskov", "Peskow"}


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_check_names_other_formats(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Dmitry Peskov met Chodorkowskij. Peskow left.", encoding="utf-8")
    code, out = _run(["check-names", str(src), "--lang", "en", "--format", fmt])
    assert code == 0 and "Peskow" in out and "Chodorkowskij" in out


def test_near_variant_suggested_not_rewritten(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Chodorkowskij spoke. Lavrova spoke.", encoding="utf-8")
    code, out = _run(["check-names", str(src), "--lang", "en"])
    near = {r["text"]: r["entity"] for r in json.loads(out)["near_variants"]}
    assert code == 0
    assert near.get("Chodorkowskij") == "mikhail-khodorkovsky"
    assert "Lavrova" not in near


def test_glossary_validate(tmp_path: Path) -> None:
    code, out = _run(["glossary", "validate", "bundled"])
    assert code == 0 and "ok" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'version: "1"\ndescription: x\nentries:\n  - id: a\n    canonical: {de: X}\n', encoding="utf-8"
    )
    code, _ = _run(["glossary", "validate", str(bad)])
    assert code == 1
    code, _ = _run(["glossary", "validate", str(tmp_path / "missing.yaml")])
    assert code == 2


def test_glossary_expand_shows_rules() -> None:
    code, out = _run(["glossary", "expand", "people-russia-ukraine-belarus"])
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert ["dmitry-kozak", "dmitri kosak", "full", "explicit", "Dmitry Kozak"] in rows
    assert any(r[0] == "dmitry-peskov" and r[1] == "pieskow" and r[3] == "generated:pl_press" for r in rows)


def test_run_glossary_option_replaces_bundled(tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("Peskow\tPESKOV\n", encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("Peskow and Dimitri Peskov.", encoding="utf-8")
    code, out = _run(["run", str(src), "--from", "en", "--to", "en", "--glossary", str(g), "--no-cache"])
    rec = json.loads(out)
    assert code == 0
    assert [(e["before"], e["after"]) for e in rec["edits"]] == [("Peskow", "PESKOV"), ("Peskov", "PESKOV")]
    assert rec["segments"][0]["target"] == "PESKOV and Dimitri PESKOV."  # no bundled entry: Dimitri stays
