"""How every subcommand is declared: its parser, its shared options, the function it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from wyzeproto.cli.report import FORMATS

Subparsers = Any  # argparse's _SubParsersAction, private in typeshed


def command(add: Subparsers, name: str, run: Callable[..., Any], summary: str,
            reports: bool = True) -> argparse.ArgumentParser:
    """Add subcommand ``name``; ``run(args)`` returns a Report (``reports``) or an exit status."""
    parser: argparse.ArgumentParser = add.add_parser(name, help=summary, description=summary)
    parser.set_defaults(run=run, command=name, reports=reports, format="text")
    # SUPPRESS: a --debug given before the subcommand must survive the subparser's defaults.
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an unexpected error")
    if reports:
        parser.add_argument("--format", choices=FORMATS, default="text",
                            help="text for people (default) or json for machines")
    return parser
