"""The catalog lookup benchmark runs end to end (`make bench` runs it for its figure)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalog_benchmark_compares_the_full_catalog_with_the_first_33() -> None:
    spec = importlib.util.spec_from_file_location("catalog_bench",
                                                  ROOT / "bench" / "catalog_bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(repeat=1)
    assert result["catalog_endpoints"] >= 141
    assert result["catalog_lookup_cost_144_vs_33"] > 0
