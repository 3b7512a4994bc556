"""What a subcommand found, and the two ways it is printed: text for people, JSON for machines.

Every reporting subcommand returns one :class:`Report`; ``--format`` picks the printer. The
JSON keys are stable (README, "Machine-readable output")::

    {"command": "validate", "ok": false, "exit_status": 1, "summary": "...",
     "counts": {"interactions": 15, ...},
     "findings": [{"where": "a.yaml::interaction 3::response", "message": "...", ...}],
     "unusable": ["b.yaml: broken YAML ..."], ...command-specific keys}

Text goes to stdout (findings, tables) and stderr (unusable inputs and the summary line), so
``wyze-toolkit validate captures > findings.txt`` keeps only the findings.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import IO, Any

from wyzeproto.exitcodes import ExitStatus

FORMATS = ("text", "json")


class UsageError(Exception):
    """The command line asks for something that cannot be done. ``str()`` says where and what."""


@dataclass
class Finding:
    """One thing wrong: where (file, interaction, location, JSON path), then what."""

    where: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)  # command-specific, stable keys

    def line(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_json(self) -> dict[str, Any]:
        return {**self.extra, "where": self.where, "message": self.message}


@dataclass
class Report:
    command: str
    summary: str = ""
    findings: list[Finding] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)  # human-only output (tables), text format
    data: dict[str, Any] = field(default_factory=dict)  # command-specific JSON keys
    findings_fail: bool = True  # drift without --strict reports findings and exits 0

    @property
    def status(self) -> ExitStatus:
        if self.unusable:
            return ExitStatus.UNUSABLE
        if self.findings and self.findings_fail:
            return ExitStatus.FINDINGS
        return ExitStatus.OK

    def as_json(self) -> dict[str, Any]:
        return {
            **self.data,
            "command": self.command,
            "ok": self.status == ExitStatus.OK,
            "exit_status": int(self.status),
            "summary": self.summary,
            "counts": self.counts,
            "findings": [f.as_json() for f in self.findings],
            "unusable": self.unusable,
        }


def emit(report: Report, fmt: str, out: IO[str] | None = None,
         err: IO[str] | None = None) -> ExitStatus:
    """Print ``report`` in ``fmt`` and return its exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    if fmt == "json":
        print(json.dumps(report.as_json(), indent=2, sort_keys=True), file=out)
        return report.status
    for line in report.text:
        print(line, file=out)
    for finding in report.findings:
        print(finding.line(), file=out)
    for line in report.unusable:
        print(line, file=err)
    if report.summary:
        print(f"{report.command}: {report.summary}", file=err)
    return report.status
