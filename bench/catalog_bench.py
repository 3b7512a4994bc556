"""Benchmark: catalog lookup cost with every public endpoint (141 entries, 144 rows) vs 33.

    python bench/catalog_bench.py

Issue 10 grew the catalog from the 33 endpoints of issue 3 to every row of the public
endpoint list; matching must not slow down with it. ``run()`` times the uncached lookup
(``Catalog._match``: the per-URL cache is bypassed, so this is the cost of a first sight)
of the same URLs, those of the first 33 endpoints plus as many misses, against the full
catalog and against a catalog cut to those 33, best of five (CPU time), and returns
``catalog_lookup_cost_144_vs_33`` = full / cut (goal: at most 1.5, i.e. flat).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from wyzeproto.schema.catalog import Catalog, load_catalog  # noqa: E402

GOAL = 1.5
EARLY = 33
ROUNDS = 200
PATH_VALUES = {"{mac}": "0000A1B2C3D4", "{did}": "JA_RO2_0000A1B2C3D4",
               "{device_id}": "GW_BE1_0000A1B2C3D4"}


def _urls(catalog: Catalog) -> list[tuple[str, str]]:
    out = []
    for endpoint in catalog.endpoints[:EARLY]:
        path = endpoint.path
        for name, value in PATH_VALUES.items():
            path = path.replace(name, value)
        host = endpoint.hosts[0]
        out.append((endpoint.method, f"https://{host}{path}?nonce=1"))
        out.append((endpoint.method, f"https://{host}{path}/not-documented"))
    return out


def _cost(catalog: Catalog, urls: list[tuple[str, str]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for _ in range(ROUNDS):
            for method, url in urls:
                catalog._match(method, url)
        best = min(best, time.process_time() - started)
    return best / (ROUNDS * len(urls))


def run(workdir: str | Path | None = None, repeat: int = 5) -> dict[str, Any]:
    full = load_catalog(ROOT / "schemas")
    cut = Catalog(full.path, full.endpoints[:EARLY], full.store, full.generations)
    urls = _urls(full)
    found = [full._match(m, u) for m, u in urls]
    if found != [cut._match(m, u) for m, u in urls]:
        raise RuntimeError("the cut catalog answers differently from the full one")
    cost_full, cost_cut = _cost(full, urls, repeat), _cost(cut, urls, repeat)
    return {
        "catalog_endpoints": len(full.endpoints),
        "catalog_lookup_us_full": round(cost_full * 1e6, 2),
        "catalog_lookup_us_33": round(cost_cut * 1e6, 2),
        "catalog_lookup_cost_144_vs_33": round(cost_full / cost_cut, 3),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:<32}  {value}")
