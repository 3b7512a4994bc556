"""``stream-info``: per camera, what a client would open its live feed with (docs/streams.md)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from wyzeproto.cassette.files import find_cassettes
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.replaying import _loopback
from wyzeproto.cli.report import Report, UsageError

# Sent to a cassette's replay server, which accepts any login where it recorded placeholders.
MADE_UP_EMAIL = "stream-info@example.invalid"


@contextlib.contextmanager
def _where(args: argparse.Namespace) -> Iterator[tuple[str | None, str]]:
    """(base URL or None for the real cloud, what it is), for the life of the command."""
    if args.live:
        yield None, "the real Wyze cloud (--live)"
    elif args.target:
        yield args.target, args.target
    else:
        from replay.server import running

        files = find_cassettes(args.captures)
        if not files:
            raise UsageError(f"{', '.join(args.captures)}: no cassettes (*.yaml, *.yml) found; "
                             "give a cassette, --target URL or --live")
        with running(files) as url:
            yield url, f"{', '.join(args.captures)} (replay server on {url})"


def _credentials(args: argparse.Namespace) -> Any:
    from replay.credentials import Credentials, standin_account

    if args.live:
        try:
            return Credentials.from_env(os.environ)
        except KeyError as exc:
            raise UsageError(f"--live: {exc.args[0]}") from None
    found = Credentials.from_env(os.environ, required=False)
    if found is not None:
        return found
    if args.target:
        print(f"{args.target}: no WYZE_* variables set; logging in with the stand-in's made-up "
              "account (standin/default_state.yaml)", file=sys.stderr)
        return standin_account()
    return Credentials(MADE_UP_EMAIL, "made-up", "made-up", "made-up")


def _lines(camera: dict[str, Any]) -> list[str]:
    out = [f"{camera['mac']}  {camera['model']}  {camera['nickname']}  "
           f"({camera['generation']})"]
    for name in ("tutk", "webrtc", "lake", "gwell"):
        info = camera[name]
        if not info:
            continue
        servers = info.get("ice_servers")
        shown = ", ".join(f"{k}={v}" for k, v in info.items() if k != "ice_servers")
        out.append(f"    {name}: {shown}")
        for server in servers or ():
            out.append("      ice: " + ", ".join(f"{k}={v}" for k, v in server.items()))
    out += [f"    note: {note}" for note in camera["notes"]]
    return out


def run_stream_info(args: argparse.Namespace) -> Report:
    from replay.client import WyzeClient
    from replay.results import WyzeApiError
    from wyzeproto.streams import stream_info

    if args.target and args.live:
        raise UsageError("--target and --live: give one (--live is the real cloud)")
    if args.target and not _loopback(args.target):
        raise UsageError(f"{args.target}: not a loopback address; use --live for the real "
                         "cloud")
    credentials = _credentials(args)
    report = Report("stream-info")
    with _where(args) as (url, label), WyzeClient(base_url=url) as client:
        client.session.trust_env = False  # never a proxy from the environment
        try:
            cameras = stream_info(client, credentials)
        except WyzeApiError as exc:
            report.unusable.append(f"{label}: {exc}; check the credentials (WYZE_*) or the "
                                   "cassette's login and device list")
            report.summary = "no camera listed"
            return report
    shown = [c.as_json(args.show_secrets) for c in cameras]
    for camera in shown:
        report.text += _lines(camera)
    report.data = {"cameras": shown, "secrets_shown": bool(args.show_secrets)}
    report.counts = {"cameras": len(shown),
                     **{kind: sum(1 for c in shown if c[kind]) for kind in
                        ("tutk", "webrtc", "lake", "gwell")}}
    report.summary = (f"{len(shown)} camera(s) from {label}: "
                      + ", ".join(f"{report.counts[k]} {k}" for k in
                                  ("tutk", "webrtc", "lake", "gwell"))
                      + ("" if args.show_secrets else "; secrets masked (--show-secrets)"))
    return report


def register(add: Subparsers) -> None:
    p = command(add, "stream-info", run_stream_info,
                "per camera, what a client connects to its live feed with (docs/streams.md)")
    p.add_argument("captures", nargs="*", default=["captures"],
                   help="cassettes to answer from, on a loopback replay server (default: "
                        "captures)")
    p.add_argument("--target", metavar="URL",
                   help="ask this loopback server instead (the stand-in)")
    p.add_argument("--live", action="store_true",
                   help="ask the real Wyze cloud (credentials from WYZE_* variables)")
    p.add_argument("--show-secrets", action="store_true",
                   help="print enr, tokens and TURN credentials in clear")
