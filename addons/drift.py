"""Live drift: while the capture addon records, say what the catalog and schemas do not know.

    mitmdump -s addons/capture.py -s addons/drift.py --set capture_dir=captures

Load it after ``capture.py`` (``wyze-toolkit capture`` does). Each batch of interactions the
capture addon has just written (see its ``BATCH`` and ``DELAY``: a finding is logged at most
half a second after its flow, and at exit), the redacted copy and never the live flow, is
checked against the catalog and the schemas (:mod:`wyzeproto.schema.drift_live`): an
unknown endpoint, a new HTTP status or outcome, a field no schema names, a type that
differs. One log line per distinct finding the first time it is seen, a summary at exit, and
``<cassette>.drift.json`` beside the cassette, rewritten whenever something new turns up and
at exit.

Options: ``drift_check`` (default on) and ``drift_schemas`` (a schemas folder with
``catalog.yaml``; default: the toolkit's own).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from mitmproxy import ctx, exceptions, hooks

from wyzeproto.capture.recorder import Recorded
from wyzeproto.mitmdump import no_other_hooks
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.drift_live import DriftChecker, DriftLog
from wyzeproto.schema.store import SchemaError

log = logging.getLogger(__name__)
OPTIONS = frozenset({"drift_check", "drift_schemas"})
# Checked batch by batch as the capture addon records them: one check alone, between two
# flows, finds the schema validators' memory cold and costs several times what it does in a
# loop.


def report_path(cassette: str) -> str:
    """``captures/x.yaml`` -> ``captures/x.drift.json``."""
    root, ext = os.path.splitext(cassette)
    return (root if ext in (".yaml", ".yml") else cassette) + ".drift.json"


class Drift:
    def __init__(self) -> None:
        self.checker: DriftChecker | None = None
        self.log = DriftLog()
        self.cassette: str | None = None

    def load(self, loader: Any) -> None:
        loader.add_option("drift_check", bool, True,
                          "Check each recorded interaction against the catalog and schemas.")
        loader.add_option("drift_schemas", str, "",
                          "Schemas folder with catalog.yaml for drift_check "
                          "(default: the toolkit's own).")

    def configure(self, updated: set[str]) -> None:
        capture = self._capture()
        if not updated & OPTIONS:
            return
        if capture is not None:
            capture.flush()  # what waits is checked as it was asked for
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

    def running(self) -> None:
        if self._capture() is None:
            log.warning("drift: no capture addon is loaded, so nothing is checked; load "
                        "addons/capture.py before addons/drift.py")

    def _capture(self) -> Any:
        """The capture addon, with this one among its listeners (once)."""
        capture = ctx.master.addons.get("capture")
        listeners = getattr(capture, "listeners", None)
        if listeners is None:
            return None
        if self.take not in listeners:
            listeners.append(self.take)
        return capture

    def take(self, batch: list[Recorded]) -> None:
        """Check a batch the capture addon has just written, in the order recorded."""
        if self.checker is None:
            return
        for last in batch:
            self._check(last)

    def _check(self, last: Recorded) -> None:
        assert self.checker is not None  # take() checks only with a checker
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
        self._finish()  # the capture addon, loaded first, has handed over its last batch


addons = [Drift()]
no_other_hooks(globals(), hooks.all_hooks)
