"""``wyze-toolkit``: one command for capture, the checks, replay, the stand-in and the demo.

Stages kept apart: parse the arguments, run the subcommand (library calls that raise plain
exceptions), print its report, and map what went wrong to an exit status, here and only
here: 0 ok, 1 findings, 2 unusable input or usage, 130 interrupted. An error is one line
(where, what, what to do); ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

import yaml

from wyzeproto import __version__
from wyzeproto.capture.importer import CaptureFileError
from wyzeproto.cassette.files import CassetteError
from wyzeproto.cli import checks, files, proxies, replaying, research, streams
from wyzeproto.cli.report import Report, UsageError, emit
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.schema.reference_cassettes import BuildError
from wyzeproto.schema.store import SchemaError

PROG = "wyze-toolkit"

# Exceptions whose message already says where and what: printed as they are.
_UNUSABLE: tuple[type[BaseException], ...] = (
    UsageError, CassetteError, SchemaError, CaptureFileError, BuildError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Capture, document, validate and replay the Wyze cloud API.",
        epilog="Exit status: 0 ok, 1 findings, 2 unusable input or usage, 130 interrupted. "
               f"'{PROG} COMMAND --help' describes each command.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an unexpected error")
    add = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in (proxies, files, checks, replaying, research, streams):
        module.register(add)
    return parser


def _hint(exc: OSError) -> str:
    if exc.filename is None and (isinstance(exc, ConnectionError)
                                 or type(exc).__module__.startswith(("requests", "urllib3"))):
        # requests' errors are OSErrors too, but they are about a server, not a file.
        return (f"cannot reach the server: {' '.join(str(exc).split())}; is it running, "
                "and are the address and port right?")
    where = exc.filename if exc.filename is not None else "a file"
    return f"{where}: {exc.strerror or exc}; check the path and its permissions"


def _standin_errors() -> tuple[type[BaseException], ...]:
    try:
        from standin.state import StateError
    except ImportError:  # pragma: no cover - the stand-in ships with the toolkit
        return ()
    return (StateError,)


def execute(argv: Sequence[str] | None = None) -> int:
    """Run one command line; returns the exit status (never raises, but for SystemExit)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        outcome = args.run(args)
        if isinstance(outcome, Report):
            return int(emit(outcome, args.format))
        return int(outcome)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except (*_UNUSABLE, *_standin_errors()) as exc:
        message = str(exc)
    except FileExistsError as exc:
        message = f"{exc.filename}: already exists; pick another name or remove it"
    except OSError as exc:
        message = _hint(exc)
    except yaml.YAMLError as exc:
        message = f"broken YAML: {' '.join(str(exc).split())}"
    except Exception as exc:  # a bug: say so in one line; --debug shows where
        if debug:
            traceback.print_exc()
        print(f"{PROG} {args.command}: unexpected "
              f"{type(exc).__name__}: {exc}; rerun with --debug and report it", file=sys.stderr)
        return ExitStatus.UNUSABLE
    if debug:
        traceback.print_exc()
    print(message, file=sys.stderr)
    return ExitStatus.UNUSABLE


def main() -> None:
    sys.exit(execute())


if __name__ == "__main__":
    main()
