"""Resumable runs: kill -9 at any moment, re-run, and every document is in the output exactly once."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transnorm.cli import build_parser, config_from_args
from transnorm.progress import ProgressBar
from transnorm.run import run

CONFIG = """
stages = ["detect", "segment", "translate"]
[detect]
per_segment = false
[translate]
engine = "passthrough"
cache = false
"""


def _docs(path: Path, n: int) -> Path:
    words = [
        "the",
        "council",
        "met",
        "in",
        "moscow",
        "and",
        "the",
        "minister",
        "said",
        "talks",
        "with",
        "nato",
        "were",
        "useful",
    ]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(
                f"{words[(i + k) % len(words)].capitalize()} {words[(i * 7 + k) % len(words)]} {i}."
                for k in range(4)
            )
            fh.write(json.dumps({"id": f"doc-{i:05d}", "text": text, "seq": i}) + "\n")
    return path


def _cmd(inputs: Path, output: Path, config: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "transnorm.cli",
        "run",
        str(inputs),
        "-o",
        str(output),
        "--config",
        str(config),
        "--to",
        "en",
        *extra,
    ]


@pytest.fixture()
def setup(tmp_path: Path) -> tuple[Path, Path]:
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    return _docs(tmp_path / "docs.jsonl", 4000), cfg


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def _partial(out: Path) -> Path:
    return out.with_name(f".{out.name}.transnorm-partial")


def _kill_when(proc: subprocess.Popen, watch: Path, lines: int, timeout: float = 120) -> bool:
    """SIGKILL `proc` once `watch` holds `lines` lines; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if watch.exists() and watch.stat().st_size > 0 and watch.read_bytes().count(b"\n") >= lines:
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return killed


@pytest.mark.slow
def test_sigkill_and_resume_gives_exactly_once_output(setup: tuple[Path, Path], tmp_path: Path) -> None:
    docs, cfg = setup
    reference = tmp_path / "reference.jsonl"
    subprocess.run(_cmd(docs, reference, cfg), check=True, capture_output=True)
    out = tmp_path / "out.jsonl"
    out.write_text("earlier output\n", encoding="utf-8")
    kills = 0
    for wait_lines in (300, 1500):  # kill twice, at different points, mid-run
        proc = subprocess.Popen(_cmd(docs, out, cfg), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kills += _kill_when(proc, _partial(out), wait_lines)
        assert out.read_text(encoding="utf-8") == "earlier output\n"  # replaced only when complete
    assert kills >= 1, "the run finished before it could be killed; make the input larger"
    final = subprocess.run(
        _cmd(docs, out, cfg, "--stats", str(tmp_path / "stats.json")), capture_output=True, text=True
    )
    assert final.returncode == 0, final.stderr
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert stats["skipped_already_done"] > 0
    assert _ids(out) == [f"doc-{i:05d}" for i in range(4000)]
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []  # no leftovers


class _StopAfter(ProgressBar):
    """A progress display that presses Ctrl-C after `after` records."""

    def __init__(self, after: int) -> None:
        super().__init__(enabled=False)
        self.after = after

    def update(self, segments: int, errors: bool) -> None:
        super().update(segments, errors)
        if self.documents >= self.after:
            raise KeyboardInterrupt


def _interrupted(docs: Path, out: Path, cfg: Path, *extra: str, after: int = 1000) -> None:
    """The same run as `_cmd(...)`, stopped after `after` records as a crash would stop it."""
    args = build_parser().parse_args(_cmd(docs, out, cfg, *extra)[3:])
    with pytest.raises(KeyboardInterrupt):
        run(args.inputs, config=config_from_args(args), output=args.output, progress=_StopAfter(after))
    assert _partial(out).exists()


def test_changed_config_is_detected_not_mixed(setup: tuple[Path, Path], tmp_path: Path) -> None:
    docs, cfg = setup
    out = tmp_path / "out.jsonl"
    _interrupted(docs, out, cfg)
    before = _partial(out).read_bytes()
    other = tmp_path / "other.toml"
    other.write_text(
        CONFIG.replace('engine = "passthrough"', 'engine = "passthrough"\nbatch_size = 7'), encoding="utf-8"
    )
    changed = subprocess.run(_cmd(docs, out, other), capture_output=True, text=True)
    assert changed.returncode == 2
    assert (
        "[E402]" in changed.stderr and "different config" in changed.stderr and "--restart" in changed.stderr
    )
    assert _partial(out).read_bytes() == before and not out.exists()
    restarted = subprocess.run(_cmd(docs, out, other, "--restart"), capture_output=True, text=True)
    assert restarted.returncode == 0 and len(_ids(out)) == 4000
    # a complete output is not resumed: the same command, or another config, writes it anew
    again = subprocess.run(_cmd(docs, out, cfg), capture_output=True, text=True)
    assert again.returncode == 0 and len(_ids(out)) == 4000


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_disk_full_fails_clearly_and_keeps_committed_output(setup: tuple[Path, Path], tmp_path: Path) -> None:
    docs, cfg = setup
    out = tmp_path / "out.jsonl"
    out.write_text("earlier output\n", encoding="utf-8")
    full = subprocess.run(
        _cmd(docs, out, cfg), capture_output=True, text=True, preexec_fn=_limit_file_size(1_500_000)
    )
    assert full.returncode == 2
    assert "[E400]" in full.stderr and "failed" in full.stderr and "resumes" in full.stderr
    assert out.read_text(encoding="utf-8") == "earlier output\n"  # a failed run leaves it as it was
    kept = _partial(out).read_text(encoding="utf-8").splitlines()
    assert kept, "the committed records should still be there"
    assert all(json.loads(line)["id"] for line in kept)  # only whole records, no torn tail
    done = subprocess.run(_cmd(docs, out, cfg), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _ids(out) == [f"doc-{i:05d}" for i in range(4000)]


def test_unwritable_output_path_leaves_earlier_output_intact(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    docs, cfg = setup
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("earlier output\n", encoding="utf-8")
    # a path under a regular file cannot be created, whoever runs the test (root included)
    res = subprocess.run(_cmd(docs, earlier / "out.jsonl", cfg), capture_output=True, text=True)
    assert res.returncode == 2 and "cannot write output" in res.stderr
    assert earlier.read_text(encoding="utf-8") == "earlier output\n"


def test_output_into_a_missing_directory_is_a_clear_error(setup: tuple[Path, Path], tmp_path: Path) -> None:
    docs, cfg = setup
    res = subprocess.run(_cmd(docs, tmp_path / "nope" / "out.jsonl", cfg), capture_output=True, text=True)
    assert res.returncode == 2 and "cannot" in res.stderr and "nope/out.jsonl" in res.stderr


def test_changed_glossary_is_detected(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        CONFIG.replace(
            'stages = ["detect", "segment", "translate"]',
            'stages = ["detect", "segment", "translate", "normalise"]',
        ),
        encoding="utf-8",
    )
    docs = _docs(tmp_path / "docs.jsonl", 400)
    glossary = tmp_path / "names.tsv"
    glossary.write_text("variant\tcanonical\nMoskau\tMoscow\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    _interrupted(docs, out, cfg, "--glossary", str(glossary), after=300)
    glossary.write_text("variant\tcanonical\nMoskau\tMoscow\nKiew\tKyiv\n", encoding="utf-8")
    second = subprocess.run(_cmd(docs, out, cfg, "--glossary", str(glossary)), capture_output=True, text=True)
    assert second.returncode == 2
    assert "[E402]" in second.stderr and "different glossary" in second.stderr
