"""The subcommands that run something until Ctrl-C: ``capture``, ``serve-proxy``, ``serve``,
``standin``; and ``addon-path`` for people who start mitmproxy themselves.

``capture`` and ``serve-proxy`` start the mitmdump of this Python environment with one of the
toolkit's addons; anything after ``--`` goes to mitmdump as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from wyzeproto import resources
from wyzeproto.cassette.files import CassetteError
from wyzeproto.cli.parsing import Subparsers, command
from wyzeproto.cli.report import UsageError
from wyzeproto.constants import DEFAULT_HOSTS
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.mitmdump import MITMDUMP

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def mitmdump_path() -> str:
    found = str(MITMDUMP) if MITMDUMP.is_file() else shutil.which("mitmdump")
    if not found:
        raise UsageError(f"{MITMDUMP}: mitmdump not found there or on PATH; install mitmproxy "
                         "into this environment (pip install 'mitmproxy>=11.0.2')")
    return found


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is out of range (0-65535)")
    return port


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bytes") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{number}: give a positive number of bytes")
    return number


def run_mitmdump(args: list[str]) -> ExitStatus | int:
    """Run mitmdump in the foreground; Ctrl-C (or SIGTERM) stops it gracefully, and its exit
    status is ours."""
    proc = subprocess.Popen([mitmdump_path(), *args])
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.send_signal(signal.SIGINT))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)  # addons' done() writes the summary and closes files
        return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _listen(args: argparse.Namespace) -> list[str]:
    return ["--listen-host", args.listen_host, "--listen-port", str(args.port)]


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _ca_path(mitmdump_args: list[str]) -> Path:
    confdir = "~/.mitmproxy"
    for before, arg in zip(mitmdump_args, mitmdump_args[1:], strict=False):
        if before == "--set" and arg.startswith("confdir="):
            confdir = arg.partition("=")[2]
    return Path(confdir).expanduser() / "mitmproxy-ca-cert.pem"


def capture_banner(args: argparse.Namespace) -> str:
    """What a person needs before pointing a phone at the proxy."""
    name = f"{args.name}.yaml" if args.name else "session-<UTC start time>.yaml"
    hosts = ", ".join(args.hosts or DEFAULT_HOSTS)
    proxy = f"{args.listen_host}:{args.port}"
    return (f"capture: recording to {Path(args.dir) / name}\n"
            f"capture: hosts recorded: {hosts}\n"
            f"capture: proxy on {proxy}; CA certificate: {_ca_path(args.mitmdump_args)}\n"
            f"capture: on the phone, set the Wi-Fi proxy to {proxy}, open http://mitm.it, "
            "install the certificate and trust it (iOS: Settings > General > About > "
            "Certificate Trust Settings); Ctrl-C ends the session and prints a summary")


def run_capture(args: argparse.Namespace) -> ExitStatus | int:
    if args.name is not None and not _NAME.fullmatch(args.name):
        raise UsageError(f"--name {args.name!r}: a cassette name is letters, digits, '.', '_' "
                         "and '-' (no spaces or '/'), e.g. --name ios-3.1-login")
    sets = [f"capture_dir={args.dir}"]
    if args.name:
        sets.append(f"capture_name={args.name}")
    if args.hosts:
        sets.append(f"capture_hosts={','.join(args.hosts)}")
    if args.max_body is not None:
        sets.append(f"capture_max_body={args.max_body}")
    # mitmdump's own line per flow prints the real URL (tokens in queries, ids in paths);
    # the capture addon prints the redacted one instead. -- --set flow_detail=1 brings it back.
    sets.append("flow_detail=0")
    options = [part for value in sets for part in ("--set", value)]
    print(capture_banner(args), file=sys.stderr, flush=True)
    drift = ["-s", str(resources.addon_path("drift"))]  # after capture: it reads what was written
    return run_mitmdump([*_listen(args), "-s", str(resources.addon_path("capture")), *drift,
                         *options, *args.mitmdump_args])


def run_serve_proxy(args: argparse.Namespace) -> ExitStatus | int:
    options = [f"serve_captures={':'.join(args.captures)}", "connection_strategy=lazy",
               "upstream_cert=false", f"serve_repeat={args.repeat}"]
    if args.strict_client_fields:
        options.append("serve_strict_client_fields=true")
    if args.session:
        options.append(f"serve_session={args.session}")
    sets = [part for value in options for part in ("--set", value)]
    return run_mitmdump([*_listen(args), "-s", str(resources.addon_path("serve")), *sets,
                         *args.mitmdump_args])


def run_serve(args: argparse.Namespace) -> ExitStatus:
    # The asyncio server: imported only when asked for.
    from replay.server import log, serve_forever
    from wyzeproto.match.matcher import Index, Matcher, MatchOptions
    from wyzeproto.redact.pseudonym import load_key

    try:
        index = Index.load(args.captures, MatchOptions(args.strict_client_fields, args.repeat))
    except (CassetteError, FileNotFoundError) as exc:
        raise UsageError(f"{exc}; give a cassette file or a folder of cassettes") from None
    try:
        matcher = Matcher(index, load_key(), args.session, on_login=log.info)
    except ValueError as exc:
        raise UsageError(f"--session: {exc}") from None
    if args.host not in LOOPBACK:
        print(f"{args.host}: listening beyond loopback, as asked with --host", file=sys.stderr)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # how a server is meant to stop: exit 0
            serve_forever(index, args.host, args.port, ", ".join(args.captures), matcher)
    except OSError as exc:  # a port in use, a host that does not resolve or is not ours
        raise UsageError(f"{args.host}:{args.port}: cannot listen ({exc.strerror or exc}); "
                         "pick another --host or --port") from None
    return ExitStatus.OK


def run_standin(args: argparse.Namespace) -> ExitStatus:
    from standin.server import StandIn

    cloud = StandIn.from_yaml(args.state)
    try:
        base_url = cloud.start(port=args.port, tls=args.tls, host=args.host,
                               verbose=args.verbose)
    except OSError as exc:
        raise UsageError(f"{args.host}:{args.port}: cannot listen ({exc.strerror or exc}); "
                         "pick another --port") from None
    print(f"wyze stand-in listening on {base_url}", flush=True)
    if cloud.cert_path is not None:
        print(f"certificate: {cloud.cert_path}", flush=True)
    print(f"made-up accounts from {args.state}; Ctrl-C stops it", flush=True)
    done = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: done.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        done.wait()  # Ctrl-C or SIGTERM is how a server is meant to stop: exit 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        cloud.stop()
    return ExitStatus.OK


def run_addon_path(args: argparse.Namespace) -> ExitStatus:
    print(resources.addon_path(args.addon))
    return ExitStatus.OK


def _proxy_options(parser: argparse.ArgumentParser, default_port: int) -> None:
    parser.add_argument("--listen-host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for a phone)")
    parser.add_argument("--port", type=_port, default=default_port,
                        help=f"port to listen on (default {default_port})")
    parser.add_argument("mitmdump_args", nargs="*", metavar="-- MITMDUMP_ARGS",
                        help="after --: passed to mitmdump as they are")


def _session_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--session", metavar="NAME",
                        help="answer every login from this cassette (name with or without "
                             ".yaml) instead of choosing by the login's credentials")


def register(add: Subparsers) -> None:
    from standin.state import DEFAULT_STATE_PATH
    from wyzeproto.match.matcher import REPEAT_MODES

    p = command(add, "capture", run_capture,
                "record Wyze traffic through mitmdump into a redacted cassette", reports=False)
    p.add_argument("--dir", default="captures", help="folder for the cassette (default captures)")
    p.add_argument("--name", help="cassette name without .yaml (default session-<UTC time>)")
    p.add_argument("--hosts", nargs="+", metavar="HOST",
                   help=f"hosts to record (default: {', '.join(DEFAULT_HOSTS)})")
    p.add_argument("--max-body", type=_positive, metavar="BYTES",
                   help="record bodies above this size truncated (default 1000000)")
    _proxy_options(p, 8080)

    p = command(add, "serve-proxy", run_serve_proxy,
                "mitmdump answering Wyze hosts from cassettes (never forwards)", reports=False)
    p.add_argument("--captures", action="append", required=True, metavar="PATH",
                   help="cassette file or folder (repeatable)")
    p.add_argument("--repeat", choices=REPEAT_MODES, default="last",
                   help="after the recorded answers to a request are used up (default last)")
    p.add_argument("--strict-client-fields", action="store_true",
                   help="make sc/sv/app_ver/app_version/app_name/phone_system_type decide")
    _session_option(p)
    _proxy_options(p, 8080)

    p = command(add, "serve", run_serve,
                "plain HTTP on 127.0.0.1 answering from cassettes (never forwards)",
                reports=False)
    p.add_argument("captures", nargs="+", metavar="PATH", help="cassette files or folders")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; anything else exposes the "
                        "recordings to the network)")
    p.add_argument("--port", type=_port, default=8080, help="port (default 8080)")
    p.add_argument("--repeat", choices=REPEAT_MODES, default="last",
                   help="after the recorded answers to a request are used up (default last)")
    p.add_argument("--strict-client-fields", action="store_true",
                   help="make sc/sv/app_ver/app_version/app_name/phone_system_type decide")
    _session_option(p)

    p = command(add, "standin", run_standin,
                "the stand-in Wyze cloud on loopback, with made-up accounts", reports=False)
    p.add_argument("--port", type=_port, default=0, help="port (default 0: a free one)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed cert")
    p.add_argument("--state", type=Path, default=DEFAULT_STATE_PATH, metavar="FILE",
                   help="YAML state: accounts and devices (default: the built-in made-up one)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")

    p = command(add, "addon-path", run_addon_path,
                "print the file to pass to mitmdump -s for one of the addons", reports=False)
    p.add_argument("addon", choices=resources.ADDON_NAMES)
