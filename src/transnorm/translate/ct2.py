"""The CTranslate2 engine: the same models as the transformers engine, converted, several times faster on CPU.

Routing is shared with the transformers engine: a pair's model id (or local transformers directory)
is looked up in transnorm's store of converted models (`transnorm models convert` fills it), and a
route may also name a CTranslate2 directory directly. Tokenisation uses `sentencepiece` directly:
this module never imports transformers or torch, which would slow CTranslate2 down in the same process.

On CPU the default is int8 with one thread per batch and two batches in flight (`intra_threads=1,
inter_threads=2`): on two cores that ran 4.3x faster than transformers, where two threads on one
batch gained only 1.2x. The translate stage sends `concurrent_batches` batches at once. Before the
first model loads, glibc's malloc is set to keep freed memory for the next batch (`tune_malloc`, see
`transnorm._malloc`): 7-11% faster on the benchmark model, and batch order no longer matters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from transnorm import _malloc
from transnorm._paths import transnorm_cache
from transnorm.errors import E_ENGINE_FAILED, E_MODEL_UNAVAILABLE, EngineError, missing_dependency
from transnorm.translate.routed import RoutedEngine
from transnorm.translate.routing import (
    M2M100,
    MARIAN,
    NLLB,
    NLLB_CODES,
    LocalModel,
    TargetTokens,
    ct2_store_name,
    directory_revision,
    download_command,
    family_of_dir,
    is_hub_id,
    lang_token,
)

METADATA_FILE = "transnorm.json"
_SPECIAL = frozenset({"<s>", "</s>", "<pad>", "<unk>"})


def default_models_dir() -> Path:
    """Where `transnorm models convert` puts converted models: `$XDG_CACHE_HOME/transnorm/ct2`."""
    return transnorm_cache() / "ct2"


def is_ct2_dir(path: Path) -> bool:
    return (path / "model.bin").is_file()


class CTranslate2Engine(RoutedEngine):
    """CTranslate2; options as in `RoutedEngine` plus compute type, device, threads, model store, and
    whether to tune glibc's malloc (`tune_malloc`, on by default)."""

    name = "ctranslate2"

    def __init__(
        self,
        compute_type: str = "int8",
        device: str = "cpu",
        intra_threads: int = 1,
        inter_threads: int = 2,
        models_dir: str | None = None,
        tune_malloc: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.tune_malloc = tune_malloc
        self.compute_type = compute_type
        self.device = device
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads
        self.models_dir = Path(models_dir).expanduser() if models_dir else default_models_dir()
        self.concurrent_batches = max(1, inter_threads)

    def _locate(self, model: str) -> LocalModel | None:
        for path in (Path(model).expanduser(), self.models_dir / ct2_store_name(model)):
            if is_ct2_dir(path):
                return LocalModel(path, ct2_revision(path))
        return None

    def _missing(self, model: str, source: str, target: str) -> str:
        pair = f" for {source}->{target}" if source else ""
        store = self.models_dir / ct2_store_name(model)
        if not is_hub_id(model):
            return (
                f"no CTranslate2 model for {model!r}{pair} (looked in {model} and {store}); convert a "
                f"transformers directory with `transnorm models convert {model}`, or pass --model PATH "
                "to a CTranslate2 directory"
            )
        return (
            f"no CTranslate2 conversion of {model!r}{pair} on this machine (looked in {store}); with "
            f"internet access run `{download_command(model, source, target)} --ct2` (downloads and "
            "converts; it needs pip install 'transnorm[ct2]'), or pass --model PATH to a CTranslate2 "
            "directory"
        )

    def _decoding(self) -> str:
        return super()._decoding() + f",{self.compute_type}"

    def _load(self, model: str, local: LocalModel) -> _CT2Model:
        return _CT2Model(model, local, self)


def ct2_revision(path: Path) -> str:
    """The source model's revision and quantisation when transnorm converted it, else a fingerprint."""
    meta = read_metadata(path)
    if meta.get("source_revision"):
        return f"{meta['source_revision']}:{meta.get('quantization') or 'none'}"
    return directory_revision(path)


def read_metadata(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / METADATA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def read_vocabulary(path: Path) -> list[str]:
    """The (source or shared) vocabulary of a CTranslate2 model directory."""
    for name in ("shared_vocabulary", "source_vocabulary"):
        if (path / f"{name}.json").is_file():
            return list(json.loads((path / f"{name}.json").read_text(encoding="utf-8")))
        if (path / f"{name}.txt").is_file():
            return (path / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return []


class _CT2Model:
    """One loaded CTranslate2 translator with its sentencepiece models."""

    def __init__(self, model_id: str, local: LocalModel, engine: CTranslate2Engine) -> None:
        try:
            import ctranslate2
            import sentencepiece as spm
        except ImportError as exc:
            raise missing_dependency(exc.name or "ctranslate2", "ct2", "The CTranslate2 engine") from None
        path = local.path
        self.model_id = model_id
        self.revision = local.revision
        self.engine = engine
        self.vocab = frozenset(read_vocabulary(path))
        self.target_tokens = TargetTokens(self.vocab)
        self.family = family_of_dir(path)
        if self.family == MARIAN and not (path / "source.spm").exists():
            self.family = NLLB if "eng_Latn" in self.vocab else M2M100
        files = ("source.spm", "target.spm") if self.family == MARIAN else ("sentencepiece.bpe.model",) * 2
        missing = [f for f in files if not (path / f).is_file()]
        if missing:
            raise EngineError(
                f"CTranslate2 directory {path} has no {missing[0]} (the sentencepiece model); convert with "
                f"`transnorm models convert`, which copies it, or copy it from the original model",
                code=E_MODEL_UNAVAILABLE,
            )
        # tokens never written out: NLLB's language codes are special tokens, as transformers decodes them
        self._hidden = _SPECIAL | (frozenset(NLLB_CODES.values()) if self.family == NLLB else frozenset())
        self.sp_source = spm.SentencePieceProcessor(model_file=str(path / files[0]))
        self.sp_target = spm.SentencePieceProcessor(model_file=str(path / files[1]))
        meta = read_metadata(path)
        default_positions = 512 if self.family == MARIAN else 1024
        self.max_input_tokens = int(meta.get("max_positions") or default_positions)
        if engine.tune_malloc:  # before the engine's threads make their own arenas
            _malloc.tune_malloc()
        try:
            self.translator = ctranslate2.Translator(
                str(path),
                device=engine.device,
                compute_type=engine.compute_type,
                intra_threads=engine.intra_threads,
                inter_threads=engine.inter_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 cannot load {path}: {exc}", code=E_MODEL_UNAVAILABLE) from None

    def _tokens(self, texts: Sequence[str], source: str, target: str) -> tuple[list[list[str]], list[str]]:
        """Source tokens of each text, and the target prefix (language token) if the family has one."""
        pieces = [self.sp_source.encode(t, out_type=str) for t in texts]
        if self.family == MARIAN:
            if not self.target_tokens.multi_target:
                return [[*p, "</s>"] for p in pieces], []
            token = self.target_tokens.token(target)
            if token is None:
                raise EngineError(
                    f"model {self.model_id!r} has no target-language token for {target!r}",
                    code=E_ENGINE_FAILED,
                )
            return [[token, *p, "</s>"] for p in pieces], []
        src, tgt = lang_token(self.family, source), lang_token(self.family, target)
        for lang, code in ((source, src), (target, tgt)):
            if code is None or code not in self.vocab:
                raise EngineError(
                    f"model {self.model_id!r} ({self.family}) has no language code for {lang!r}",
                    code=E_ENGINE_FAILED,
                )
        assert src is not None and tgt is not None
        return [[src, *p, "</s>"] for p in pieces], [tgt]

    def encode(self, texts: Sequence[str], source: str, target: str) -> list[list[str]]:
        return self._tokens(texts, source, target)[0]

    def count_tokens(self, texts: Sequence[str], source: str, target: str) -> list[int]:
        return [len(t) for t in self.encode(texts, source, target)]

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return self.translate_encoded(self.encode(texts, source, target), source, target)

    def translate_encoded(self, encoded: Sequence[Sequence[str]], source: str, target: str) -> list[str]:
        if not encoded:
            return []
        tokens = [list(t) for t in encoded]
        prefix = self._tokens([], source, target)[1]
        longest = max(len(t) for t in tokens)
        # same rule as the transformers engine: room for the start token, language token and </s>
        limit = self.engine.output_limit(longest, self.max_input_tokens - 2 - len(prefix))
        try:
            results = self.translator.translate_batch(
                tokens,
                target_prefix=[prefix] * len(tokens) if prefix else None,
                beam_size=self.engine.beam_size,
                max_decoding_length=limit + len(prefix),
                max_input_length=0,  # never truncate: the translate stage splits long inputs
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(
                f"{self.model_id!r} failed on {source}->{target}: {exc}", code=E_ENGINE_FAILED
            ) from exc
        out = []
        for res in results:
            hyp = res.hypotheses[0][len(prefix) :]
            out.append(self.sp_target.decode_pieces([t for t in hyp if t not in self._hidden]).strip())
        return out
