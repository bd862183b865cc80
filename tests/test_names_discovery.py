"""Discovery of people in check-names (issue 11): mention finding, clustering, source anchoring, proposals.

The corpus is `tests/data/names/mt_news.json`: hand-written English renderings of three Russian news
items by four imagined MT systems, with the gold people and the people that must stay apart.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from transnorm.cli import main
from transnorm.document import Document, Segment
from transnorm.normalise import load_matcher
from transnorm.normalise.cluster import Spelling, cluster_spellings, given_compatible
from transnorm.normalise.mentions import MentionFinder
from transnorm.normalise.people import source_key
from transnorm.normalise.report import check_names

HERE = Path(__file__).resolve().parent
CORPUS = json.loads((HERE / "data" / "names" / "mt_news.json").read_text(encoding="utf-8"))
MENTION_CASES = json.loads((HERE / "cases" / "names" / "mentions.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def corpus_documents() -> list[Document]:
    """One record per article per system: Russian sources, English targets."""
    docs = []
    for article in CORPUS["articles"]:
        for system, targets in article["systems"].items():
            segments, pos = [], 0
            for i, (src, tgt) in enumerate(zip(article["source"], targets, strict=True)):
                segments.append(Segment(i, pos, pos + len(src), src, lang="ru", target=tgt))
                pos += len(src) + 1
            text = " ".join(article["source"])
            docs.append(
                Document(f"{article['id']}.{system}", text, lang="ru", target_lang="en", segments=segments)
            )
    return docs


@pytest.fixture(scope="module")
def matcher():
    return load_matcher(["bundled"], "en", cache=False)


@pytest.fixture(scope="module")
def report(matcher) -> dict:
    return check_names(corpus_documents(), lambda _lang: matcher)


def _entities_of(report: dict) -> dict[str, set[str]]:
    where: dict[str, set[str]] = {}
    for e in report["entities"]:
        for s in e["spellings"]:
            where.setdefault(s["text"], set()).add(e["id"])
    return where


# ------------------------------------------------------------------------------------ mentions


@pytest.mark.parametrize("case", MENTION_CASES, ids=[c["id"] for c in MENTION_CASES])
def test_mentions(case: dict) -> None:
    found = MentionFinder().find(case["text"])
    people = [[m.given, m.surname, m.role] for m in found if m.full or m.surname not in ("Moscow", "Kyiv")]
    expect = [e for e in case["expect"] if e[0] or e[1] not in ("Moscow", "Kyiv")]
    assert people == expect
    for m in found:
        assert case["text"][m.start : m.end].endswith(m.surname.split()[-1]) or "'s" in case["text"]


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("Vladimir", "Volodymyr", True),
        ("Aleksandr", "Alexander", True),
        ("Yevgeny", "Evgeny", True),
        ("V.", "Volodymyr", True),
        ("W.", "Vladimir", True),
        ("Pavel", "Ilya", False),
        ("Vitali", "Wladimir", False),
        ("Maria", "Sergey", False),
        ("", "Pavel", True),
    ],
)
def test_given_name_compatibility(x: str, y: str, same: bool) -> None:
    assert given_compatible(x, y) is same


@pytest.mark.parametrize(
    ("forms", "key"),
    [(["Тиньков", "Тинькова", "Тинькову", "Тиньковым"], "тиньков"), (["Зеленский", "Зеленского"], "зеленск")],
)
def test_source_key_drops_case_endings(forms: list[str], key: str) -> None:
    assert {source_key(f) for f in forms} == {key}


# ------------------------------------------------------------------------------------ clustering


@pytest.mark.parametrize("person", sorted(CORPUS["people"]))
def test_each_persons_spellings_form_one_entity(report: dict, person: str) -> None:
    where = _entities_of(report)
    spellings = CORPUS["people"][person]
    missing = [s for s in spellings if s not in where]
    assert not missing
    assert len(set().union(*(where[s] for s in spellings))) == 1, {s: where[s] for s in spellings}


@pytest.mark.parametrize(("a", "b"), CORPUS["apart"], ids=["-".join(p) for p in CORPUS["apart"]])
def test_different_people_stay_apart(report: dict, a: str, b: str) -> None:
    where = _entities_of(report)
    ids_a = set().union(*(where[s] for s in CORPUS["people"][a]))
    ids_b = set().union(*(where[s] for s in CORPUS["people"][b]))
    assert not ids_a & ids_b


@pytest.mark.parametrize("text", CORPUS["not_people"])
def test_organisations_and_places_are_not_discovered_people(report: dict, text: str) -> None:
    discovered = {s["text"] for e in report["entities"] if not e["in_glossary"] for s in e["spellings"]}
    assert text not in discovered


def test_entities_shape_and_glossary_flag(report: dict) -> None:
    by_id = {e["id"]: e for e in report["entities"]}
    tinkov = by_id["oleg-tinkov"]
    assert tinkov["in_glossary"] and {"Oleg Tinkou", "Oleg Tinkoff"} <= {
        s["text"] for s in tinkov["spellings"]
    }
    dzyuba = next(e for e in report["entities"] if "Artem Dzyuba" in {s["text"] for s in e["spellings"]})
    assert not dzyuba["in_glossary"]
    assert dzyuba["canonical"] == "Artem Dzyuba"  # the source has only the instrumental: majority spelling
    for e in report["entities"]:
        assert {"id", "canonical", "in_glossary", "spellings"} <= set(e)
        for s in e["spellings"]:
            assert set(s) >= {"text", "count", "documents"} and s["count"] >= len(s["documents"]) > 0


def test_proposed_canonical_applies_the_scheme_to_the_native_name(report: dict) -> None:
    yevmenov = next(e for e in report["entities"] if "Nikolai Evmenov" in {s["text"] for s in e["spellings"]})
    assert yevmenov["native"][0] == "Николай Евменов"
    assert yevmenov["canonical"] == "Nikolay Yevmenov"  # Wikipedia's scheme, the default for English


def test_source_names_report_the_renderings_of_one_source_name(report: dict) -> None:
    by_source = {r["source"]: {x["text"] for x in r["renderings"]} for r in report["source_names"]}
    assert {"Degtyarev", "Degtyaryov", "Degtiarev"} <= by_source["дегтярев"]


def test_gender_slip_joins_only_with_the_same_given_name() -> None:
    def spelling(text: str) -> Spelling:
        given, surname = text.split()
        s = Spelling(text, given, surname)
        s.docs.append(text)
        return s

    people = cluster_spellings([spelling(t) for t in ("Polina Gagarina", "Polina Gagarin", "Yuri Gagarin")])
    groups = sorted(sorted(s.text for s in p.spellings) for p in people)
    assert groups == [["Polina Gagarin", "Polina Gagarina"], ["Yuri Gagarin"]]
    people = cluster_spellings([spelling(t) for t in ("Alexander Lavrov", "Alexandra Lavrova")])
    assert len(people) == 2


def test_glossary_only_report_has_no_discovered_people(matcher) -> None:
    report = check_names(corpus_documents(), lambda _lang: matcher, discover=False)
    assert all(e["in_glossary"] for e in report["entities"])


# ------------------------------------------------------------------------------------ command line


def _records_file(tmp_path: Path, docs: list[Document]) -> Path:
    path = tmp_path / "out.jsonl"
    path.write_text(
        "".join(json.dumps(d.to_record(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    return path


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def _texts(report: dict) -> set[str]:
    return {s["text"] for e in report["entities"] for s in e["spellings"]}


@pytest.mark.parametrize(
    ("side", "present", "absent"),
    [
        ("target", {"Oleg Tinkou", "Mikhail Degtyaryov"}, {"Олег Тиньков"}),
        ("source", {"Олег Тиньков"}, {"Oleg Tinkou"}),
        ("both", {"Олег Тиньков", "Oleg Tinkou"}, set()),
    ],
)
def test_cli_side(tmp_path: Path, side: str, present: set[str], absent: set[str]) -> None:
    path = _records_file(tmp_path, corpus_documents())
    code, out = _run(["check-names", str(path), "--side", side, "--no-cache"])
    texts = _texts(json.loads(out))
    assert code == 0
    assert present <= texts and not absent & texts


def test_cli_reads_the_translation_and_its_language_from_the_record(tmp_path: Path) -> None:
    doc = Document(
        "de-1",
        "Дмитрий Песков заявил. Песков добавил.",
        lang="ru",
        target_lang="de",
        segments=[
            Segment(0, 0, 22, "Дмитрий Песков заявил.", lang="ru", target="Dmitri Peskow sagte etwas."),
            Segment(1, 23, 38, "Песков добавил.", lang="ru", target="Peskow fügte hinzu."),
        ],
    )
    code, out = _run(["check-names", str(_records_file(tmp_path, [doc])), "--no-cache"])
    peskov = next(e for e in json.loads(out)["entities"] if e["id"] == "dmitry-peskov")
    assert code == 0
    assert peskov["canonical"] == "Dmitri Peskow"
    assert all(s["canonical"] for s in peskov["spellings"])  # German spellings are right in German


def test_cli_no_discover(tmp_path: Path) -> None:
    path = _records_file(tmp_path, corpus_documents())
    code, out = _run(["check-names", str(path), "--no-discover", "--no-cache"])
    assert code == 0 and all(e["in_glossary"] for e in json.loads(out)["entities"])


def test_normalise_keeps_a_records_segments_and_rewrites_its_translations(tmp_path: Path) -> None:
    doc = corpus_documents()[0]
    doc.segments[0].target = "Dimitri Peskov met Mikhail Degtyarev."
    code, out = _run(["normalise", str(_records_file(tmp_path, [doc])), "--no-cache"])
    rec = json.loads(out)
    assert code == 0
    assert [s["source"] for s in rec["segments"]] == [s.source for s in doc.segments]
    assert rec["segments"][0]["target"] == "Dmitry Peskov met Mikhail Degtyarev."
    assert rec["segments"][1]["target"] == doc.segments[1].target
    assert {e["side"] for e in rec["edits"]} == {"target"}


def test_propose_glossary_round_trip(tmp_path: Path) -> None:
    """check-names proposes entries; they validate; passed back, normalise rewrites their variants."""
    records = _records_file(tmp_path, corpus_documents())
    proposal = tmp_path / "proposed.yaml"
    code, out = _run(["check-names", str(records), "--propose-glossary", str(proposal), "--no-cache"])
    assert code == 0 and proposal.exists()
    code, _ = _run(["glossary", "validate", str(proposal)])
    assert code == 0
    entries = {e["canonical"]["en"]: e for e in __import__("yaml").safe_load(proposal.read_text())["entries"]}
    degtyarev = entries["Mikhail Degtyarev"]
    assert degtyarev["native"] == {"ru": "Михаил Дегтярев"} and degtyarev["gender"] == "m"
    assert {"Mikhail Degtyaryov", "Mikhail Degtiarev"} <= set(degtyarev["variants"])
    assert "Oleg Tinkov" not in entries  # a glossary person is not proposed again
    code, out = _run(["normalise", str(records), "--glossary", str(proposal), "--no-cache"])
    targets = [s["target"] for line in out.splitlines() for s in json.loads(line)["segments"]]
    assert code == 0
    assert not any("Degtyaryov" in t or "Degtiarev" in t for t in targets)
    assert any("Mikhail Degtyarev" in t for t in targets)


# ------------------------------------------------------------------------------------ Ray


@pytest.mark.ray
@pytest.mark.slow
def test_ray_dataset_gives_the_same_report_as_the_local_run(report: dict) -> None:
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    from transnorm import PipelineConfig
    from transnorm.raydata import check_names_dataset

    rows = [{"record": json.dumps(d.to_record(), ensure_ascii=False)} for d in corpus_documents()]
    config = PipelineConfig().with_overrides(normalise={"cache": False})
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        got = check_names_dataset(ray.data.from_items(rows), config, actors=2, batch_size=3)
    finally:
        ray.shutdown()
    assert got == report


def test_cli_unknown_scheme_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = _run(
        ["check-names", str(_records_file(tmp_path, corpus_documents()[:1])), "--scheme", "klingon"]
    )
    assert code == 2


def test_cli_scheme_changes_the_proposed_canonical(tmp_path: Path) -> None:
    path = _records_file(tmp_path, corpus_documents())
    code, out = _run(["check-names", str(path), "--scheme", "icao", "--no-cache"])
    canon = {e["canonical"] for e in json.loads(out)["entities"] if not e["in_glossary"]}
    assert code == 0 and "Nikolai Evmenov" in canon  # ICAO: Николай Евменов -> Nikolai Evmenov


def test_a_glossary_surname_alone_goes_to_the_documents_own_person(matcher) -> None:
    docs = [
        Document("a", "The racing driver Pavel Yashin won the stage. Yashin said he was happy.", lang="en"),
        Document("b", "The politician Ilya Yashin is in prison. Yashin wrote a letter.", lang="en"),
    ]
    report = check_names(docs, lambda _lang: matcher, lang="en")
    found = {(s["text"], tuple(s["documents"])): e["id"] for e in report["entities"] for s in e["spellings"]}
    assert found[("Yashin", ("a",))] == found[("Pavel Yashin", ("a",))] != "ilya-yashin"
    assert found[("Yashin", ("b",))] == "ilya-yashin"
