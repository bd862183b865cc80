"""The output layer (`transnorm.write.sink`) shared by run, normalise, align and convert.

Each test is a reproduction of a way output was lost or corrupted: an output that is an input, two
runs on one output, changed input between a crash and the resume, `-o newdir/`, an unwritable
`--stats`, orphaned workers and stale temporary files after `kill -9`, error messages without codes.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transnorm.cli import main
from transnorm.config import load_config
from transnorm.progress import ProgressBar
from transnorm.run import run
from transnorm.state import RunState
from transnorm.write import writer_formats
from transnorm.write._output import OutputLock, lock_path, partial_path
from transnorm.write.moses import output_paths

CONFIG = """
stages = ["detect", "segment", "translate"]
[detect]
per_segment = false
[translate]
engine = "passthrough"
cache = false
"""
WORDS = ["the", "council", "met", "in", "moscow", "and", "the", "minister", "said", "talks", "with", "nato"]
WORDS += ["were", "useful"]


def _docs(path: Path, n: int, *, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            text = " ".join(
                f"{WORDS[(i + k) % len(WORDS)].capitalize()} {WORDS[(i * 7 + k) % 14]} {i}." for k in range(4)
            )
            fh.write(json.dumps({"id": f"doc-{i:05d}", "text": text}) + "\n")
    return path


@pytest.fixture()
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out, stdin=io.BytesIO(b""))
    return code, out.getvalue()


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "transnorm.cli", *argv]


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file under `directory` with its size and modification time: 'touched nothing' is equality."""
    files = [directory] if directory.is_file() else sorted(directory.rglob("*"))
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file()}


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


# -- an output that is an input ------------------------------------------------------------------


def _same_file_cases(tmp_path: Path, cfg: Path) -> dict[str, list[str]]:
    data = tmp_path / "data"
    data.mkdir()
    docs = _docs(data / "docs.jsonl", 30)
    en, de = data / "en.txt", data / "de.txt"
    en.write_text("The talks failed. Nobody came.", encoding="utf-8")
    de.write_text("Die Gespräche scheiterten. Niemand kam.", encoding="utf-8")
    src = data / "c.src"
    src.write_text("The talks failed.\n", encoding="utf-8")
    run = ["run", "--config", str(cfg), "--to", "en"]
    return {
        "run, same file": [*run, str(docs), "-o", str(docs)],
        "run, DIR/ inside the input directory": [*run, str(data), "-o", f"{data}/out/"],
        "run, a file inside the input directory": [*run, str(data), "-o", str(data / "sub" / "out.tsv")],
        "run, the output named another way": [*run, str(docs), "-o", f"{data}/../data/docs.jsonl"],
        "run, moses prefix whose .src is an input": [
            *run,
            str(src),
            "--format",
            "moses",
            "-o",
            str(data / "c"),
        ],
        "normalise": ["normalise", str(docs), "--lang", "en", "-o", str(docs)],
        "convert": ["convert", str(docs), "--format", "jsonl", "-o", str(docs)],
        "align": ["align", str(en), str(de), "-o", str(de)],
    }


CASES = [
    "run, same file",
    "run, DIR/ inside the input directory",
    "run, a file inside the input directory",
    "run, the output named another way",
    "run, moses prefix whose .src is an input",
    "normalise",
    "convert",
    "align",
]


@pytest.mark.parametrize("case", CASES)
def test_an_output_that_is_an_input_is_refused_and_nothing_is_touched(
    tmp_path: Path, cfg: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _same_file_cases(tmp_path, cfg)[case]
    before = _snapshot(tmp_path)
    code, stdout = _run(*argv)
    err = capsys.readouterr().err
    assert code == 2 and stdout == ""
    assert "[E401]" in err and "input" in err
    assert _snapshot(tmp_path) == before


def test_output_directory_beside_the_input_directory_is_fine(tmp_path: Path, cfg: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _docs(data / "docs.jsonl", 5)
    code, _ = _run("run", str(data), "--config", str(cfg), "--to", "en", "-o", f"{tmp_path}/data-out/")
    assert code == 0 and len(_ids(tmp_path / "data-out" / "records.jsonl")) == 5


# -- -o newdir/ ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", writer_formats())
def test_trailing_slash_output_is_a_directory_for_every_format(tmp_path: Path, cfg: Path, fmt: str) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 5)
    for command, target in (
        (["run", str(docs), "--config", str(cfg), "--to", "en", "--format", fmt], tmp_path / "run-out"),
        (["convert", str(docs), "--format", fmt], tmp_path / "convert-out"),
    ):
        code, _ = _run(*command, "-o", f"{target}/")
        assert code in (0, 1), command  # convert of input records without segments: errors are fine
        assert target.is_dir()
        expected = (
            sorted(p.name for p in output_paths(target / "records").values())
            if fmt == "moses"
            else [f"records.{fmt}"]
        )
        assert sorted(p.name for p in target.iterdir()) == expected


# -- a new run never truncates the existing output ----------------------------------------------


class _CrashAfter(ProgressBar):
    """A progress display that crashes the run after `after` records."""

    def __init__(self, after: int) -> None:
        super().__init__(enabled=False)
        self.after = after

    def update(self, segments: int, errors: bool) -> None:
        super().update(segments, errors)
        if self.documents >= self.after:
            raise RuntimeError("crash")


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "moses"])
def test_a_failed_run_leaves_the_existing_output_as_it_was(tmp_path: Path, cfg: Path, fmt: str) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 600)
    out = tmp_path / f"out.{fmt}"
    targets = list(output_paths(out).values()) if fmt == "moses" else [out]
    for target in targets:
        target.write_text("earlier output\n", encoding="utf-8")
    config = load_config(cfg).with_overrides(target_lang="en")
    with pytest.raises(RuntimeError, match="crash"):
        run([str(docs)], config=config, output=out, fmt=fmt, progress=_CrashAfter(500))
    for target in targets:
        assert target.read_text(encoding="utf-8") == "earlier output\n"
    assert not lock_path(out).exists()
    if fmt in ("tmx", "moses"):  # a whole-file format cannot be resumed: its partial files are gone
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".transnorm-partial")]
    else:  # a line format keeps its committed records beside the output, and the next run resumes
        summary = run([str(docs)], config=config, output=out, fmt=fmt)
        assert summary.skipped_already_done == 256 and summary.documents == 600 - 256
        assert not partial_path(out).exists()
        if fmt == "jsonl":
            assert _ids(out) == [f"doc-{i:05d}" for i in range(600)]


