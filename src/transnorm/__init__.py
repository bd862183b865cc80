"""transnorm: multilingual news articles in, clean aligned bilingual documents out.

detect -> segment -> translate -> normalise -> write. The public API is re-exported here; heavy
dependencies (transformers, torch, ctranslate2) are imported only by the engines that need them.
"""

from __future__ import annotations

from transnorm import translate  # the package is callable: transnorm.translate(texts, to="en")
from transnorm._version import __version__
from transnorm.api import check_names
from transnorm.config import PipelineConfig, config_from_dict, load_config
from transnorm.document import DocError, Document, Edit, Segment
from transnorm.pipeline import Pipeline

__all__ = [
    "DocError",
    "Document",
    "Edit",
    "Pipeline",
    "PipelineConfig",
    "Segment",
    "__version__",
    "check_names",
    "config_from_dict",
    "load_config",
    "translate",
]
