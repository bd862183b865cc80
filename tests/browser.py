"""Run headless Chromium from tests: dump the DOM after layout, or take a screenshot.

Debian's `chromium` package is installed by `.ci/install-chromium.sh`; set `TRANSNORM_CHROMIUM` to
use another binary. Tests call `require_chromium()`, which skips them with the reason when no
browser is there. Every run gets a fresh profile directory and the flags that keep Chromium from
reaching the network on its own (no sync, component updates, QUIC or background networking), and
host resolution is disabled, so a page that tried to fetch anything would fail to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT_SECONDS = 90
REPORT_ID = "layout-report"


def find_chromium() -> str | None:
    """The Chromium binary to use, or None."""
    override = os.environ.get("TRANSNORM_CHROMIUM")
    if override:
        return override if Path(override).exists() else shutil.which(override)
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def require_chromium() -> str:
    """The Chromium binary; skips the calling test when there is none."""
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            "headless Chromium is not installed (apt-get install chromium, or .ci/install-chromium.sh)"
        )
    return binary


def _run(args: list[str], *, width: int, height: int) -> subprocess.CompletedProcess[str]:
    binary = require_chromium()
    with tempfile.TemporaryDirectory(prefix="transnorm-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"chromium exited with {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


def dump_dom(page: Path, *, width: int = 1280, height: int = 900) -> str:
    """The DOM of `page` serialised after load (scripts have run, layout is done)."""
    return _run(["--dump-dom", page.resolve().as_uri()], width=width, height=height).stdout


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1600) -> Path:
    """A PNG of the first `width` x `height` pixels of `page`."""
    _run([f"--screenshot={png}", page.resolve().as_uri()], width=width, height=height)
    if not png.exists():
        raise AssertionError(f"chromium did not write {png}")
    return png


def measure(page_html: str, script: str, workdir: Path, *, width: int = 1280, height: int = 900) -> Any:
    """Render `page_html` with `script` appended and return the JSON that the script reports.

    The script must assign a JSON-serialisable value to `window.report`; it runs after the
    page's own markup, so everything it measures is laid out.
    """
    probe = (
        "<script>(function(){" + script + f"\ndocument.getElementById('{REPORT_ID}').textContent = "
        "JSON.stringify(window.report);})();</script>"
    )
    report = f'<pre id="{REPORT_ID}" style="display:none"></pre>'
    assert "</body>" in page_html
    page = workdir / "measured.html"
    page.write_text(page_html.replace("</body>", report + probe + "</body>", 1), encoding="utf-8")
    dom = dump_dom(page, width=width, height=height)
    finder = _ElementText(REPORT_ID)
    finder.feed(dom)
    if not finder.text:
        raise AssertionError("the measuring script reported nothing; did it throw?")
    return json.loads(finder.text)


def png_size(png: Path) -> tuple[int, int]:
    """(width, height) from a PNG header."""
    head = png.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{png} is not a PNG file")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


class _ElementText(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.inside = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == self.element_id:
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data
