"""Where transnorm keeps files between runs (resolved when called, never at import)."""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_home() -> Path:
    """The user's cache folder: `$XDG_CACHE_HOME`, else `~/.cache`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def transnorm_cache() -> Path:
    """transnorm's own cache folder, `$XDG_CACHE_HOME/transnorm` (compiled glossaries, translations,
    converted models each in their own subfolder)."""
    return user_cache_home() / "transnorm"
