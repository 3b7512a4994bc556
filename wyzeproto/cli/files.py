"""The subcommands that convert files: ``import`` (HAR, Charles -> a redacted cassette) and
``export`` (cassettes -> HAR 1.2)."""

from __future__ import annotations

import argparse
import json

from wyzeproto.capture.har_export import to_har
from wyzeproto.capture.importer import import_files
from wyzeproto.cassette.files import CassetteError, Interaction, find_cassettes, load_cassette
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.report import Finding, Report, UsageError


def run_import(args: argparse.Namespace) -> Report:
    recorder = import_files(args.files, args.out, args.host)
    report = Report("import", summary=recorder.summary())
    report.counts = {"recorded": recorder.recorded, "failed": recorder.failed,
                     "other_hosts": sum(recorder.skipped.values())}
    if not recorder.recorded:
        report.findings.append(Finding(args.out, f"{recorder.summary()}; check --host and the "
                                       "files", {"file": args.out}))
    return report


def run_export(args: argparse.Namespace) -> Report:
    names = find_cassettes(args.paths)
    if not names:
        raise UsageError(f"{', '.join(args.paths)}: no cassettes (*.yaml, *.yml) found; pass "
                         "cassette files or folders that hold some")
    interactions: list[Interaction] = []
    for name in names:  # all or nothing: a HAR missing one cassette would mislead
        try:
            interactions += load_cassette(name).interactions
        except CassetteError as exc:
            raise UsageError(f"{exc}; fix or leave out that file") from None
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(to_har(interactions), handle, indent=1)
    return Report("export", summary=f"{len(interactions)} interaction(s) from {len(names)} "
                  f"cassette(s) written to {args.out}",
                  counts={"cassettes": len(names), "interactions": len(interactions)})


def register(add: Subparsers) -> None:
    p = command(add, "import", run_import,
                "redact HAR and Charles (.chlsj) sessions into a new cassette")
    p.add_argument("files", nargs="+", help="HAR (.har) or Charles (.chlsj) files")
    p.add_argument("--out", required=True, help="the cassette to write (must not exist)")
    p.add_argument("--host", action="append", metavar="PATTERN",
                   help="host pattern to keep (repeatable; default: the Wyze hosts)")

    p = command(add, "export", run_export, "write cassettes as one HAR 1.2 file")
    p.add_argument("paths", nargs="+", help="cassette files or folders")
    p.add_argument("--out", required=True, help="the HAR file to write")
