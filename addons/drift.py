"""Live drift: while the capture addon records, say what the catalog and schemas do not know.

    mitmdump -s addons/capture.py -s addons/drift.py --set capture_dir=captures

Load it after ``capture.py`` (``wyze-toolkit capture`` does). Each interaction the capture
addon has just written, the redacted copy and never the live flow, is checked against the
catalog and the schemas (:mod:`wyzeproto.schema.drift_live`): an unknown endpoint, a new
HTTP status or outcome, a field no schema names, a type that differs. One log line per
distinct finding the first time it is seen, a summary at exit, and ``<cassette>.drift.json``
beside the cassette, rewritten whenever something new turns up and at exit.

Options: ``drift_check`` (default on) and ``drift_schemas`` (a schemas folder with
``catalog.yaml``; default: the toolkit's own).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

from mitmproxy import ctx, exceptions, hooks, http

from wyzeproto.mitmdump import no_other_hooks
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.drift_live import DriftChecker, DriftLog
from wyzeproto.schema.store import SchemaError

log = logging.getLogger(__name__)
OPTIONS = frozenset({"drift_check", "drift_schemas"})
# Interactions are checked in batches: one check alone, between two flows, finds the schema
# validators' memory cold and costs several times what it does in a loop; 16 back to back
# cost about half as much per flow in `make bench`. A finding is logged at most DELAY
# seconds after its flow, at once when 16 flows are waiting, and at exit.
BATCH = 16
DELAY = 0.5
Recorded = tuple[str, int, dict[str, Any], tuple[Any, ...]]  # capture's last_recorded


def report_path(cassette: str) -> str:
    """``captures/x.yaml`` -> ``captures/x.drift.json``."""
    root, ext = os.path.splitext(cassette)
    return (root if ext in (".yaml", ".yml") else cassette) + ".drift.json"


class Drift:
    def __init__(self) -> None:
        self.checker: DriftChecker | None = None
        self.log = DriftLog()
        self.cassette: str | None = None
        self.seen: tuple[str, int] | None = None
        self.pending: list[Recorded] = []
        self.timer: asyncio.TimerHandle | None = None

    def load(self, loader: Any) -> None:
        loader.add_option("drift_check", bool, True,
                          "Check each recorded interaction against the catalog and schemas.")
        loader.add_option("drift_schemas", str, "",
                          "Schemas folder with catalog.yaml for drift_check "
                          "(default: the toolkit's own).")

    def configure(self, updated: set[str]) -> None:
        if not updated & OPTIONS:
            return
        self.flush()  # what waits is checked as it was asked for
        if not ctx.options.drift_check:
            self.checker = None
            return
        folder = ctx.options.drift_schemas or None
        try:
            checker = DriftChecker(load_catalog(folder))
            checker.compile()
        except (SchemaError, OSError) as exc:
            raise exceptions.OptionsError(f"drift_schemas: {exc}") from None
        self.checker = checker

    def response(self, flow: http.HTTPFlow) -> None:
        capture = ctx.master.addons.get("capture")
        last = getattr(capture, "last_recorded", None)
        if self.checker is None or last is None or last[:2] == self.seen:
            return  # nothing new was recorded for this flow
        self.seen = last[:2]
        self.pending.append(last)
        if len(self.pending) >= BATCH:
            self.flush()
        elif self.timer is None:
            try:
                self.timer = asyncio.get_running_loop().call_later(DELAY, self.flush)
            except RuntimeError:  # no event loop to wait in: at once
                self.flush()

    def flush(self) -> None:
        """Check every interaction waiting, in the order recorded."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        pending, self.pending = self.pending, []
        for last in pending:
            self._check(last)

    def _check(self, last: Recorded) -> None:
        assert self.checker is not None  # configure() empties the batch before a change
        cassette, index, interaction, parsed = last
        if cassette != self.cassette:
            self._finish()
            self.cassette, self.log = cassette, DriftLog()
        try:
            found = self.checker.check(interaction, parsed)
        except Exception as exc:  # a checker bug must never cost the capture
            log.error("drift: %s::interaction %d: not checked: %s: %s", cassette, index,
                      type(exc).__name__, exc)
            return
        new = self.log.add(index, found)
        for drift in new:
            log.warning("drift: %s::interaction %d::%s", cassette, index, drift.line())
        if new:
            self._write()

    def _write(self) -> None:
        if self.cassette is None:
            return
        path = report_path(self.cassette)
        try:
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                json.dump(self.log.as_json(self.cassette), handle, indent=2, sort_keys=True)
                handle.write("\n")
            os.replace(path + ".tmp", path)
        except OSError as exc:
            log.error("drift: %s: report not written: %s; check the folder", path,
                      exc.strerror or exc)

    def _finish(self) -> None:
        if self.cassette is None:
            return
        self._write()
        log.info("drift: %s: %s (report: %s)", self.cassette, self.log.summary(),
                 report_path(self.cassette))

    def done(self) -> None:
        self.flush()
        self._finish()


addons = [Drift()]
no_other_hooks(globals(), hooks.all_hooks)
