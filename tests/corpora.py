"""The corpus slices in tests/data/ (see tests/data/README.md): paths and small readers.

Tests read corpora only through this module, and only from the repository: a user's clone has no
the full corpora outside the repository (conftest.py fails any test that tries to read it).
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
NTREX = DATA / "ntrex128"
LID_SAMPLE = NTREX / "ntrex128_lid_sample.tsv"
OFAC_CLUSTERS = DATA / "names" / "ofac_alias_clusters.tsv"
WIKIDATA_NAMES = DATA / "translit" / "wikidata_en_ru_names.tsv"
SEED_ARTICLE = ROOT / "examples" / "nato-russia-council.en.txt"

# transnorm language code -> NTREX file name
NTREX_FILES = {
    "en": "newstest2019-src.eng.txt",
    "de": "newstest2019-ref.deu.txt",
    "fr": "newstest2019-ref.fra.txt",
    "pl": "newstest2019-ref.pol.txt",
    "ru": "newstest2019-ref.rus.txt",
    "uk": "newstest2019-ref.ukr.txt",
    "pt": "newstest2019-ref.por-BR.txt",
    "es": "newstest2019-ref.spa.txt",
    "it": "newstest2019-ref.ita.txt",
}


def ntrex_lines(lang: str) -> list[str]:
    """Every line of the NTREX slice in `lang` (line i is the same sentence in every language)."""
    return (NTREX / NTREX_FILES[lang]).read_text(encoding="utf-8").splitlines()


def ntrex_document_ids() -> list[str]:
    """The NTREX document of each line of the slice."""
    return (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()


def ntrex_documents(lang: str) -> dict[str, list[str]]:
    """The slice's documents in `lang`, in corpus order: document id -> its lines."""
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ntrex_document_ids(), ntrex_lines(lang), strict=True):
        docs.setdefault(doc_id, []).append(line)
    return docs


def lid_rows() -> list[dict[str, str]]:
    """The language-id sample: rows of `lang_code, line_no, doc_id, text`."""
    with LID_SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def wikidata_rows() -> list[dict[str, str]]:
    """Wikidata English/Russian name pairs: rows of `en, ru, count`, lower case."""
    with WIKIDATA_NAMES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
