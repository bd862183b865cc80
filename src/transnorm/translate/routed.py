"""The engine base both model engines share: routing by pair, fetching, loading each model once.

`RoutedEngine` asks the routing table (`routing.RoutingTable`) for a pair's route, prefers a route
whose models are all on this machine, may fetch a missing model when `download` is on, loads each
model once, and translates through a pivot in two legs. The transformers and CTranslate2 engines
only say where a model lives, how to load and fetch it, and what to tell a user who lacks it.
Nothing here imports torch, transformers or ctranslate2.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

from transnorm.errors import E_MODEL_UNAVAILABLE, EngineError, OptionError
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.hub import ModelNotOnHub
from transnorm.translate.routing import (
    DEFAULT_MULTILINGUAL,
    DEFAULT_PATTERN,
    DEFAULT_PIVOT,
    LocalModel,
    Route,
    RoutingTable,
)


class LoadedModel(Protocol):
    """A model an engine has loaded: counts tokens and translates one pair."""

    revision: str
    max_input_tokens: int

    def encode(self, texts: Sequence[str], source: str, target: str) -> list[Sequence[Any]]: ...

    def count_tokens(self, texts: Sequence[str], source: str, target: str) -> list[int]: ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...

    def translate_encoded(self, encoded: Sequence[Sequence[Any]], source: str, target: str) -> list[str]: ...


def max_output_tokens(input_tokens: int, max_positions: int, ratio: float) -> int:
    """Decoding limit for a batch whose longest input has `input_tokens` tokens.

    Relative to the input, so that a looping model stops soon instead of filling 512 positions.
    Both engines use this rule, so they produce the same output for the same model.
    """
    return max(1, min(max_positions, int(input_tokens * ratio) + 10))


class RoutedEngine(TranslationEngine):
    """Routing, pivoting, model loading once per model, and the stage's optional hooks.

    Subclasses say where a model is on disk (`_locate`), how to load it (`_load`), whether and how
    a missing one can be fetched (`_fetchable`, `_fetch`) and what to tell a user who lacks it
    (`_missing`). The translate stage passes the shared routing options (`models`, `model_pattern`,
    `multilingual_model`, `pivot_lang`, `model`) and `download` to engines with `routed`.

    `download=True` lets a route use a model that is not on this machine yet: it is fetched the first
    time the route is used. A route whose models are all present always wins over one to download.
    """

    routed: ClassVar[bool] = True
    fetches: ClassVar[bool] = False
    """Whether the engine can download a missing model (`_fetchable`/`_fetch`) when `download` is on."""
    concurrent_batches: int = 1

    def __init__(
        self,
        *,
        model: str | None = None,
        models: Mapping[str, str] | None = None,
        model_pattern: str | None = DEFAULT_PATTERN,
        multilingual_model: str | None = DEFAULT_MULTILINGUAL,
        pivot_lang: str | None = DEFAULT_PIVOT,
        beam_size: int = 4,
        max_length_ratio: float = 2.0,
        max_output_tokens: int = 0,
        download: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.download = download
        if beam_size < 1:
            raise OptionError("beam_size must be >= 1")
        if max_output_tokens < 0:
            raise OptionError("max_output_tokens must be >= 0 (0: no cap beyond max_length_ratio)")
        self.table = RoutingTable(
            models=dict(models or {}),
            pattern=model_pattern or None,
            multilingual=multilingual_model or None,
            pivot=pivot_lang or None,
            override=model or None,
        )
        self.beam_size = beam_size
        self.max_length_ratio = max_length_ratio
        self.max_output_tokens = max_output_tokens
        self._routes: dict[tuple[str, str], Route | None] = {}
        self._loaded: dict[str, LoadedModel] = {}
        self._fetch_failed: dict[str, EngineError] = {}
        self._ready: set[tuple[str, str]] = set()  # pairs whose route's models are all here
        self._lock = threading.RLock()

    # hooks for subclasses
    def _locate(self, model: str) -> LocalModel | None:
        raise NotImplementedError

    def _load(self, model: str, local: LocalModel) -> LoadedModel:
        raise NotImplementedError

    def _missing(self, model: str, source: str, target: str) -> str:
        raise NotImplementedError

    def _fetchable(self, model: str) -> bool:
        """Whether `_fetch` can get this model onto the machine (never, unless a subclass says so)."""
        return False

    def _fetch(self, model: str, source: str, target: str) -> LocalModel:
        raise NotImplementedError

    def _decoding(self) -> str:
        """Decoding settings that change the output; part of the revision, hence of cache keys."""
        cap = f",cap={self.max_output_tokens}" if self.max_output_tokens else ""
        return f"beam={self.beam_size},ratio={self.max_length_ratio:g}{cap}"

    def output_limit(self, input_tokens: int, max_positions: int) -> int:
        """Decoding limit for a batch whose longest input has `input_tokens` tokens (see
        `max_output_tokens`), capped by the `max_output_tokens` option when set."""
        limit = max_output_tokens(input_tokens, max_positions, self.max_length_ratio)
        return min(limit, self.max_output_tokens) if self.max_output_tokens else limit

    def local_path(self, model: str) -> Path | None:
        """Where this engine finds `model` on this machine, or None (nothing is fetched)."""
        local = self._locate(model)
        return local.path if local else None

    # routing
    def route(self, source: str, target: str) -> Route | None:
        """The route for a pair: configured, or the first candidate whose models are all local."""
        key = (source, target)
        if key not in self._routes:
            route = self.table.resolve(
                source, target, lambda r: all(self._locate(m) is not None for m in r.models)
            )
            if route is None and self.download:
                route = self.table.resolve(
                    source,
                    target,
                    lambda r: all(self._locate(m) is not None or self._can_fetch(m) for m in r.models),
                )
            self._routes[key] = route
        return self._routes[key]

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang != target_lang and self.route(source_lang, target_lang) is not None

    def why_unsupported(self, source_lang: str, target_lang: str) -> str:
        """What is missing for a pair, naming the model the table asks for."""
        candidates = self.table.candidates(source_lang, target_lang)
        if not candidates:
            return f"{self.name}: no model configured for {source_lang}->{target_lang}"
        failed = [self._fetch_failed[m] for r in candidates for m in r.models if m in self._fetch_failed]
        if failed:  # the download this run tried says more than "not on this machine"
            return str(failed[0])
        return self._missing(candidates[0].models[0], source_lang, target_lang)

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        route = self._required_route(source_lang, target_lang)
        # the revision keys the translation cache, so a model to download is fetched here, first
        revisions = [self._obtain(leg.model, leg.source, leg.target).revision for leg in route.legs]
        return ModelInfo(
            engine=self.name,
            model="+".join(route.models),
            revision="+".join(revisions) + ";" + self._decoding(),
        )

    # translation
    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        route = self._required_route(source_lang, target_lang)
        out = list(texts)
        for leg in route.legs:
            model = self._model(leg.model, leg.source, leg.target)
            out = self._translate_fitting(model, out, leg.source, leg.target)
        return out

    def encode(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[Sequence[Any]]:
        """Inputs as the first model of the route takes them (token sequences with special tokens).

        The translate stage sizes batches by these sequences and hands them back to
        `translate_encoded`, so each segment is tokenised once.
        """
        leg = self._required_route(source_lang, target_lang).legs[0]
        return self._model(leg.model, leg.source, leg.target).encode(texts, leg.source, leg.target)

    def translate_encoded(
        self, encoded: Sequence[Sequence[Any]], texts: Sequence[str], source_lang: str, target_lang: str
    ) -> list[str]:
        """Translate inputs that `encode` produced (and that fit the model); `texts` are their sources."""
        route = self._required_route(source_lang, target_lang)
        first = route.legs[0]
        out = self._model(first.model, first.source, first.target).translate_encoded(
            encoded, first.source, first.target
        )
        for leg in route.legs[1:]:
            model = self._model(leg.model, leg.source, leg.target)
            out = self._translate_fitting(model, out, leg.source, leg.target)
        return out

    def count_tokens(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[int]:
        """Input length in tokens (with special tokens) under the first model of the route."""
        return [len(e) for e in self.encode(texts, source_lang, target_lang)]

    def max_input_tokens(self, source_lang: str, target_lang: str) -> int:
        """Longest input (tokens, with special tokens) the first model of the route takes."""
        leg = self._required_route(source_lang, target_lang).legs[0]
        return self._model(leg.model).max_input_tokens

    def max_input_chars(self, source_lang: str, target_lang: str) -> int | None:
        # A cheap first cut by characters; the stage then checks token counts exactly.
        return 2000

    def close(self) -> None:
        with self._lock:
            self._loaded.clear()

    def _required_route(self, source: str, target: str) -> Route:
        """The pair's route with its models on this machine, fetched now if need be.

        A model the hub does not have (no OPUS-MT model for the pair) sends the pair on to its next
        candidate (the multilingual model, a pivot); any other failure is the pair's error.
        """
        key = (source, target)
        while True:
            route = self.route(source, target)
            if route is None:
                raise EngineError(self.why_unsupported(source, target), code=E_MODEL_UNAVAILABLE)
            if key in self._ready:
                return route
            try:
                for leg in route.legs:
                    self._obtain(leg.model, leg.source, leg.target)
            except ModelNotOnHub as exc:
                with self._lock:
                    self._routes.pop(key, None)
                following = self.route(source, target)
                if following is None:
                    raise
                print(
                    f"transnorm: {exc.model} is not on the hub; {source}->{target} goes to "
                    f"{'+'.join(following.models)} ({following.how})",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            self._ready.add(key)
            return route

    def _can_fetch(self, model: str) -> bool:
        return self._fetchable(model) and model not in self._fetch_failed

    def _obtain(self, model: str, source: str = "", target: str = "") -> LocalModel:
        """The model on this machine: found, or fetched now when downloads are on."""
        with self._lock:
            local = self._locate(model)
            if local is None and model in self._fetch_failed:
                raise self._fetch_failed[model]  # tried once this run: fail fast, same reason
            if local is None and self.download and self._fetchable(model):
                try:
                    local = self._fetch(model, source, target)
                except EngineError as exc:
                    self._fetch_failed[model] = exc
                    raise
            if local is None:
                raise EngineError(self._missing(model, source, target), code=E_MODEL_UNAVAILABLE)
            return local

    def _model(self, model: str, source: str = "", target: str = "") -> LoadedModel:
        with self._lock:
            if model not in self._loaded:
                self._loaded[model] = self._load(model, self._obtain(model, source, target))
            return self._loaded[model]

    def _translate_fitting(
        self, model: LoadedModel, texts: Sequence[str], source: str, target: str
    ) -> list[str]:
        """Translate, splitting any input longer than the model takes (never truncating it).

        The translate stage already splits long segments; this covers direct callers and the
        second leg of a pivot, whose input is the first model's output.
        """
        from transnorm.translate.chunking import fit_to_tokens, join_translated

        limit = model.max_input_tokens
        encoded = model.encode(texts, source, target)
        sizes = [len(e) for e in encoded]
        if all(n <= limit for n in sizes):
            return model.translate_encoded(encoded, source, target)

        def count(xs: list[str]) -> list[int]:
            return model.count_tokens(xs, source, target)

        pieces = [
            fit_to_tokens(t, count, limit) if n > limit else [t] for t, n in zip(texts, sizes, strict=True)
        ]
        translated = iter(model.translate([p for ps in pieces for p in ps], source, target))
        return [join_translated([next(translated) for _ in ps]) for ps in pieces]
