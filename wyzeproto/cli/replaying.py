"""``replay`` (re-issue recorded logins and what follows) and ``demo`` (the whole pipeline
against the stand-in cloud)."""

from __future__ import annotations

import argparse
import io
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wyzeproto.cassette.files import CassetteError, find_cassettes
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.report import Finding, Report, UsageError
from wyzeproto.exitcodes import ExitStatus


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_replay(args: argparse.Namespace) -> Report:
    from replay.credentials import Credentials, standin_account
    from replay.runner import print_table, replay_cassette

    if args.target and not args.live and not _loopback(args.target):
        raise UsageError(f"{args.target}: not a loopback address; add --live (make: LIVE=1) "
                         "to reach a real server")
    credentials = None
    if args.live:
        try:
            credentials = Credentials.from_env(os.environ)
        except KeyError as exc:
            raise UsageError(f"--live (make: LIVE=1): {exc.args[0]}") from None
    elif args.target:
        credentials = Credentials.from_env(os.environ, required=False)
        if credentials is None:
            credentials = standin_account()
            print(f"{args.target}: no WYZE_* variables set; logging in with the stand-in's "
                  f"made-up account {credentials.email} (standin/default_state.yaml); set "
                  "WYZE_EMAIL, WYZE_PASSWORD, WYZE_KEY_ID, WYZE_API_KEY for another",
                  file=sys.stderr)
    files = find_cassettes(args.captures)
    if not files:
        raise UsageError(f"{', '.join(args.captures)}: no cassettes (*.yaml, *.yml) found; "
                         "give cassette files or folders")
    report = Report("replay")
    issued = 0
    cassettes: list[dict[str, Any]] = []
    failed = 0
    for name in files:
        try:
            rows = replay_cassette(name, args.target, args.live, credentials)
        except CassetteError as exc:
            report.unusable.append(f"{exc}; pass a VCR v1 cassette")
            continue
        table = io.StringIO()
        print_table(name, rows, table, verbose=args.verbose, problems=False)
        report.text += table.getvalue().splitlines()
        cassettes.append({"file": name, "rows": [
            {"index": r.index, "endpoint": r.endpoint, "request": r.request,
             "status": r.status, "response": r.response, "schema": r.schema,
             "problems": r.problems} for r in rows]})
        failed += sum(1 for r in rows if r.failed)
        issued += sum(1 for r in rows if r.request != "-" and not r.request.startswith("skipped"))
        for row in rows:
            shown = row.problems if args.verbose else row.problems[:5]
            for problem in shown:  # "request: json.x: ..." -> where ...::request, what json.x: ...
                side, _, what = problem.partition(": ")
                report.findings.append(Finding(f"{name}::interaction {row.index}::{side}", what,
                                               {"file": name, "interaction": row.index,
                                                "side": side}))
            if len(shown) < len(row.problems):
                report.findings.append(Finding(
                    f"{name}::interaction {row.index}",
                    f"... and {len(row.problems) - len(shown)} more (-v shows all)",
                    {"file": name, "interaction": row.index}))
    report.data = {"cassettes": cassettes}
    report.counts = {"cassettes": len(files), "reissued": issued, "mismatches": failed,
                     "unusable": len(report.unusable)}
    report.summary = (f"{len(files)} cassette(s), {issued} request(s) re-issued, "
                      f"{failed} mismatch(es)"
                      + (f", {len(report.unusable)} unusable cassette(s)" if report.unusable
                         else ""))
    return report


def run_demo(args: argparse.Namespace) -> Report | ExitStatus:
    from demo.run import run

    progress = sys.stdout if args.format == "text" else sys.stderr
    summary = run(Path(args.out), lambda text: print(text, file=progress, flush=True))
    if args.format == "text":
        return ExitStatus.OK if summary["passed"] else ExitStatus.FINDINGS
    report = Report("demo", data=summary,
                    summary=f"{'PASSED' if summary['passed'] else 'FAILED'}")
    report.findings = [Finding(f"step {step['name']}", step["detail"])
                       for step in summary["steps"] if not step["ok"]]
    if not summary["passed"] and not report.findings:
        report.findings.append(Finding("checks", "the cassette checks failed (see stderr)"))
    return report


def register(add: Subparsers) -> None:
    p = command(add, "replay", run_replay,
                "re-issue every recorded login and what follows, offline; compare the answers")
    p.add_argument("captures", nargs="*", default=["captures"],
                   help="cassette files or folders (default: captures)")
    p.add_argument("--target", metavar="URL",
                   help="re-issue against this server (loopback unless --live)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    p.add_argument("--live", action="store_true",
                   help="allow the real Wyze cloud (credentials from WYZE_* variables)")

    p = command(add, "demo", run_demo,
                "the whole pipeline against a local stand-in cloud: capture, check, replay")
    p.add_argument("--out", default="demo-output", help="output folder (default demo-output)")
