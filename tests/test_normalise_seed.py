"""The seed article through `transnorm run` (passthrough en -> en): one spelling per person, edits on record."""

from __future__ import annotations

import io
import json

import pytest

from corpora import SEED_ARTICLE as SEED
from transnorm.cli import main


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg"))
    out = io.StringIO()
    code = main(["run", str(SEED), "--from", "en", "--to", "en", "--no-cache"], stdout=out)
    assert code == 0
    return json.loads(out.getvalue())


def test_expected_rewrites(record: dict) -> None:
    pairs = {(e["before"], e["after"], e["entity"]) for e in record["edits"]}
    assert ("Peskow", "Peskov", "dmitry-peskov") in pairs
    assert ("Dimitri Peskov", "Dmitry Peskov", "dmitry-peskov") in pairs
    assert ("Dmitri Kosak", "Dmitry Kozak", "dmitry-kozak") in pairs


def test_names_left_alone(record: dict) -> None:
    touched = " ".join(e["before"] for e in record["edits"])
    for name in ("Plötner", "Scholz", "Stoltenberg", "Fomin"):
        assert name not in touched
    targets = " ".join(s["target"] for s in record["segments"])
    for name in ("Jens Plötner", "Olaf Scholz", "Stoltenberg’s offer", "Alexander Fomin"):
        assert name in targets


def test_spans_point_at_the_new_spelling(record: dict) -> None:
    segments = {s["index"]: s for s in record["segments"]}
    assert record["edits"]
    for edit in record["edits"]:
        start, end = edit["span"]
        assert segments[edit["segment"]]["target"][start:end] == edit["after"]
        assert edit["side"] == "target" and edit["rule"]


def test_one_spelling_per_person(record: dict) -> None:
    targets = " ".join(s["target"] for s in record["segments"])
    for variant in ("Peskow", "Dimitri", "Kosak", "Dmitri "):
        assert variant not in targets


def test_signature_names_the_glossary_version(record: dict) -> None:
    assert "@" in record["signature"]["glossary"] and "#" in record["signature"]["glossary"]
