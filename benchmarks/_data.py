"""Where the benchmarks find their corpora, and what they say when one is missing.

Every benchmark asks this module for its data and nothing else. A corpus is looked for in the
repository first (`benchmarks/data/`, git-ignored: copy or link the corpora there), then in the
project's `../shared/data/` next to the checkout. `TRANSNORM_BENCH_DATA=DIR` replaces both with DIR.
When a file is missing the benchmark stops with exit code 2 and a message that names the file,
where it was looked for, where to put it and where it comes from; never with a traceback.

The corpora are too large for the repository; the test suite runs on small slices of them
(tests/data/, built by benchmarks/make_test_slices.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO_DATA = ROOT / "benchmarks" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
ENV = "TRANSNORM_BENCH_DATA"

# First path component of a corpus file -> what it is and where to get it.
SOURCES = {
    "ntrex128": "NTREX-128 (CC BY-SA 4.0): the NTREX-128/ files and DOCUMENT_IDS.tsv of "
    "https://github.com/MicrosoftTranslator/NTREX",
    "langid": "ntrex128_lid_sample.tsv: every 20th line of NTREX-128 in its 129 language variants, "
    "with gold codes (lang_code, line_no, doc_id, text)",
    "names": "ofac_alias_clusters.tsv: clusters of OFAC sanctions-list spellings of one entity "
    "(public domain data, packaged by moov-io/watchman)",
    "translit": "wikidata_en_ru_names.tsv: English/Russian name pairs from Wikidata labels (CC0)",
}


def data_roots() -> list[Path]:
    """The folders searched, in order: `$TRANSNORM_BENCH_DATA` alone, else the repository's, then ../shared's."""
    override = os.environ.get(ENV)
    if override:
        return [Path(override)]
    return [REPO_DATA, SHARED_DATA]


def missing_message(relpath: str, roots: list[Path]) -> str:
    """What a user reads when `relpath` is in none of `roots`: the file, the places, the fix, the source."""
    corpus = relpath.split("/", 1)[0]
    looked = "\n".join(f"  {root / relpath}" for root in roots)
    source = SOURCES.get(corpus, "see benchmarks/_data.py")
    where = f"put it at {roots[0] / relpath}"
    if not os.environ.get(ENV):
        where += f" (or set {ENV} to a folder holding {corpus}/)"
    return (
        f"{Path(sys.argv[0]).name}: missing data file {relpath}\n"
        f"looked for:\n{looked}\n{where}\n"
        f"source: {source}"
    )


def data_file(relpath: str) -> Path:
    """The first copy of `relpath` (e.g. "ntrex128/DOCUMENT_IDS.tsv") in the data roots.

    When there is none, print which file is missing and where to put it, and exit with code 2.
    """
    roots = data_roots()
    for root in roots:
        path = root / relpath
        if path.is_file():
            return path
    print(missing_message(relpath, roots), file=sys.stderr)
    raise SystemExit(2)


def data_dir(relpath: str, *needed: str) -> Path:
    """The first folder `relpath` in the data roots that holds every file of `needed`; else exit 2."""
    roots = data_roots()
    for root in roots:
        folder = root / relpath
        if folder.is_dir() and all((folder / name).is_file() for name in needed):
            return folder
    # name the first file missing from the first folder that exists (a partial copy), else the first
    holder = next((root / relpath for root in roots if (root / relpath).is_dir()), roots[0] / relpath)
    absent = next((name for name in needed if not (holder / name).is_file()), "")
    print(missing_message(f"{relpath}/{absent}", roots), file=sys.stderr)
    raise SystemExit(2)


NTREX_FILES = {
    "en": "newstest2019-src.eng.txt",
    "de": "newstest2019-ref.deu.txt",
    "ru": "newstest2019-ref.rus.txt",
    "uk": "newstest2019-ref.ukr.txt",
    "fr": "newstest2019-ref.fra.txt",
    "pl": "newstest2019-ref.pol.txt",
    "pt": "newstest2019-ref.por-BR.txt",
    "es": "newstest2019-ref.spa.txt",
    "it": "newstest2019-ref.ita.txt",
}


def ntrex_dir(*langs: str) -> Path:
    """The NTREX-128 folder with DOCUMENT_IDS.tsv and the files of `langs` (transnorm codes, all if none)."""
    names = [NTREX_FILES[lang] for lang in langs or NTREX_FILES]
    return data_dir("ntrex128", "DOCUMENT_IDS.tsv", *names)
