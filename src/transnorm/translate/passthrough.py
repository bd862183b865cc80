"""The engine for documents already in the target language: copies the text, loads no model."""

from __future__ import annotations

from collections.abc import Sequence

from transnorm.translate.base import ModelInfo, TranslationEngine


class PassthroughEngine(TranslationEngine):
    """Source language == target language: the translation is the source text."""

    name = "passthrough"
    inline = True
    runs_model = False

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang == target_lang

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="identity")

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        return list(texts)
