"""Ray Data integration on a local Ray instance: same records as a single-process run."""

from __future__ import annotations

import json

import pytest

from transnorm import Document, Pipeline, PipelineConfig

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from corpora import ntrex_lines  # noqa: E402
from transnorm.raydata import iter_records, process_dataset  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.slow]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _rows(n: int) -> list[dict]:
    lines = ntrex_lines("en")  # 187 lines: documents repeat text under other ids
    rows = []
    for i in range(n):
        text = " ".join(lines[(i * 3 + k) % len(lines)] for k in range(3))
        rows.append({"id": f"doc-{i:04d}", "text": text, "feed": f"wire-{i % 7}"})
    rows[5]["text"] = "   "  # a bad document travels through Ray too
    return rows


def test_ray_data_gives_the_same_records_as_one_process(local_ray) -> None:
    rows = _rows(1000)
    config = PipelineConfig(target_lang="en").with_overrides(translate={"cache": False})
    with Pipeline(config) as pipe:
        expected = {
            d.id: json.loads(json.dumps(d.to_record()))
            for d in pipe.run(Document(r["id"], r["text"], metadata={"feed": r["feed"]}) for r in rows)
        }
    ds = ray.data.from_items(rows)
    out = process_dataset(ds, config, actors=2, batch_size=100)
    got = {rec["id"]: rec for rec in iter_records(out)}
    assert len(got) == 1000
    assert got.keys() == expected.keys()
    mismatched = [k for k in expected if got[k] != expected[k]]
    assert not mismatched, mismatched[:3]
    assert got["doc-0005"]["errors"][0]["code"] == "E104"
    assert got["doc-0001"]["metadata"] == {"feed": "wire-1"}
