"""The capture benchmark runs end to end (a few flows per round; `make bench` runs the real one)."""

from __future__ import annotations

from pathlib import Path

from bench import capture_bench


def test_the_capture_benchmark_reports_every_ratio_with_its_min_and_max(tmp_path: Path) -> None:
    result = capture_bench.run(tmp_path, flows=20, rounds=2, warmup=10)
    for metric in ("capture_cpu_per_flow_vs_mitmdump",
                   "capture_with_drift_cpu_per_flow_vs_mitmdump",
                   "mitmdump_w_cpu_per_flow_vs_mitmdump",
                   "capture_verbose_cpu_per_flow_vs_mitmdump"):
        assert result[f"{metric}_min"] <= result[metric] <= result[f"{metric}_max"]
        assert result[metric] > 0
    assert result["mitmdump_bare_cpu_ms_per_flow"] > 0
    # every configuration that records wrote its cassette, closed at the end
    assert len(list(tmp_path.glob("bench-capture*.yaml"))) == 3
