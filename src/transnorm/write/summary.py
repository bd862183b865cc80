"""`RunSummary`: what a run wrote. Every command that writes records (`run`, `normalise`, `align`,
`convert`) returns one; the exit code comes from it, and `run --stats` writes it as JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from transnorm.document import Document


@dataclass
class RunSummary:
    """Counts over the documents written, plus the timings and translate statistics of a pipeline run."""

    documents: int = 0
    documents_with_errors: int = 0
    skipped_already_done: int = 0
    segments: int = 0
    characters: int = 0
    errors_by_code: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    engines: Counter[str] = field(default_factory=Counter)
    edits: int = 0
    edits_by_rule: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    first_record_seconds: float | None = None
    """From the start of the run until the first record was written (streaming latency)."""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    translate: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    """The files written (empty: standard output)."""

    def add(self, doc: Document) -> None:
        """Count one written document."""
        self.documents += 1
        self.segments += len(doc.segments)
        self.characters += len(doc.text)
        self.languages[doc.lang] += 1
        self.edits += len(doc.edits)
        self.edits_by_rule.update(e.rule.split(":", 1)[0] or "unknown" for e in doc.edits)
        for seg in doc.segments:
            if seg.engine:
                self.engines[seg.engine] += 1
        if doc.errors:
            self.documents_with_errors += 1
            self.errors_by_code.update(e.code for e in doc.errors)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written by `--stats`."""
        return {
            "documents": self.documents,
            "documents_with_errors": self.documents_with_errors,
            "skipped_already_done": self.skipped_already_done,
            "segments": self.segments,
            "characters": self.characters,
            "errors_by_code": dict(self.errors_by_code),
            "documents_by_language": dict(self.languages),
            "segments_by_engine": dict(self.engines),
            "edits": self.edits,
            "edits_by_rule": dict(self.edits_by_rule),
            "translate": self.translate,
            "outputs": list(self.outputs),
            "seconds": round(self.seconds, 3),
            "first_record_seconds": (
                round(self.first_record_seconds, 3) if self.first_record_seconds is not None else None
            ),
            "seconds_by_stage": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "documents_per_second": round(self.documents / self.seconds, 2) if self.seconds else None,
        }
