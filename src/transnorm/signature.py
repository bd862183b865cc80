"""The run signature: which transnorm, configuration, engines, models and glossary made a record.

Like sacrebleu's metric signatures (`nrefs:1|case:mixed|tok:13a|version:2.x`), every record carries
one, so that a run can be reproduced and a resumed run can tell that its configuration changed. The
runner starts it (`Signature.of_run`), and the stages extend it with their own fields: the normalise
stage its glossary (`NormaliseStage.signature`, once), the translate stage the engines and models
that translated each document (`TranslateStage.sign`), the aligner how it aligned.

Fields keep the order they were added in: the JSONL record's `signature` object shows them so.
`format()` is the one-line form the other formats print, the usual fields first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

FIELDS: dict[str, str] = {
    "transnorm": "the transnorm version",
    "engine": "the engines that translated the document, joined by '+'",
    "model": "the models that translated the document, joined by '+'",
    "glossary": "the glossary files' names, versions and hash",
    "config": "the fingerprint of the configuration",
    "target_lang": "the language translated into",
    "format": "the output format (in a resumable output's state only)",
    "aligner": "how `transnorm align` aligned the sentences",
    "align_engine": "the engine that assisted the alignment",
    "align_model": "the model that assisted the alignment",
}
"""Every field transnorm writes, and what it means."""

ORDER = ("transnorm", "engine", "model", "glossary", "config", "target_lang")
"""The fields `format()` shows first, in this order; the others follow alphabetically."""


class Signature(MutableMapping[str, Any]):
    """The fields of a run signature, in the order they were added; empty values mean "not used"."""

    def __init__(self, fields: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        self._fields: dict[str, Any] = {**(fields or {}), **more}

    @classmethod
    def of_run(cls, version: str, config_fingerprint: str, target_lang: str) -> Signature:
        """What every run starts with: the transnorm version, the configuration and the target language."""
        return cls(transnorm=version, config=config_fingerprint, target_lang=target_lang)

    def sign_translation(self, engines: set[str], models: set[str]) -> None:
        """The engines and models that translated a document (None when none did)."""
        self["engine"] = "+".join(sorted(engines)) if engines else None
        self["model"] = "+".join(sorted(models)) if models else None

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._fields[key] = value

    def __delitem__(self, key: str) -> None:
        del self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"Signature({self._fields!r})"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict, in order (the JSONL record's `signature` object)."""
        return dict(self._fields)

    def format(self) -> str:
        """One line such as `transnorm:0.1.0|engine:marian|model:opus-mt-de-en|glossary:2024.1`."""
        shown = {k: v for k, v in self._fields.items() if v not in (None, "")}
        keys = [k for k in ORDER if k in shown] + sorted(k for k in shown if k not in ORDER)
        return "|".join(f"{k}:{shown[k]}" for k in keys)
