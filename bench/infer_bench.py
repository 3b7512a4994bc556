"""Schema inference on the 10,000-interaction corpus vs. merely loading it with libyaml.

``infer_time_vs_yaml_load``: CPU time of ``wyze-toolkit infer --all`` (every endpoint drafted
as if none were documented: load, group, merge, render the folder) over CPU time of
``yaml.load(..., CSafeLoader)`` of the same files; best of three, interleaved. The corpus is
the one of validate_bench (built again here, so the module runs alone). Goal <= 1.5 (issue 12).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import yaml

from bench.validate_bench import build_corpus
from wyzeproto.cassette.files import find_cassettes
from wyzeproto.schema import infer_folder
from wyzeproto.schema.catalog import load_catalog


def run(workdir: Path, repeat: int = 3) -> dict[str, float]:
    corpus = Path(workdir) / "infer-corpus"
    build_corpus(corpus)
    files = find_cassettes([str(corpus)])
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    catalog = load_catalog()

    def load_only() -> None:
        for name in files:
            yaml.load(Path(name).read_bytes(), Loader=loader)  # noqa: S506 - safe loader

    def infer_all() -> None:
        infer_folder.render(infer_folder.collect([str(corpus)], catalog, "all"))

    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for index, action in enumerate((load_only, infer_all)):
            gc.collect()
            started = time.process_time()
            action()
            best[index] = min(best[index], time.process_time() - started)
    return {"infer_time_vs_yaml_load": best[1] / best[0], "infer_cpu_s": best[1]}
