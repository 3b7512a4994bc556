"""The checking subcommands: ``validate``, ``lint``, ``drift`` and ``docs``.

Each turns its arguments into library calls and the results into a :class:`Report`; the
library functions stay importable and free of printing.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from wyzeproto.cassette.files import CassetteError, dump_cassette, find_cassettes, load_cassette
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.report import Finding, Report
from wyzeproto.redact import lint
from wyzeproto.schema import docs, drift, reference_cassettes
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.store import check_store
from wyzeproto.schema.validate import finding_parts, validate_paths

NO_CASSETTES = ("no cassettes (*.yaml, *.yml) found; pass a cassette file or a folder that "
                "holds some")


def _cassettes(paths: list[str], report: Report) -> list[str]:
    names = find_cassettes(paths)
    if not names:
        report.unusable.append(f"{', '.join(paths)}: {NO_CASSETTES}")
    special = [n for n in names if os.path.exists(n) and not os.path.isfile(n)]
    for name in special:  # /dev/zero would be read for ever
        report.unusable.append(f"{name}: not a regular file; pass a cassette file or a folder")
    return [n for n in names if n not in special]


def run_validate(args: argparse.Namespace) -> Report:
    started = time.perf_counter()
    report = Report("validate")
    catalog = load_catalog(args.schemas)
    broken = check_store(catalog.store)
    if broken:  # the documentation itself is broken: nothing can be judged against it
        report.unusable += [f"{line}; fix the schema or catalog" for line in broken]
        return report
    result = validate_paths(args.paths, catalog, args.allow_undocumented)
    report.unusable += result.unusable
    for name, index, problem in result.findings:
        for where, message in finding_parts(name, index, problem, args.verbose):
            report.findings.append(Finding(where, message, {
                "file": name, "interaction": index, "location": problem.location,
                "path": problem.path, "endpoint": problem.endpoint,
                "outcome": problem.outcome,
                "more": [{"path": p, "message": m} for p, m in problem.rest]}))
            if not args.verbose:
                break
    bad = len({(n, i) for n, i, _ in result.findings})
    report.counts = {"files": result.files, "interactions": result.interactions,
                     "valid": result.interactions - bad, "with_findings": bad,
                     "undocumented": result.undocumented}
    report.summary = (
        f"checked {result.interactions} interactions in {result.files} cassettes in "
        f"{time.perf_counter() - started:.2f} s: {result.interactions - bad} valid, "
        f"{bad} with findings"
        + (f", {result.undocumented} undocumented" if result.undocumented else "")
        + (f", {len(result.unusable)} unusable files" if result.unusable else ""))
    return report


def run_lint(args: argparse.Namespace) -> Report:
    report = Report("lint")
    checked = files = 0
    for name in _cassettes(args.paths, report):
        try:
            interactions = load_cassette(name).interactions
        except CassetteError as exc:
            report.unusable.append(f"{exc}; pass a VCR v1 cassette")
            continue
        files += 1
        for index, interaction in enumerate(interactions):
            problem = lint.shape_problem(interaction)
            if problem:
                report.unusable.append(f"{name}::interaction {index}: {problem}; pass a VCR v1 "
                                       "cassette")
                continue
            checked += 1
            for location, what in dict.fromkeys(lint.secret_findings(interaction)):
                report.findings.append(Finding(f"{name}::interaction {index}::{location}", what,
                                               {"file": name, "interaction": index,
                                                "location": location}))
    report.counts = {"files": files, "interactions": checked, "findings": len(report.findings)}
    report.summary = (
        f"{len(report.findings)} possible secret(s) in {checked} interaction(s); redact them "
        "(wyze-toolkit capture and import redact by default) before committing"
        if report.findings else f"{checked} interaction(s) checked, no secrets found")
    if report.unusable:
        report.summary += f"; {len(report.unusable)} file(s) could not be read (above)"
    return report


def run_drift(args: argparse.Namespace) -> Report:
    report = Report("drift", findings_fail=args.strict)
    catalog = load_catalog(args.schemas)
    seen: Counter[tuple[str, str, str]] = Counter()
    for name in _cassettes(args.paths, report):
        try:
            seen += drift.drift([name], catalog)
        except CassetteError as exc:
            report.unusable.append(f"{exc}; pass a VCR v1 cassette")
    for (endpoint, side, path), count in sorted(seen.items()):
        report.findings.append(Finding(f"{endpoint}::{side}::{path}",
                                       f"not in the schema ({count}x)",
                                       {"endpoint": endpoint, "side": side, "path": path,
                                        "count": count}))
    report.counts = {"undocumented_fields": len(seen)}
    report.summary = (f"{len(seen)} undocumented field(s); document them in schemas/"
                      if seen else "every field seen is documented")
    if report.unusable:
        report.summary += f"; {len(report.unusable)} file(s) could not be read (above)"
    return report


def run_docs(args: argparse.Namespace) -> Report:
    """Regenerate (or, with --check, compare) the reference cassettes and docs/."""
    report = Report("docs")
    catalog = load_catalog(args.schemas)
    cassettes = reference_cassettes.build(catalog)
    reference = Path(args.reference_out)
    wanted = {reference / name: dump_cassette(items) for name, items in cassettes.items()}
    wanted[reference / "README.md"] = reference_cassettes.readme(catalog, cassettes)
    # docs/ takes its examples from the reference cassettes just built, so write those first.
    if not args.check:
        for path, text in wanted.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    out = Path(args.out)
    rendered = docs.render(args.schemas, args.captures)
    docs_wanted = {out / name: text for name, text in rendered.items()}
    stale = docs.stale_files([*wanted, *docs_wanted], reference, out)
    if args.check:
        wanted.update(docs_wanted)
        for path, text in wanted.items():
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                report.findings.append(Finding(str(path), "out of date; run wyze-toolkit docs "
                                               "(make docs) and commit the result",
                                               {"file": str(path)}))
        report.findings += [Finding(str(path), "generated, but no catalog entry produces it "
                                    "any more; run wyze-toolkit docs (make docs), which "
                                    "removes it, and commit the result", {"file": str(path)})
                            for path in stale]
        report.summary = (f"{len(report.findings)} of {len(wanted)} generated file(s) stale"
                          if report.findings else f"{len(wanted)} generated files are current")
        return report
    out.mkdir(parents=True, exist_ok=True)
    for path, text in docs_wanted.items():
        path.write_text(text, encoding="utf-8")
    for path in stale:
        path.unlink()
    report.counts = {"reference_cassettes": len(cassettes), "docs": len(docs_wanted),
                     "removed": len(stale)}
    report.summary = (f"wrote {len(cassettes)} reference cassettes to {reference} and "
                      f"{', '.join(str(p) for p in docs_wanted)}"
                      + (f"; removed {len(stale)} stale generated file(s): "
                         f"{', '.join(str(p) for p in stale)}" if stale else ""))
    return report


def _schemas_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--schemas", metavar="DIR", default=None,
                        help="a schemas folder with catalog.yaml (default: the toolkit's own)")


def register(add: Subparsers) -> None:
    p = command(add, "validate", run_validate, "validate cassettes against the documented API")
    p.add_argument("paths", nargs="*", default=["captures"],
                   help="cassette files or folders (default: captures)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print every error of a body, not only the best match")
    p.add_argument("--allow-undocumented", action="store_true",
                   help="accept interactions with undocumented endpoints or outcomes")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    _schemas_option(p)

    p = command(add, "lint", run_lint, "find anything in cassettes that looks like a secret")
    p.add_argument("paths", nargs="*", default=["captures"],
                   help="cassette files or folders (default: captures)")

    p = command(add, "drift", run_drift, "list fields the traffic carries that no schema names")
    p.add_argument("paths", nargs="*", default=["captures"],
                   help="cassette files or folders (default: captures)")
    p.add_argument("--strict", action="store_true", help="exit 1 when anything drifted")
    _schemas_option(p)

    p = command(add, "docs", run_docs,
                "regenerate captures/reference, docs/api.md and docs/openapi.yaml from schemas")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if a generated file is stale (CI)")
    p.add_argument("--captures", default="captures", metavar="DIR",
                   help="cassettes to take examples from (default: captures)")
    p.add_argument("--out", default="docs", metavar="DIR", help="docs folder (default: docs)")
    p.add_argument("--reference-out", default=reference_cassettes.DEFAULT_OUT, metavar="DIR",
                   help=f"reference cassettes folder (default: {reference_cassettes.DEFAULT_OUT})")
    _schemas_option(p)