def test_a_completed_run_replaces_the_output_and_leaves_nothing_beside_it(tmp_path: Path, cfg: Path) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 10)
    out = tmp_path / "out.jsonl"
    out.write_text("earlier output\n", encoding="utf-8")
    assert _run("run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out))[0] == 0
    assert len(_ids(out)) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "docs.jsonl", "out.jsonl"]


# -- two runs, one output -----------------------------------------------------------------------


def test_a_locked_output_is_refused_naming_the_lock_and_nothing_is_touched(
    tmp_path: Path, cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 10)
    out = tmp_path / "out.jsonl"
    out.write_text("earlier output\n", encoding="utf-8")
    with OutputLock(out):  # another run holds it
        before = _snapshot(tmp_path)
        for argv in (
            ["run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out)],
            ["convert", str(docs), "--format", "jsonl", "-o", str(out)],
        ):
            code, _ = _run(*argv)
            err = capsys.readouterr().err
            assert code == 2
            assert "[E403]" in err and str(lock_path(out)) in err and f"pid {os.getpid()}" in err
            assert _snapshot(tmp_path) == before
    assert not lock_path(out).exists()  # released and removed
    assert _run("convert", str(docs), "--format", "jsonl", "-o", str(out))[0] == 0


def test_two_concurrent_runs_one_writes_the_other_exits_2(tmp_path: Path, cfg: Path) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 4000)
    out = tmp_path / "out.jsonl"
    argv = _cli("run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out))
    first = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not partial_path(out).exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.poll() is None, "the first run ended before the second could start; make the input larger"
    second = subprocess.run(argv, capture_output=True, text=True)
    assert first.wait() == 0, first.stderr.read() if first.stderr else ""
    assert second.returncode == 2 and "[E403]" in second.stderr and "lock" in second.stderr
    assert _ids(out) == [f"doc-{i:05d}" for i in range(4000)]


# -- changed input between a crash and the resume -----------------------------------------------


def _killed_run(tmp_path: Path, cfg: Path) -> Path:
    """A directory holding docs.jsonl (4000 documents) and the remains of a run killed mid-way."""
    work = tmp_path / "killed"
    work.mkdir()
    docs, out = _docs(work / "docs.jsonl", 4000), work / "out.jsonl"
    proc = subprocess.Popen(
        _cli("run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        partial = partial_path(out)
        if partial.exists() and partial.read_bytes().count(b"\n") >= 1200:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; make the input larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return work


def _progress(out: Path) -> dict:
    state = RunState(RunState.path_for(out))
    try:
        return state.progress().__dict__
    finally:
        state.close()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


CHANGES = {
    # each would have given a duplicated, a missing or a stale record when only the last id was compared
    "a document inserted": lambda lines: [lines[0], lines[0].replace("doc-00000", "doc-new"), *lines[1:]],
    "a document removed": lambda lines: lines[:10] + lines[11:],
    "a document edited": lambda lines: [
        *lines[:5],
        lines[5].replace('"text": "', '"text": "Edited. '),
        *lines[6:],
    ],
    "two documents swapped": lambda lines: [lines[1], lines[0], *lines[2:]],
    "fewer documents than written": lambda lines: lines[:100],
}


@pytest.mark.slow
def test_input_changed_between_kill_and_resume_is_refused_or_resumed_exactly(
    tmp_path: Path, cfg: Path
) -> None:
    killed = _killed_run(tmp_path, cfg)
    for name, change in CHANGES.items():
        work = tmp_path / name.replace(" ", "-")
        shutil.copytree(killed, work)
        docs, out = work / "docs.jsonl", work / "out.jsonl"
        docs.write_text("".join(change(_lines(docs))), encoding="utf-8")
        before = (_snapshot(work / "docs.jsonl"), partial_path(out).read_bytes(), _progress(out))
        res = subprocess.run(
            _cli("run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out)),
            capture_output=True,
            text=True,
        )
        assert res.returncode == 2, (name, res.stderr)
        assert "[E402]" in res.stderr and "--restart" in res.stderr, name
        assert (_snapshot(work / "docs.jsonl"), partial_path(out).read_bytes(), _progress(out)) == before
        assert not out.exists()
    # a change after the documents already written is simply read: the resumed output is exact
    work = tmp_path / "changed-at-the-end"
    shutil.copytree(killed, work)
    docs, out = work / "docs.jsonl", work / "out.jsonl"
    lines = _lines(docs)
    docs.write_text("".join([*lines[:-1], lines[-1].replace("doc-03999", "doc-last")]), encoding="utf-8")
    committed = _progress(out)["documents"]  # commits come every 256 documents or 2 s, whichever first
    assert committed > 0
    res = subprocess.run(
        _cli(
            "run",
            str(docs),
            "--config",
            str(cfg),
            "--to",
            "en",
            "-o",
            str(out),
            "--stats",
            str(work / "s.json"),
        ),
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads((work / "s.json").read_text(encoding="utf-8"))["skipped_already_done"] == committed
    fresh = work / "fresh.jsonl"
    assert _run("run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(fresh))[0] == 0
    assert out.read_bytes() == fresh.read_bytes()


# -- --stats ------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["under a regular file", "a directory", "a missing directory"])
def test_unwritable_stats_path_is_refused_before_the_run(
    tmp_path: Path, cfg: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 5)
    stats = {
        "under a regular file": docs / "stats.json",
        "a directory": tmp_path,
        "a missing directory": tmp_path / "nope" / "stats.json",
    }[where]
    out = tmp_path / "out.jsonl"
    code, _ = _run(
        "run", str(docs), "--config", str(cfg), "--to", "en", "-o", str(out), "--stats", str(stats)
    )
    err = capsys.readouterr().err
    assert code == 2 and "[E400]" in err and "--stats" in err and "Traceback" not in err
    assert not out.exists()  # refused before any document was processed


# -- kill -9: workers and stale files -----------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path, cfg: Path) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 40000)
    proc = subprocess.Popen(
        _cli(
            "run",
            str(docs),
            "--config",
            str(cfg),
            "--to",
            "en",
            "-o",
            str(tmp_path / "out.jsonl"),
            "--workers",
            "2",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = _descendants(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2 and proc.poll() is None, "no workers seen before the run ended"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"


@pytest.mark.parametrize("fmt", ["tmx", "moses"])
def test_a_killed_whole_file_run_leaves_a_partial_file_that_the_next_run_removes(
    tmp_path: Path, cfg: Path, fmt: str
) -> None:
    docs = _docs(tmp_path / "docs.jsonl", 40000)
    out = tmp_path / "out"
    partials = [partial_path(p) for p in (output_paths(out).values() if fmt == "moses" else [out])]
    argv = _cli("run", str(docs), "--config", str(cfg), "--to", "en", "--format", fmt, "-o", str(out))
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if partials[0].exists():  # TMX writes its body to a spool first: the file stays empty
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; make the input larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert partials[0].exists()
    small = _docs(tmp_path / "small.jsonl", 3)
    res = subprocess.run([*argv[:4], str(small), *argv[5:]], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert not [p for p in partials if p.exists()]
    assert not lock_path(out).exists()


# -- every error message carries its code -------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "-", "--format", "nope", "-o", "x"],  # argparse has no choices on run --format
        ["run", "-", "--workers", "0"],
        ["run", "-", "--config", "/nonexistent/c.toml"],
        ["convert", "/nonexistent.jsonl", "--format", "moses"],  # moses cannot go to stdout
    ],
)
def test_every_error_message_carries_its_code(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(*argv)
    err = capsys.readouterr().err
    assert code == 2
    assert re.match(r"transnorm: error \[E\d{3}\]: ", err), err


# -- the library API ------------------------------------------------------------------------------


def test_run_and_write_share_one_summary_type_and_one_lock(tmp_path: Path, cfg: Path) -> None:
    from transnorm.errors import E_OUTPUT_LOCKED, OutputError
    from transnorm.read import read_documents
    from transnorm.write import write_documents
    from transnorm.write.summary import RunSummary

    docs = _docs(tmp_path / "docs.jsonl", 5)
    ran = run([str(docs)], config=load_config(cfg).with_overrides(target_lang="en"), output=f"{tmp_path}/a/")
    written = write_documents(read_documents([str(docs)]), "tsv", f"{tmp_path}/b/", inputs=[docs])
    assert type(ran) is type(written) is RunSummary
    assert ran.documents == written.documents == 5
    assert (tmp_path / "a" / "records.jsonl").is_file() and (tmp_path / "b" / "records.tsv").is_file()
    with OutputLock(tmp_path / "b" / "records.tsv"), pytest.raises(OutputError) as caught:
        write_documents(read_documents([str(docs)]), "tsv", f"{tmp_path}/b/")
    assert caught.value.code == E_OUTPUT_LOCKED
