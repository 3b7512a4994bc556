"""The validation benchmark runs end to end (on a tiny corpus; `make bench` runs the real one)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_validate_benchmark_reports_its_ratio(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("validate_bench",
                                                  ROOT / "bench" / "validate_bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(tmp_path, repeat=1, interactions=200)
    assert result["validate_interactions"] == 200
    assert result["validate_time_vs_yaml_load"] > 0
    assert result["validate_time_vs_yaml_load_goal"] == 1.2
