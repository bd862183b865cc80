"""`align_files`: alignment made with the run's configuration (detector, segmenter, engine options)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from transnorm.align import align_files
from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.errors import ConfigError

EN = (
    "Dmitry Peskov spoke to reporters on Monday morning, saying that the talks with NATO, which had "
    "been planned for months by both sides and were widely expected to bring the first results since "
    "the spring, had failed once again. The Kremlin did not comment further on the matter."
)
DE = (
    "Dmitri Peskow sprach am Montagmorgen mit Journalisten und sagte, die Gespräche mit der NATO, die "
    "beide Seiten seit Monaten geplant hatten und von denen man allgemein die ersten Ergebnisse seit "
    "dem Frühjahr erwartet hatte, seien erneut gescheitert. Der Kreml äußerte sich nicht weiter dazu."
)


def aligned(files: tuple[Path, Path], **options: Any) -> Document:
    [doc] = align_files(*files, **options)  # one pair of text files: one record
    return doc


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "de.txt").write_text(DE, encoding="utf-8")
    return tmp_path / "en.txt", tmp_path / "de.txt"


def test_sentences_are_split_at_the_configured_length(files: tuple[Path, Path]) -> None:
    default = aligned(files, config=PipelineConfig())
    short = PipelineConfig().with_overrides(segment={"max_chars": 80})
    doc = aligned(files, config=short)
    assert not doc.errors
    assert max(len(s.source) for s in default.segments) > 80
    assert len(doc.segments) > len(default.segments)
    unmerged = [s for s in doc.segments if not any(f.startswith("merged") for f in s.flags)]
    assert unmerged and all(len(s.source) <= 80 for s in unmerged)


def test_languages_come_from_the_configured_detector(files: tuple[Path, Path]) -> None:
    assert aligned(files, config=PipelineConfig()).target_lang == "de"
    only_english = PipelineConfig().with_overrides(detect={"allowed": ("en",)})
    doc = aligned(files, config=only_english)
    assert (doc.lang, doc.target_lang) == ("en", "en")


def test_source_language_comes_from_the_config_when_not_given(files: tuple[Path, Path]) -> None:
    doc = aligned(files, config=PipelineConfig(source_lang="nl"))
    assert doc.lang == "nl"
    assert aligned(files, config=PipelineConfig(source_lang="nl"), source_lang="en").lang == "en"


def test_the_engine_is_built_with_its_configured_options(files: tuple[Path, Path]) -> None:
    config = PipelineConfig().with_overrides(translate={"engine_options": {"passthrough": {"no_such": 1}}})
    with pytest.raises(ConfigError, match=r"translate\.engine_options\.passthrough"):
        list(align_files(*files, config=config, engine="passthrough"))
    doc = aligned(files, config=PipelineConfig(), engine="passthrough")  # built: it cannot assist en-de
    assert [(e.code, "'passthrough'" in e.message) for e in doc.errors] == [("E602", True)]
