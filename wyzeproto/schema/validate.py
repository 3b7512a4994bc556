"""Validate recorded cassettes against the documented API (``schemas/``).

    python -m wyzeproto.schema.validate [paths...] [-v] [--json] [--allow-undocumented]

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

import argparse
import functools
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from wyzeproto.cassette.files import CassetteError, find_cassettes, load_cassette
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.schema.catalog import Catalog, load_catalog
from wyzeproto.schema.check import Problem, check
from wyzeproto.schema.store import SchemaError, check_store

DEFAULT_PATHS = ["captures/"]


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

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.status == ExitStatus.OK,
            "exit_status": int(self.status),
            "files": self.files,
            "interactions": self.interactions,
            "undocumented": self.undocumented,
            "findings": [
                {"file": name, "interaction": index, "location": p.location, "path": p.path,
                 "message": p.message, "endpoint": p.endpoint, "outcome": p.outcome,
                 "more": [{"path": path, "message": msg} for path, msg in p.rest]}
                for name, index, p in self.findings
            ],
            "unusable": self.unusable,
        }


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


def format_finding(name: str, index: int, problem: Problem, verbose: bool) -> list[str]:
    where = f"{name}::interaction {index}::{problem.location}"
    tag = f" [{problem.endpoint}{'/' + problem.outcome if problem.outcome else ''}]" \
        if problem.endpoint else ""
    head = f"{where}::{problem.path}: {problem.message}{tag}"
    if not problem.rest:
        return [head]
    if not verbose:
        more = len(problem.rest)
        return [f"{head} (and {more} more error{'s' if more > 1 else ''}; -v shows all)"]
    return [head, *(f"{where}::{path}: {message}" for path, message in problem.rest)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wyzeproto.schema.validate",
        description="Validate cassettes against the documented Wyze API (schemas/).")
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS,
                        help="cassette files or directories (default: captures/)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every error of a body, not only the best match")
    parser.add_argument("--json", action="store_true", help="print a JSON report for machines")
    parser.add_argument("--allow-undocumented", action="store_true",
                        help="accept interactions with undocumented endpoints or outcomes")
    parser.add_argument("--schemas", default="schemas", metavar="DIR",
                        help="the schemas directory with catalog.yaml (default: schemas)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        catalog = load_catalog(args.schemas)
        schema_problems = check_store(catalog.store)
        if schema_problems:  # the documentation itself is broken: nothing can be judged
            for line in schema_problems:
                print(line, file=sys.stderr)
            return ExitStatus.UNUSABLE
        report = validate_paths(args.paths, catalog, args.allow_undocumented)
    except SchemaError as exc:
        print(f"{exc}; fix the schema or catalog", file=sys.stderr)
        return ExitStatus.UNUSABLE
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    if args.json:
        print(json.dumps(report.as_json(), indent=2, sort_keys=True))
        return report.status
    for line in report.unusable:
        print(line, file=sys.stderr)
    for name, index, problem in report.findings:
        for line in format_finding(name, index, problem, args.verbose):
            print(line)
    elapsed = time.perf_counter() - started
    bad = len({(n, i) for n, i, _ in report.findings})
    print(f"checked {report.interactions} interactions in {report.files} cassettes in "
          f"{elapsed:.2f} s: {report.interactions - bad} valid, {bad} with findings"
          + (f", {report.undocumented} undocumented" if report.undocumented else "")
          + (f", {len(report.unusable)} unusable files" if report.unusable else ""),
          file=sys.stderr)
    return report.status


if __name__ == "__main__":
    sys.exit(main())
