"""Progress bar, steady ETA, end-of-run summary, quiet third-party libraries, run statistics."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from transnorm.cli import main
from transnorm.progress import ProgressBar, SteadyRate, summary_lines
from transnorm.read import count_documents
from transnorm.write.summary import RunSummary


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _bursty_run(startup: float, burst: int, every: float, total: int) -> list[tuple[float, int]]:
    """(time, documents done) of a run that loads a model for `startup` seconds, then writes
    `burst` documents at once every `every` seconds."""
    events, t, done = [], startup, 0
    while done < total:
        for _ in range(min(burst, total - done)):
            done += 1
            events.append((t, done))
        t += every
    return events


def test_eta_is_steady_through_a_slow_start_and_bursts() -> None:
    """The reproduction: a long model load and batchy output made the first ETA 2:48:57 for an
    84-second run. Here: 60 s of start-up, then 16 documents every 2 s (8 docs/s), 800 documents."""
    total, true_rate = 800, 8.0
    rate = SteadyRate()
    etas: list[tuple[float, float]] = []
    for now, done in _bursty_run(startup=60.0, burst=16, every=2.0, total=total):
        rate.observe(done, now)
        eta = rate.eta(total - done)
        if eta is not None:
            etas.append((now, eta))
    first_time = etas[0][0]
    assert first_time >= 60.0 + 3.0  # no ETA from the first burst alone
    for now, eta in etas:
        truth = (total - rate_done(now)) / true_rate
        assert abs(eta - truth) <= max(0.35 * truth, 4.0), (now, eta, truth)
    # steady: from one document to the next the ETA never jumps up by more than a few seconds
    assert all(later - earlier <= 3.0 for (_, earlier), (_, later) in itertools.pairwise(etas))


def rate_done(now: float) -> int:
    """Documents done at `now` in the run of the test above."""
    return min(800, 16 * (int((now - 60.0) / 2.0) + 1))


def test_eta_follows_a_lasting_change_of_speed() -> None:
    rate = SteadyRate()
    t, done = 0.0, 0
    for _ in range(600):  # 10 docs/s for 60 s
        t, done = t + 0.1, done + 1
        rate.observe(done, t)
    for _ in range(600):  # then 2 docs/s for 300 s
        t, done = t + 0.5, done + 1
        rate.observe(done, t)
    assert rate.rate is not None and 1.8 <= rate.rate <= 2.5


def test_no_eta_before_a_few_documents() -> None:
    rate = SteadyRate()
    for i in range(1, 5):
        rate.observe(i, 10.0 + i)
    assert rate.eta(100) is None


def test_bar_on_a_terminal_shows_percentage_count_rate_elapsed_eta_and_errors() -> None:
    tty = _Tty()
    bar = ProgressBar(total=10, stream=tty, interval=0.0)
    for i in range(4):
        bar.update(segments=3, errors=i == 1)
    bar.close()
    out = tty.getvalue()
    assert "\r" in out and out.endswith("\n")
    last = out.rstrip("\n").split("\r")[-1]
    assert "40%|" in last and "4/10 docs" in last and "docs/s" in last
    assert "[00:00" in last and "ETA" in last and "1 error" in last


def test_bar_without_a_total_counts_documents() -> None:
    tty = _Tty()
    bar = ProgressBar(total=None, stream=tty, interval=0.0)
    bar.update(1, False)
    bar.close()
    last = tty.getvalue().rstrip("\n").split("\r")[-1]
    assert "1 docs" in last and "%" not in last and "ETA" not in last


def test_bar_is_silent_when_not_a_terminal() -> None:
    pipe = io.StringIO()
    bar = ProgressBar(total=2, stream=pipe, interval=0.0)
    bar.update(1, False)
    bar.close()
    assert pipe.getvalue() == ""


def test_summary_lines_name_documents_time_errors_by_code_and_output() -> None:
    summary = RunSummary(documents=12, documents_with_errors=2, segments=40, seconds=75.2)
    summary.errors_by_code.update({"E301": 3, "E104": 1})
    summary.outputs = ["out/records.jsonl"]
    lines = summary_lines(summary)
    assert lines[0] == "transnorm: 12 documents, 40 segments in 0:01:15, 0.2 docs/s"
    assert "2 documents with errors: E104 ×1, E301 ×3" in lines[1]
    assert lines[2] == "transnorm: output: out/records.jsonl"
    assert summary_lines(RunSummary())[1:] == ["transnorm: no errors", "transnorm: output: standard output"]


def test_run_prints_the_summary_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    text = "The Kremlin spokesman Dmitri Peskow told reporters on Monday that the talks had been useful."
    src.write_text(json.dumps({"id": "a", "text": text}) + '\n{"id": "b", "text": " "}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(src), "--to", "en", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "transnorm: 2 documents, 1 segment in 0:00:0" in err
    assert "transnorm: 1 document with errors: E104 ×1 (see the 'errors' field" in err
    assert f"transnorm: output: {out}" in err
    assert main(["run", str(src), "--to", "en", "-o", str(tmp_path / "o2.jsonl"), "--quiet"]) == 1
    assert "output:" not in capsys.readouterr().err


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
    assert summary["outputs"] == []
    assert 0 < summary["first_record_seconds"] <= summary["seconds"]


@pytest.mark.slow
def test_transformers_loading_bar_is_silenced_unless_verbose(tmp_path: Path) -> None:
    """The reproduction: a run with the transformers engine printed "Loading weights" bars."""
    pytest.importorskip("transformers")
    import tiny_models

    model = tiny_models.build_marian(tmp_path / "marian")
    src = tmp_path / "d.txt"
    src.write_text("Der Kremlsprecher sagte am Montag etwas.\n", encoding="utf-8")
    argv = [sys.executable, "-m", "transnorm.cli", "run", str(src), "--from", "de", "--to", "en"]
    argv += ["--engine", "transformers", "--model", str(model), "--no-cache"]
    quiet = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert "Loading weights" not in quiet.stderr and "transnorm: no errors" in quiet.stderr
    verbose = subprocess.run([*argv, "-v"], capture_output=True, text=True, check=True)
    assert "Loading weights" in verbose.stderr
