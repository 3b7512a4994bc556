"""Validate recorded cassettes against the documented API (``schemas/``).

    wyze-toolkit validate [paths...] [-v] [--format json] [--allow-undocumented]

First the schema files themselves are checked (2020-12 meta-schema, every ``$ref``
resolves, every ``examples`` entry validates). Then every interaction is matched to a catalog
endpoint and outcome, and its request and response bodies are validated. A finding prints
as ``file::interaction N::request|response::$.path: message``, the best match first and a
count of the rest (``-v`` prints all). Exit status: 0 all valid, 1 findings, 2 unusable
input (missing file, broken YAML, not a cassette, a broken schema or catalog), always with
one clear line and never a traceback.

Other modules call :func:`check_interaction` (problems as strings; empty means valid).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from wyzeproto.cassette.files import CassetteError, find_cassettes, load_cassette
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.schema.catalog import Catalog, load_catalog
from wyzeproto.schema.check import Problem, check


@functools.lru_cache(maxsize=4)
def _catalog(schemas_dir: str | None) -> Catalog:
    return load_catalog(schemas_dir)


def check_interaction(interaction: dict[str, Any], catalog: Catalog | None = None,
                      allow_undocumented: bool = False) -> list[str]:
    """Problems with one interaction, as ``request|response::$.path: message`` strings.

    An empty list means the interaction is documented and both bodies are valid. Every
    problem found is listed (not only the best match). Raises CatalogError/SchemaError only
    when the catalog itself cannot be loaded.
    """
    result = check(catalog or _catalog(None), interaction, allow_undocumented)
    lines: list[str] = []
    for problem in result.problems:
        lines.append(problem.line())
        lines.extend(f"{problem.location}::{path}: {message}" for path, message in problem.rest)
    return lines


@dataclass
class Report:
    files: int = 0
    interactions: int = 0
    undocumented: int = 0
    findings: list[tuple[str, int, Problem]] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)

    @property
    def status(self) -> ExitStatus:
        if self.unusable:
            return ExitStatus.UNUSABLE
        return ExitStatus.FINDINGS if self.findings else ExitStatus.OK


def validate_paths(paths: list[str], catalog: Catalog,
                   allow_undocumented: bool = False) -> Report:
    """Check every cassette under ``paths``. Unusable files are recorded, not raised."""
    report = Report()
    files = find_cassettes(paths)
    if not files:
        report.unusable.append(f"{', '.join(paths)}: no cassettes (*.yaml, *.yml) found; "
                               "pass a cassette file or a directory that holds some")
    for name in files:
        try:
            interactions = load_cassette(name).interactions
        except CassetteError as exc:
            report.unusable.append(f"{exc}; pass a VCR v1 cassette")
            continue
        report.files += 1
        for index, interaction in enumerate(interactions):
            report.interactions += 1
            result = check(catalog, interaction, allow_undocumented)
            report.undocumented += result.undocumented
            report.findings.extend((name, index, p) for p in result.problems)
    return report


def finding_parts(name: str, index: int, problem: Problem,
                  verbose: bool) -> list[tuple[str, str]]:
    """(where, message) pairs for one problem: the best match, then the rest with ``verbose``."""
    where = f"{name}::interaction {index}::{problem.location}"
    tag = f" [{problem.endpoint}{'/' + problem.outcome if problem.outcome else ''}]" \
        if problem.endpoint else ""
    head = (f"{where}::{problem.path}", f"{problem.message}{tag}")
    if not problem.rest:
        return [head]
    if not verbose:
        more = len(problem.rest)
        return [(head[0], f"{head[1]} (and {more} more error{'s' if more > 1 else ''}; "
                 "-v shows all)")]
    return [head, *((f"{where}::{path}", message) for path, message in problem.rest)]


def format_finding(name: str, index: int, problem: Problem, verbose: bool) -> list[str]:
    return [f"{where}: {message}" for where, message in finding_parts(name, index, problem,
                                                                      verbose)]
