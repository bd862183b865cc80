"""Progress display and run statistics."""

from __future__ import annotations

import io
import json
from pathlib import Path

from transnorm.cli import main
from transnorm.progress import ProgressBar
from transnorm.read import count_documents


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_with_rates_errors_and_eta() -> None:
    tty = _Tty()
    bar = ProgressBar(total=4, stream=tty, interval=0.0)
    bar.update(segments=3, errors=False)
    bar.update(segments=2, errors=True)
    line = bar.line()
    assert line.startswith("2/4 docs") and "docs/s" in line and "seg/s" in line
    assert "errors 1" in line and "ETA" in line
    bar.close()
    assert "\r" in tty.getvalue() and tty.getvalue().endswith("\n")


def test_progress_is_silent_when_not_a_terminal() -> None:
    pipe = io.StringIO()
    bar = ProgressBar(total=2, stream=pipe, interval=0.0)
    bar.update(1, False)
    bar.close()
    assert pipe.getvalue() == ""


def test_count_documents_matches_what_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": 1, "text": "x"}\n\n{broken\n{"id": 3, "text": "z"}\n', encoding="utf-8"
    )
    (tmp_path / "notes.md").write_text("skipped", encoding="utf-8")
    assert count_documents([str(tmp_path), str(tmp_path / "missing.txt")]) == 5
    assert count_documents(["-"]) is None


def test_stats_file_summarises_the_run(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    stdin = io.BytesIO(
        b'{"id": "a", "text": "The Kremlin spokesman Dmitri Peskow told reporters on Monday that the talks with the Western delegation had been useful and would continue."}\n'
        b'{"id": "b", "text": "   "}\n'
    )
    code = main(["run", "-", "--to", "en", "--stats", str(stats)], stdout=io.StringIO(), stdin=stdin)
    assert code == 1
    summary = json.loads(stats.read_text(encoding="utf-8"))
    assert summary["documents"] == 2 and summary["documents_with_errors"] == 1
    assert summary["errors_by_code"] == {"E104": 1}
    assert summary["documents_by_language"]["en"] == 1
    assert summary["segments_by_engine"] == {"passthrough": 1}
    assert summary["edits"] == 1 and sum(summary["edits_by_rule"].values()) == 1
    assert set(summary["seconds_by_stage"]) == {"detect", "segment", "translate", "normalise"}
    assert "segments" in summary["translate"]
    assert 0 < summary["first_record_seconds"] <= summary["seconds"]
