"""The test suite needs nothing outside the repository: its corpus slices are here, with their
licences, and reading `../shared` (the project's full corpora, absent from a user's clone) fails."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from conftest import FORBIDDEN, ROOT, SharedDataRead
from corpora import DATA, LID_SAMPLE, NTREX, NTREX_FILES, OFAC_CLUSTERS, SEED_ARTICLE, WIKIDATA_NAMES

SHARED = Path(FORBIDDEN)


@pytest.mark.parametrize(
    "read",
    [
        lambda: (SHARED / "data" / "ntrex128" / "LICENSE.md").read_text(encoding="utf-8"),
        lambda: open(os.path.relpath(SHARED / "README.md"), "rb"),  # noqa: SIM115
        lambda: os.listdir(SHARED),
        lambda: list(os.scandir(SHARED / "data")),
    ],
    ids=["read_text", "relative-open", "listdir", "scandir"],
)
def test_reading_shared_fails_the_test(read) -> None:
    """Fails before the file system is asked, so it holds whether or not ../shared exists."""
    with pytest.raises(SharedDataRead, match=r"tests must not read \.\./shared"):
        read()


def test_paths_beside_shared_stay_readable(tmp_path: Path) -> None:
    (tmp_path / "shared-notes.txt").write_text("x", encoding="utf-8")
    assert (tmp_path / "shared-notes.txt").read_text(encoding="utf-8") == "x"


def test_slices_live_in_the_repository() -> None:
    for path in (
        LID_SAMPLE,
        OFAC_CLUSTERS,
        WIKIDATA_NAMES,
        SEED_ARTICLE,
        *(NTREX / f for f in NTREX_FILES.values()),
    ):
        assert path.is_file() and ROOT in path.resolve().parents


def test_each_corpus_slice_carries_its_licence() -> None:
    assert "Attribution-ShareAlike 4.0" in (NTREX / "LICENSE.md").read_text(encoding="utf-8")
    assert "Apache License" in (DATA / "names" / "WATCHMAN_LICENSE_Apache-2.0.txt").read_text(
        encoding="utf-8"
    )
    assert "CC0" in (DATA / "translit" / "WIKIDATA_NAMES_LICENSE_CC0.txt").read_text(encoding="utf-8")


def test_ntrex_slice_is_line_aligned_and_small() -> None:
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    for name in NTREX_FILES.values():
        assert len((NTREX / name).read_text(encoding="utf-8").splitlines()) == len(ids), name
    with LID_SAMPLE.open(encoding="utf-8", newline="") as f:
        codes = {row["lang_code"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    assert len(codes) == 129
    assert sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file()) < 2_000_000
