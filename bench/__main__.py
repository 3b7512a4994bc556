"""``make bench``: run every benchmark, print a table of ratios, write bench/results.json.

Each benchmark measures the project against an anchor in the same run on the same machine,
so the ratios mean something on any machine; absolute times are printed for context only.
Goals come from the issues; a ratio over its goal is printed as MISSED, never hidden.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
# metric -> (goal, "max" when lower is better, "min" when higher is better)
GOALS = {
    "capture_cpu_per_flow_vs_mitmdump": (1.15, "max"),
    "capture_with_drift_cpu_per_flow_vs_mitmdump": (1.20, "max"),
    "validate_time_vs_yaml_load": (1.2, "max"),
    # the same, with the plain load also spared the cycle collector (a check on the first)
    "validate_time_vs_yaml_load_without_gc": (1.2, "max"),
    "catalog_lookup_cost_144_vs_33": (1.5, "max"),  # lookup must not grow with the catalog
    "replay_inprocess_speedup_vs_vcrpy": (100.0, "min"),
    "serve_addon_throughput_vs_mitmproxy_server_replay": (1.0, "min"),
    "infer_time_vs_yaml_load": (1.5, "max"),
    "serve_standalone_cpu_per_request_vs_fixed_response": (2.0, "max"),
    "wyze_standin_start_stop_seconds_per_use": (0.3, "max"),  # absolute: a test-suite budget
    "standin_requests_per_cpu_s_app_api": (1000.0, "min"),  # absolute: issue 11
    "standin_requests_per_cpu_s_signed": (1000.0, "min"),
    "redact_long_value_cost_growth_128k_vs_8k": (2.0, "max"),  # linear in a value's length
}
MODULES = ["bench.capture_bench", "bench.validate_bench", "bench.catalog_bench",
           "bench.replay_bench", "bench.infer_bench",
           "bench.standin_bench", "bench.standin_requests_bench", "bench.redact_bench"]


def main(argv: list[str]) -> int:
    only = set(argv)
    results: dict[str, float] = {}
    workdir = HERE / "work"
    warnings.simplefilter("ignore")
    for name in MODULES:
        if only and name.rsplit(".", 1)[1] not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"bench: {name} not available ({exc})", file=sys.stderr)
            continue
        started = time.monotonic()
        print(f"bench: running {name} ...", flush=True)
        results.update(module.run(workdir / name.rsplit(".", 1)[1]))
        print(f"bench: {name} done in {time.monotonic() - started:.0f}s", flush=True)
    print(f"\n{'metric':55} {'value':>10} {'goal':>10}  status")
    for metric, value in results.items():
        goal = GOALS.get(metric)
        status, goal_text = "", ""
        if goal:
            limit, direction = goal
            ok = value <= limit if direction == "max" else value >= limit
            status = "ok" if ok else "MISSED"
            goal_text = f"{'<=' if direction == 'max' else '>='} {limit:g}"
        print(f"{metric:55} {value:10.3f} {goal_text:>10}  {status}")
    out = HERE / "results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous.update({k: round(v, 4) for k, v in results.items()})
    out.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    print(f"\nbench: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
