"""Rebuild the data slices in tests/data/ from the full corpora (found like the benchmarks' data).

The test suite reads only these slices, so that a fresh clone runs every test. Run it only to change
what the slices hold; say why in the commit. Usage:

    python benchmarks/make_test_slices.py [CORPORA_DIR]   # default: the benchmarks' data folders (_data.py)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "tests" / "data"

# NTREX-128 documents kept, in corpus order: the six the assisted-alignment test aligns (2nd to 7th),
# the three the end-to-end test translates, and four where the bundled glossary finds most names in
# all of en/de/fr/pl/ru (the search test needs more than 20 per language).
NTREX_DOCS = {
    "rt.com.91337", "nytimes.184853", "dailymail.co.uk.298595", "cnbc.com.6790",  # 2nd..7th, plus:
    "reuters.218882", "euronews-en.153800", "bbc.381780",  # end to end
    "reuters.218932", "rt.com.91335", "bbc.381680", "scotsman.133783",  # names in every language
}  # fmt: skip
NTREX_ALIGN_DOCS = 6  # documents 2..7 of the corpus, whatever their names
LID_PER_VARIANT = 10  # language-id sample: 10 sentences of each of the 129 variants
OFAC_FIRST = 600  # OFAC clusters: the first 600, plus every cluster naming a bundled person
WIKIDATA_FIRST = 3000  # Wikidata en/ru pairs: the first 3,000


def _ntrex(src: Path, dst: Path) -> None:
    ids = (src / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    wanted = NTREX_DOCS | set(list(dict.fromkeys(ids))[1 : 1 + NTREX_ALIGN_DOCS])
    keep = [i for i, d in enumerate(ids) if d in wanted]
    dst.mkdir(parents=True, exist_ok=True)
    for path in [*sorted(src.glob("newstest2019-*.txt")), src / "DOCUMENT_IDS.tsv"]:
        lines = path.read_text(encoding="utf-8").splitlines()
        (dst / path.name).write_text("".join(lines[i] + "\n" for i in keep), encoding="utf-8")
    shutil.copyfile(src / "LICENSE.md", dst / "LICENSE.md")


def _lid(src: Path, dst: Path) -> None:
    lines = src.read_text(encoding="utf-8").splitlines()
    seen: dict[str, int] = {}
    out = [lines[0]]
    for line in lines[1:]:
        code = line.split("\t", 1)[0]
        seen[code] = seen.get(code, 0) + 1
        if (seen[code] - 1) % LID_PER_VARIANT == 0:
            out.append(line)
    dst.write_text("".join(line + "\n" for line in out), encoding="utf-8")


def _ofac(src: Path, dst: Path) -> None:
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    from transnorm.normalise import load_matcher

    matcher = load_matcher(["bundled"], "en", generate=False)
    people = {matcher.entries[i].canonical["en"].split()[-1].casefold() for i in range(len(matcher.entries))}
    lines = src.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for n, line in enumerate(lines[1:]):
        surnames = {name.split(", ", 1)[0].casefold() for name in line.split("\t", 2)[2].split(" | ")}
        if n < OFAC_FIRST or surnames & people:
            out.append(line)
    dst.write_text("".join(line + "\n" for line in out), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv:
        shared = Path(argv[0])
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _data import data_dir

        shared = data_dir("ntrex128", "DOCUMENT_IDS.tsv").parent
    if not shared.is_dir():
        print(f"no corpora at {shared}: pass the folder that holds ntrex128/, langid/, names/, translit/")
        return 2
    _ntrex(shared / "ntrex128", HERE / "ntrex128")
    _lid(shared / "langid" / "ntrex128_lid_sample.tsv", HERE / "ntrex128" / "ntrex128_lid_sample.tsv")
    (HERE / "names").mkdir(exist_ok=True)
    _ofac(shared / "names" / "ofac_alias_clusters.tsv", HERE / "names" / "ofac_alias_clusters.tsv")
    shutil.copyfile(
        shared / "names" / "WATCHMAN_LICENSE_Apache-2.0.txt",
        HERE / "names" / "WATCHMAN_LICENSE_Apache-2.0.txt",
    )
    (HERE / "translit").mkdir(exist_ok=True)
    rows = (shared / "translit" / "wikidata_en_ru_names.tsv").read_text(encoding="utf-8").splitlines()
    (HERE / "translit" / "wikidata_en_ru_names.tsv").write_text(
        "".join(r + "\n" for r in rows[: WIKIDATA_FIRST + 1]), encoding="utf-8"
    )
    shutil.copyfile(
        shared / "translit" / "WIKIDATA_NAMES_LICENSE_CC0.txt",
        HERE / "translit" / "WIKIDATA_NAMES_LICENSE_CC0.txt",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
