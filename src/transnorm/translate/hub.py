"""Fetching models from the Hugging Face hub into its cache, in plain view.

A download prints one line that says which model, why and where it is stored, then the hub client's
own progress bar (tqdm, on stderr; `HF_HUB_DISABLE_PROGRESS_BARS=1` hides it). The hub client does
the transfer, the resume of an interrupted download and the caching: a second run finds the model in
the cache and asks nothing of the network. Offline mode (`--offline`, `translate.offline`,
`HF_HUB_OFFLINE=1`) forbids all of this; callers check `offline_mode` first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from transnorm.errors import E_MODEL_UNAVAILABLE, EngineError, missing_dependency
from transnorm.translate.routing import hub_repo_dir

# The files a translation model needs; repositories also hold TF/Flax/ONNX weights we never load.
ALLOW_PATTERNS = ["*.json", "*.spm", "*.model", "*.safetensors", "*.txt", "pytorch_model.bin"]
_TRUE = {"1", "true", "yes", "on"}


class ModelNotOnHub(EngineError):
    """The hub has no such repository or revision: a route may go on to its next candidate."""

    code = E_MODEL_UNAVAILABLE

    def __init__(self, message: str, *, model: str) -> None:
        super().__init__(message)
        self.model = model


def offline_mode(configured: bool = False) -> bool:
    """Whether downloads are forbidden: by the config, or by the hub's own variables."""
    env = (os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or "").lower()
    return configured or env in _TRUE


def fetch_model(
    model: str, revision: str | None = None, *, purpose: str = "", stream: IO[str] | None = None
) -> Path:
    """Download a hub repository into the Hugging Face cache; returns its snapshot directory.

    `purpose` ("for de->en") goes into the line printed on `stream` (stderr) before the transfer.
    Raises `EngineError` (E303) naming the model when the hub cannot deliver it.
    """
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError
    except ImportError:
        raise missing_dependency("huggingface_hub", "mt", "Downloading models") from None
    out = stream or sys.stderr
    print(
        f"transnorm: downloading {model}{purpose}; stored in {hub_repo_dir(model)}",
        file=out,
        flush=True,
    )
    try:
        path = snapshot_download(model, revision=revision, allow_patterns=ALLOW_PATTERNS)
    except Exception as exc:  # network, auth, missing-repo and disk errors come in many types
        detail = " ".join(str(exc).split())
        message = (
            f"could not download {model!r}: {type(exc).__name__}: {detail} Check the model id and the "
            "network, or copy the model directory to this machine and pass --model PATH"
        )
        if _caused_by(exc, (RepositoryNotFoundError, RevisionNotFoundError)):
            raise ModelNotOnHub(message, model=model) from None
        raise EngineError(message, code=E_MODEL_UNAVAILABLE) from None
    return Path(path)


def _caused_by(exc: BaseException | None, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `exc` or an exception it was raised from is one of `kinds`.

    `snapshot_download` reports a missing repository as `LocalEntryNotFoundError` raised from the
    hub's `RepositoryNotFoundError` (it first looks for a cached copy).
    """
    while exc is not None:
        if isinstance(exc, kinds):
            return True
        exc = exc.__cause__
    return False
