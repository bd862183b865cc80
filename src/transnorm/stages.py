"""The stage registry, the traits a stage declares, and the resources stages share.

A stage is a callable `Document -> Document` built once from `(config, resources)`. It lives beside
its logic (`DetectStage` in `detect.py`, `TranslateStage` in `translate/stage.py`, ...); this table
names them and imports them lazily, so that validating a config (which checks `stages` against the
table) loads no stage module.

A stage says what the runner may do with it through optional members, so that the runner never
special-cases a stage by its name:

- `pipe(docs) -> docs`: it batches across documents; the runner hands it the whole stream;
- `process_safe = True`: it may run in worker processes (`--workers`), built there from the config;
- `statistics() -> dict[str, int]`: counters a run summary reports under the stage's name;
- `model_engines() -> list[str]`: the model engines it runs, which keep the cores busy themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transnorm.config import PipelineConfig
    from transnorm.detect import LanguageDetector
    from transnorm.document import Document

Stage = Callable[["Document"], "Document"]

STAGES: dict[str, str] = {
    "detect": "transnorm.detect:DetectStage",
    "segment": "transnorm.segment:SegmentStage",
    "translate": "transnorm.translate.stage:TranslateStage",
    "normalise": "transnorm.normalise.stage:NormaliseStage",
}
"""Stage name -> "module:class", in the one order stages run in; a config names a subset, in this order."""

STAGE_NAMES = tuple(STAGES)


@dataclass
class Resources:
    """Objects that several stages share and that are costly to build (built on first use)."""

    config: PipelineConfig

    @cached_property
    def detector(self) -> LanguageDetector:
        """The configured language detector (detect and segment stages, quality checks, align)."""
        from transnorm.detect import detector_from_config

        return detector_from_config(self.config)


def build_stage(name: str, config: PipelineConfig, resources: Resources) -> Stage:
    """Build the stage registered under `name`."""
    module_name, _, attr = STAGES[name].partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    return factory(config, resources)


def is_batching(stage: Stage) -> bool:
    """Whether the stage takes the whole stream (`pipe`) rather than one document at a time."""
    return callable(getattr(stage, "pipe", None))


def is_process_safe(stage: Stage) -> bool:
    """Whether the stage may run in worker processes (stages that do not say so may not)."""
    return bool(getattr(stage, "process_safe", False))


def statistics_of(stage: Stage) -> dict[str, int] | None:
    """The stage's counters, or None for a stage that keeps none."""
    statistics = getattr(stage, "statistics", None)
    return dict(statistics()) if callable(statistics) else None


def model_engines_of(stage: Stage) -> list[str]:
    """The model engines the stage runs (empty for a stage that runs none)."""
    engines = getattr(stage, "model_engines", None)
    return list(engines()) if callable(engines) else []
