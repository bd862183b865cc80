"""The Hugging Face transformers engine: OPUS-MT (Marian), NLLB-200 and M2M100 on PyTorch.

Models are routed by pair (see `routing`) and loaded once from a local directory or the Hugging Face
cache. With `download=True` (the translate stage's default, off in offline mode) a missing hub model
is fetched into the cache on first use, with a line that says where and the hub's progress bar.
transformers' own progress bars and warnings ("Loading weights") are hidden unless transnorm's
logger is at INFO or below (`-v`). Each family
gets its languages the way it was trained: a `>>xx<<` token for multi-target Marian models, `src_lang`
plus a forced first output token for NLLB and M2M100.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from transnorm.errors import E_ENGINE_FAILED, E_MODEL_UNAVAILABLE, EngineError, missing_dependency
from transnorm.translate.routed import RoutedEngine
from transnorm.translate.routing import (
    M2M100,
    MARIAN,
    LocalModel,
    TargetTokens,
    download_hint,
    family_of_dir,
    find_local_model,
    is_hub_id,
    lang_token,
)


class TransformersEngine(RoutedEngine):
    """transformers + PyTorch; options as in `RoutedEngine` plus `device`, `threads`, `inter_threads`.

    Threads: by default each batch runs on one PyTorch thread (`threads = 1`, a process-wide setting)
    and `inter_threads = 2` batches run at once, as the ctranslate2 engine does. PyTorch's own default
    (one intra-op thread per core, `threads = 0`) is as fast on an idle machine but collapses when
    other processes want the cores: measured on 2 cores with two busy processes beside it, 0.5
    sentences/s against 1.0 for 1 x 2 (benchmarks/bench_torch_threads.py).
    `quantize` applies PyTorch dynamic int8 quantisation to the Linear layers (CPU, 1.5-2x faster,
    output may differ slightly from fp32).
    """

    name = "transformers"
    fetches = True

    def __init__(
        self,
        device: str = "cpu",
        threads: int = 1,
        inter_threads: int = 2,
        quantize: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        if threads < 0 or inter_threads < 1:
            raise TypeError("threads must be >= 0 (0: PyTorch's default) and inter_threads >= 1")
        self.device = device
        self.threads = threads
        self.inter_threads = inter_threads
        self.concurrent_batches = inter_threads
        self.quantize = quantize

    def _locate(self, model: str) -> LocalModel | None:
        local = find_local_model(model)
        if local is not None and (local.path / "model.bin").is_file():
            return None  # a CTranslate2 directory: the ctranslate2 engine's, not loadable here
        return local

    def _fetchable(self, model: str) -> bool:
        return is_hub_id(model)

    def _fetch(self, model: str, source: str, target: str) -> LocalModel:
        from transnorm.translate.hub import fetch_model

        pair = f" for {source}->{target}" if source else ""
        fetch_model(model, purpose=f"{pair} (first use)")
        local = self._locate(model)
        if local is None:
            raise EngineError(
                f"{model!r} was downloaded but holds no transformers model (config.json and weights)",
                code=E_MODEL_UNAVAILABLE,
            )
        return local

    def _missing(self, model: str, source: str, target: str) -> str:
        pair = f" for {source}->{target}" if source else ""
        offline = " and offline mode forbids downloading it" if is_hub_id(model) and not self.download else ""
        return (
            f"translation model {model!r}{pair} is not on this machine (local directory or Hugging Face "
            f"cache){offline}; {download_hint(model, source, target)}"
        )

    def _decoding(self) -> str:
        return super()._decoding() + (",int8-dynamic" if self.quantize else "")

    def _load(self, model: str, local: LocalModel) -> _HFModel:
        return _HFModel(model, local, self)


class _HFModel:
    """One loaded transformers model with its tokenizer."""

    def __init__(self, model_id: str, local: LocalModel, engine: TransformersEngine) -> None:
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as exc:
            raise missing_dependency(exc.name or "transformers", "mt", "The transformers engine") from None
        if engine.threads > 0:
            torch.set_num_threads(engine.threads)
        self.model_id = model_id
        self.revision = local.revision
        self.family = family_of_dir(local.path)
        self.engine = engine
        try:
            with _quiet_transformers():
                self.tokenizer = AutoTokenizer.from_pretrained(str(local.path), local_files_only=True)
                model = AutoModelForSeq2SeqLM.from_pretrained(str(local.path), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EngineError(
                f"model {model_id!r} in {local.path} cannot be loaded ({exc}); the download may be "
                f"incomplete: {download_hint(model_id)}",
                code=E_MODEL_UNAVAILABLE,
            ) from None
        model.eval()
        if engine.quantize:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model.to(engine.device)
        self.max_input_tokens = int(getattr(model.config, "max_position_embeddings", 512) or 512)
        self._vocab = self.tokenizer.get_vocab()
        self._target_tokens = TargetTokens(self._vocab)
        self._forced_eos = int(getattr(model.generation_config, "forced_eos_token_id", None) is not None)
        self._torch = torch
        self._tokenizer_lock = threading.Lock()  # batches of several pairs may run at once

    # -- family conventions --------------------------------------------------------------------
    def _inputs(self, texts: Sequence[str], source: str, target: str) -> tuple[list[str], dict[str, Any]]:
        """Texts as the model expects them, and extra `generate` arguments."""
        if self.family == MARIAN:
            extra: dict[str, Any] = {}
            pad = self.tokenizer.pad_token_id
            if pad is not None:  # Marian starts decoding from <pad>; it must never be generated
                extra["bad_words_ids"] = [[pad]]
            if not self._target_tokens.multi_target:
                return list(texts), extra
            token = self._target_tokens.token(target)
            if token is None:
                known = sorted(t for t in self._vocab if t.startswith(">>") and t.endswith("<<"))
                raise EngineError(
                    f"model {self.model_id!r} has no target-language token for {target!r} "
                    f"(it knows {', '.join(known[:12])}{' ...' if len(known) > 12 else ''})",
                    code=E_ENGINE_FAILED,
                )
            return [f"{token} {t}" for t in texts], extra
        src_code, tgt_code = self._codes(source, target)
        # M2M100's tokenizer takes `de` and adds `__de__`; NLLB's takes and adds `deu_Latn`
        self.tokenizer.src_lang = source if self.family == M2M100 else src_code
        bos = self.tokenizer.convert_tokens_to_ids(tgt_code)
        return list(texts), {"forced_bos_token_id": bos}

    def _codes(self, source: str, target: str) -> tuple[str, str]:
        codes = (lang_token(self.family, source), lang_token(self.family, target))
        unk = self.tokenizer.unk_token_id
        for lang, code in zip((source, target), codes, strict=True):
            # language tokens are added tokens: not always in get_vocab(), but always convertible
            if code is None or self.tokenizer.convert_tokens_to_ids(code) in (None, unk):
                raise EngineError(
                    f"model {self.model_id!r} ({self.family}) has no language code for {lang!r}",
                    code=E_ENGINE_FAILED,
                )
        return codes  # type: ignore[return-value]

    # -- the LoadedModel protocol --------------------------------------------------------------
    def encode(self, texts: Sequence[str], source: str, target: str) -> list[list[int]]:
        """Input ids with special tokens (and the language token of the family), unpadded."""
        with self._tokenizer_lock:  # `_inputs` sets the tokenizer's source language for this call
            inputs, _ = self._inputs(texts, source, target)
            if not inputs:
                return []
            out = self.tokenizer(inputs, add_special_tokens=True, truncation=False, verbose=False)
        return [list(ids) for ids in out["input_ids"]]

    def count_tokens(self, texts: Sequence[str], source: str, target: str) -> list[int]:
        return [len(x) for x in self.encode(texts, source, target)]

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return self.translate_encoded(self.encode(texts, source, target), source, target)

    def translate_encoded(self, encoded: Sequence[Sequence[int]], source: str, target: str) -> list[str]:
        if not encoded:
            return []
        with self._tokenizer_lock:
            _, extra = self._inputs([], source, target)
        torch = self._torch
        enc = self.tokenizer.pad({"input_ids": [list(e) for e in encoded]}, return_tensors="pt")
        longest = int(enc["input_ids"].shape[1])
        if longest > self.max_input_tokens:
            raise EngineError(
                f"an input of {longest} tokens exceeds the {self.max_input_tokens} of {self.model_id!r}; "
                "the translate stage splits long segments, so this is a bug: please report it",
                code=E_ENGINE_FAILED,
            )
        forced_bos = int("forced_bos_token_id" in extra)
        # the decoder's positions hold a start token, an optional language token and the final </s>
        limit = self.engine.output_limit(longest, self.max_input_tokens - 2 - forced_bos)
        # `limit` text tokens, as CTranslate2 gives: steps for a forced language token and for a
        # forced </s> at the end come on top.
        steps = limit + forced_bos + self._forced_eos
        enc = {k: v.to(self.engine.device) for k, v in enc.items()}
        try:
            with torch.inference_mode():
                out = self.model.generate(
                    **enc,
                    num_beams=self.engine.beam_size,
                    do_sample=False,
                    max_new_tokens=steps,
                    **extra,
                )
        except (RuntimeError, ValueError, IndexError) as exc:
            raise EngineError(
                f"{self.model_id!r} failed on {source}->{target}: {exc}", code=E_ENGINE_FAILED
            ) from exc
        # drop the decoder's start token and the forced language token (not "special" in every version)
        out = out[:, 1 + forced_bos :]
        return [s.strip() for s in self.tokenizer.batch_decode(out, skip_special_tokens=True)]


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' progress bars and warnings while loading, unless transnorm is verbose.

    They are not transnorm's to show ("Loading weights" bars, notes on generation defaults); with
    `-v` (transnorm's logger at INFO or below) everything is shown as transformers prints it.
    """
    if logging.getLogger("transnorm").isEnabledFor(logging.INFO):
        yield
        return
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def load_tokenizer_and_model(path: str | Path) -> tuple[Any, Any]:
    """Load a transformers model directory as the engine does (used by `transnorm models convert`)."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    return (
        AutoTokenizer.from_pretrained(str(path), local_files_only=True),
        AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True),
    )
