"""Stages: one registry, declared traits the runner follows (never a stage's name), the typed run
signature, the one text form of a document error, and coded option errors."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterable, Iterator

import pytest

from transnorm import Document, Pipeline, PipelineConfig
from transnorm.config import STAGE_NAMES
from transnorm.detect import DetectorConfig, LanguageDetector
from transnorm.document import DocError
from transnorm.errors import ConfigError, OptionError, TransnormError
from transnorm.segment import split_sentences
from transnorm.signature import Signature
from transnorm.stages import STAGES, Resources
from transnorm.translit import transliterate

TEXT = "Der Kreml hat das Angebot geprüft. Eine Antwort steht noch aus."


def test_the_registry_names_each_stage_class_under_its_own_name() -> None:
    assert tuple(STAGES) == STAGE_NAMES == ("detect", "segment", "translate", "normalise")
    for name, where in STAGES.items():
        module, _, attr = where.partition(":")
        assert getattr(importlib.import_module(module), attr).name == name


def test_validating_a_config_loads_no_stage_module() -> None:
    code = (
        "import sys\n"
        "from transnorm.config import config_from_dict\n"
        "config_from_dict({'stages': ['segment', 'normalise']})\n"
        "print([m for m in ('transnorm.detect', 'transnorm.segment', 'transnorm.translate.stage',"
        " 'transnorm.normalise.stage') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    with pytest.raises(ConfigError, match="unknown stage 'tokenise'; known stages: detect, segment"):
        PipelineConfig().with_overrides(stages=("detect", "tokenise"))


def test_resources_build_the_configured_detector_once() -> None:
    resources = Resources(PipelineConfig().with_overrides(detect={"allowed": ("de", "en")}))
    detector = resources.detector
    assert isinstance(detector, LanguageDetector) and resources.detector is detector
    assert detector.detect("Bonjour tout le monde, comment allez-vous aujourd'hui?").lang in ("de", "en")


class CountingStage:
    """A stage given ready-made under any name: it batches (`pipe`) and keeps statistics."""

    def __init__(self) -> None:
        self.seen = 0
        self.streams = 0

    def __call__(self, doc: Document) -> Document:
        raise AssertionError("a batching stage is handed the stream, not single documents")

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        self.streams += 1
        for doc in docs:
            self.seen += 1
            yield doc

    def statistics(self) -> dict[str, int]:
        return {"documents": self.seen}


@pytest.mark.parametrize("name", ["segment", "normalise"])
def test_the_runner_follows_declared_traits_whatever_the_stage_is_called(name: str) -> None:
    config = PipelineConfig(stages=("detect", name), source_lang="de")
    stage = CountingStage()
    pipe = Pipeline(config, stages={name: stage})
    assert len(pipe.run([TEXT, TEXT, TEXT])) == 3
    assert stage.streams == 1
    assert pipe.statistics() == {name: {"documents": 3}}


def test_the_translate_stage_reports_its_statistics_through_the_runner() -> None:
    config = PipelineConfig(stages=("segment", "translate"), source_lang="de", target_lang="de")
    pipe = Pipeline(config.with_overrides(translate={"cache": False}))
    pipe.run([TEXT])
    assert pipe.statistics()["translate"]["segments"] == 2


def test_worker_processes_group_the_stages_that_declare_themselves_safe() -> None:
    config = PipelineConfig().with_overrides(translate={"engine": "passthrough", "cache": False})
    pipe = Pipeline(config)
    assert [names for names, _ in pipe._groups(2)] == [("detect", "segment"), ("translate",), ("normalise",)]
    assert [names for names, _ in pipe._groups(1)] == [(n,) for n in STAGE_NAMES]


def test_the_record_signature_keeps_its_keys_in_order() -> None:
    config = PipelineConfig().with_overrides(translate={"engine": "passthrough", "cache": False})
    with Pipeline(config) as pipe:
        doc = pipe("The Kremlin has examined the offer.")
    record = doc.to_record()["signature"]
    assert type(record) is dict
    assert list(record) == ["transnorm", "config", "target_lang", "glossary", "engine", "model"]
    assert record["engine"] == "passthrough" and record == doc.signature


def test_signature_format_puts_the_usual_fields_first_and_leaves_out_empty_ones() -> None:
    sig = Signature(
        zeta="z", config="c1", transnorm="0.1", model=None, engine="marian", aligner="gale-church"
    )
    assert sig.format() == "transnorm:0.1|engine:marian|config:c1|aligner:gale-church|zeta:z"
    assert Signature(Document.from_record({"id": "x", "signature": dict(sig)}).signature) == sig


@pytest.mark.parametrize(
    "error",
    [
        DocError("translate", "E303", "model missing: run `transnorm models download x`", segment=3),
        DocError("read", "E104", "document is empty or contains only whitespace"),
        DocError("align", "E602", "aligned by length: engine said: no\nsecond line"),
    ],
)
def test_an_error_reads_back_from_its_one_text_form(error: DocError) -> None:
    text = str(error)
    assert text == f"{error.stage} {error.code}: {error.message}"
    assert DocError.parse(text, segment=error.segment) == error


def test_text_in_another_form_is_not_taken_for_an_error() -> None:
    with pytest.raises(ValueError, match="not an error in the form"):
        DocError.parse("translate:E303: the old TSV form")


def test_a_tmx_header_error_reads_back_even_when_the_document_id_holds_a_colon(tmp_path) -> None:
    from transnorm.read_records import read_tmx
    from transnorm.write import write_documents

    doc = Document("news: 17", "")
    doc.add_error("read", "E104", "document is empty: nothing to do")
    write_documents([doc], "tmx", tmp_path / "out.tmx")
    [back] = read_tmx(tmp_path / "out.tmx")
    assert (back.id, back.errors) == (
        "news: 17",
        [DocError("read", "E104", "document is empty: nothing to do")],
    )


@pytest.mark.parametrize(
    ("call", "code", "kind"),
    [
        (lambda: LanguageDetector(DetectorConfig(allowed=("xx",))), "E202", ValueError),
        (lambda: LanguageDetector(DetectorConfig(backend="nope")), "E202", ValueError),
        (lambda: LanguageDetector().detect(b"bytes"), "E203", TypeError),
        (lambda: transliterate("Путин", scheme="klingon"), "E504", ValueError),
        (lambda: split_sentences("One. Two.", max_chars=0), "E001", ValueError),
    ],
)
def test_bad_options_deep_in_the_library_are_coded_errors(call, code: str, kind: type) -> None:
    with pytest.raises(TransnormError) as caught:
        call()
    assert caught.value.code == code and isinstance(caught.value, kind)
    if kind is ValueError:
        assert isinstance(caught.value, OptionError)
