"""The one-call Python API: transnorm.translate, transnorm.check_names, Pipeline on dicts and strings,
Document.from_dict, doc.failed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import transnorm
from transnorm import Document, Pipeline, PipelineConfig
from transnorm.testing import UppercaseEngine

PT = "O porta-voz do Kremlin, Dmitri Peskow, disse que o ministro Lavrov viajará para Pequim na próxima semana."


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def test_translate_returns_one_record_per_input_in_order() -> None:
    items = [PT, {"id": "d", "text": "Olá, mundo. Tudo bem?", "site": "x"}, {"id": "e"}, 42, "   "]
    records = transnorm.translate(items, to="en", source="pt", engine=UppercaseEngine())
    assert [r["id"] for r in records] == ["0", "d", "e", "3", "4"]
    assert records[0]["segments"][0]["target"].startswith("O PORTA-VOZ DO KREMLIN, DMITRY PESKOV")
    assert records[0]["edits"][0]["before"] == "DMITRI PESKOW"
    assert records[1]["metadata"] == {"site": "x"} and records[1]["target_lang"] == "en"
    assert [[e["code"] for e in r["errors"]] for r in records] == [[], [], ["E106"], ["E106"], ["E104"]]
    assert "field 'text' is missing" in records[2]["errors"][0]["message"]
    assert "got int" in records[3]["errors"][0]["message"]


def test_translate_of_one_string_is_a_list_of_one_record() -> None:
    records = transnorm.translate("Olá, mundo.", to="de", source="pt", engine=UppercaseEngine())
    assert len(records) == 1 and records[0]["target_lang"] == "de"


def test_translate_takes_config_sections_and_a_toml_file(tmp_path: Path) -> None:
    toml = tmp_path / "job.toml"
    toml.write_text('target_lang = "de"\n[write]\ninclude_text = false\n', encoding="utf-8")
    (rec,) = transnorm.translate(["Olá, mundo."], config=toml, to="fr", source="pt", engine=UppercaseEngine())
    assert rec["target_lang"] == "fr" and "text" not in rec
    (rec,) = transnorm.translate(
        ["Olá, mundo."], source="pt", engine=UppercaseEngine(), stages=("detect", "segment", "translate")
    )
    assert (
        rec["signature"]["config"]
        != transnorm.translate(["Olá, mundo."], source="pt", engine=UppercaseEngine())[0]["signature"][
            "config"
        ]
    )


def test_translate_is_the_callable_translate_package() -> None:
    import transnorm.translate.stage as stage

    assert callable(transnorm.translate) and transnorm.translate.stage is stage
    from transnorm import translate

    assert translate is transnorm.translate


def test_pipeline_run_accepts_dicts_strings_and_documents() -> None:
    with Pipeline(PipelineConfig(target_lang="en", stages=("detect", "segment"))) as pipe:
        docs = pipe.run(
            ["one two three", {"id": "b", "text": "four five six", "k": 1}, Document(id="c", text="seven")]
        )
    assert [d.id for d in docs] == ["0", "b", "c"]
    assert docs[1].metadata == {"k": 1}
    assert all(d.signature.get("transnorm") == transnorm.__version__ for d in docs)


@pytest.mark.parametrize(
    ("row", "metadata", "error"),
    [
        ({"id": 7, "text": "x", "url": "u", "tags": ["a"]}, {"url": "u", "tags": ["a"]}, None),
        ({"id": "m", "text": "x", "metadata": {"a": 1}, "b": 2}, {"a": 1, "b": 2}, None),
        ({"id": "n", "text": 3}, {}, "field 'text' is a int, not a string"),
        ({"text": "x", "metadata": "plain"}, {"metadata": "plain"}, None),
    ],
)
def test_document_from_dict_keeps_unknown_keys_as_metadata(
    row: dict, metadata: dict, error: str | None
) -> None:
    doc = Document.from_dict(row, default_id="fallback")
    assert doc.id == str(row.get("id", "fallback"))
    assert doc.metadata == metadata
    assert [e.message for e in doc.errors] == ([error] if error else [])
    assert doc.failed is bool(error)


def test_failed_means_carries_an_error_and_stopped_means_fatal() -> None:
    doc = Document(id="a", text="x")
    assert not doc.failed and not doc.stopped
    doc.add_error("translate", "E302", "one segment", segment=1, fatal=False)
    assert doc.failed and not doc.stopped  # later stages still run on it
    doc.add_error("read", "E104", "empty")
    assert doc.failed and doc.stopped


def test_check_names_on_records_reads_translations_or_source() -> None:
    records = transnorm.translate([PT], to="en", source="pt", engine=UppercaseEngine())
    by_target = transnorm.check_names(records)
    spellings = {e["id"]: [s["text"] for s in e["spellings"]] for e in by_target["entities"]}
    assert spellings["dmitry-peskov"] == ["DMITRY PESKOV"]
    by_source = transnorm.check_names(records, side="source", lang="pt")
    spellings = {e["id"]: [s["text"] for s in e["spellings"]] for e in by_source["entities"]}
    assert spellings["dmitry-peskov"] == ["Dmitri Peskow"]
    plain = transnorm.check_names([{"id": "p", "text": "Peskow und Dmitri Peskov trafen sich."}], lang="de")
    assert plain["inconsistent_documents"][0]["document"] == "p"
    with pytest.raises(ValueError, match="side"):
        transnorm.check_names(records, side="sideways")


def test_import_stays_light() -> None:
    code = "import sys, transnorm; print(sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'tqdm') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
