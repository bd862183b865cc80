"""3. translate: engines, routing, cache, quality checks and the batching stage.

The package itself is callable: `transnorm.translate(texts, to="en")` is `transnorm.api.translate`,
the one-call API (a module attribute cannot be both this package and a function, so the package
forwards calls instead). Importing it stays light: engines import their dependencies when built.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from transnorm.api import translate

        return translate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
