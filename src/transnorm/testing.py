"""Small fakes for users' own tests, so an ingest job can be tested without a model.

`UppercaseEngine` "translates" by upper-casing: deterministic, instant, and visibly different from its
input. Use it with `TranslateStage(config, engines={"upper": UppercaseEngine()})` and
`translate.engine = "upper"`, or register it through the `transnorm.engines` entry point.
"""

from __future__ import annotations

from collections.abc import Sequence

from transnorm.translate.base import ModelInfo, TranslationEngine


class UppercaseEngine(TranslationEngine):
    """A stand-in engine for tests: every pair between different languages, output = input.upper()."""

    name = "upper"
    inline = True
    runs_model = False

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, int]] = []

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang != target_lang

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="upper-case")

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        self.calls.append((source_lang, target_lang, len(texts)))
        return [t.upper() for t in texts]
