"""The research subcommands: ``infer`` (draft schemas from captures) and ``diff`` (compare
two captures endpoint by endpoint)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wyzeproto.cassette.files import CassetteError, find_cassettes, load_cassette
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.report import Finding, Report, UsageError
from wyzeproto.schema import diff, infer_folder
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.drift_live import DriftChecker, DriftLog
from wyzeproto.schema.store import SchemaError

_MARK = {"endpoint": "+", "status": "+", "outcome": "+", "field": "+", "type": "~",
         "invalid": "~"}


@contextmanager
def _what_to_do(schemas: str | None) -> Iterator[None]:
    """Adds what to do to the errors that are the user's to fix: a file that is no cassette,
    a ``--schemas`` folder without a usable catalog. A broken catalog of the toolkit's own
    is not the user's to fix, and main.py reports it as it is."""
    try:
        yield
    except CassetteError as exc:
        raise UsageError(f"{exc}; pass a VCR v1 cassette") from None
    except SchemaError as exc:
        if schemas is None:
            raise
        raise UsageError(f"{exc}; pass --schemas a schemas folder with a valid catalog.yaml "
                         "(or leave it out for the toolkit's own)") from None


def _write_drafts(out: Path, files: dict[str, str]) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder; pick a new folder")
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"--out {out}: exists and is not empty; pick a new folder")
    for relative, text in files.items():
        path = out / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--out {out}: cannot write {path}: {exc.strerror or exc}; pick a "
                             "folder you can write to") from None


def _schema_diff(paths: list[str], catalog_dir: str | None, endpoint_id: str) -> list[Finding]:
    """What the samples of a documented endpoint say that its schemas do not."""
    catalog = load_catalog(catalog_dir)
    checker, log = DriftChecker(catalog), DriftLog()
    index = 0
    for name in find_cassettes(paths):
        for interaction in load_cassette(name).interactions:
            endpoint = catalog.match(interaction["request"]["method"],
                                     interaction["request"]["uri"])
            if endpoint is not None and endpoint.id == endpoint_id:
                log.add(index, checker.check(interaction))
            index += 1
    findings = []
    for sighting in log.sightings.values():
        d = sighting.drift
        findings.append(Finding(
            f"{d.endpoint}::{d.side}::{d.path}",
            f"{_MARK[d.kind]} {d.kind}: schema says {d.expected}; samples say {d.seen} "
            f"({sighting.count}x)",
            {"endpoint": d.endpoint, "side": d.side, "path": d.path, "kind": d.kind,
             "expected": d.expected, "seen": d.seen, "count": sighting.count}))
    return findings


def run_infer(args: argparse.Namespace) -> Report:
    with _what_to_do(args.schemas):
        return _infer(args)


def _infer(args: argparse.Namespace) -> Report:
    report = Report("infer", findings_fail=False)
    if not find_cassettes(args.paths):
        raise UsageError(f"{', '.join(args.paths)}: no cassettes (*.yaml, *.yml) found; pass "
                         "cassette files or folders that hold some")
    catalog = load_catalog(args.schemas)
    if args.endpoint is not None:
        try:
            catalog.by_id(args.endpoint)
        except KeyError:
            raise UsageError(f"--endpoint {args.endpoint}: no such endpoint in {catalog.path}; "
                             "the ids are in its 'endpoints' list") from None
    mode = "all" if args.all else args.endpoint or "undocumented"
    drafts = infer_folder.collect(args.paths, catalog, mode)
    files = infer_folder.render(drafts)
    out = Path(args.out)
    _write_drafts(out, files)
    if args.endpoint is not None:
        report.findings = _schema_diff(args.paths, args.schemas, args.endpoint)
    outcomes = sum(len(d.outcomes) for d in drafts.values())
    samples = sum(d.samples for d in drafts.values())
    report.counts = {"endpoints": len(drafts), "outcomes": outcomes, "samples": samples,
                     "files": len(files)}
    report.data = {"out": str(out), "endpoints": sorted(drafts)}
    report.text = [f"{d.id}: {d.method} {d.host}{d.path}, {d.samples} samples, outcomes "
                   f"{', '.join(o.name for o in d.outcomes.values())}"
                   for d in sorted(drafts.values(), key=lambda d: d.id)]
    what = "undocumented " if mode == "undocumented" else ""
    report.summary = (f"drafted {len(files) - 1} schema(s) for {len(drafts)} {what}endpoint(s) "
                      f"from {samples} samples into {out}; check with wyze-toolkit validate "
                      f"--schemas {out}" if drafts else
                      f"no {what}endpoint in the captures; wrote an empty catalog to {out}")
    return report


def run_diff(args: argparse.Namespace) -> Report:
    with _what_to_do(args.schemas):
        return _diff(args)


def _diff(args: argparse.Namespace) -> Report:
    for side in (args.a, args.b):
        if not find_cassettes([side]):
            raise UsageError(f"{side}: no cassettes (*.yaml, *.yml) found; pass a cassette or "
                             "a folder that holds some")
    catalog = load_catalog(args.schemas)
    changes = diff.compare(diff.summarise([args.a], catalog), diff.summarise([args.b], catalog))
    report = Report("diff")
    for change in changes:
        report.findings.append(Finding(change.where, change.message, change.as_json()))
    kinds: dict[str, int] = {}
    for change in changes:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    report.counts = {"differences": len(changes), **kinds}
    report.summary = (f"{len(changes)} difference(s) between {args.a} and {args.b}"
                      if changes else f"{args.a} and {args.b} are the same, endpoint by "
                      "endpoint and field by field")
    return report


def register(add: Subparsers) -> None:
    p = command(add, "infer", run_infer,
                "draft JSON Schemas and a catalog from captured samples")
    p.add_argument("paths", nargs="+", metavar="CAPTURES", help="cassette files or folders")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the schemas folder to write (new or empty)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--endpoint", metavar="ID",
                       help="a documented endpoint: draft it and print what its schema misses")
    which.add_argument("--all", action="store_true",
                       help="every endpoint in the captures, as if none were documented")
    p.add_argument("--schemas", metavar="DIR", default=None,
                   help="a schemas folder with catalog.yaml (default: the toolkit's own)")

    p = command(add, "diff", run_diff,
                "compare two captures endpoint by endpoint and field by field")
    p.add_argument("a", metavar="A", help="a cassette or a folder (the old one)")
    p.add_argument("b", metavar="B", help="a cassette or a folder (the new one)")
    p.add_argument("--schemas", metavar="DIR", default=None,
                   help="a schemas folder with catalog.yaml, to name endpoints "
                        "(default: the toolkit's own)")
