"""The live drift addon beside the capture addon: one log line per distinct finding, a report
beside the cassette, all from the redacted copy."""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest

from addons.capture import Capture
from addons.drift import Drift, report_path
from tests.harness import small_schemas

with warnings.catch_warnings():  # mitmproxy's test harness pulls in ldap3, which warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import taddons, tflow

EMAIL = "made.up.person@example.com"  # made up; a value the redactor must replace


def _flow(body: dict[str, Any], path: str = small_schemas.PATH) -> Any:
    flow = tflow.tflow(resp=True)
    flow.request.scheme, flow.request.host, flow.request.port = "https", small_schemas.HOST, 443
    flow.request.method, flow.request.path = "POST", path
    flow.request.headers["Host"] = small_schemas.HOST
    flow.request.content = json.dumps({"access_token": "lvtx.madeup", "ts": 1}).encode()
    flow.response.headers["Content-Type"] = "application/json"
    flow.response.content = json.dumps(body).encode()
    return flow


def _session(tmp_path: Path, bodies: list[tuple[dict[str, Any], str]]) -> Path:
    capture, drift = Capture(), Drift()
    schemas = small_schemas.build(tmp_path / "schemas")

    async def run() -> None:
        with taddons.context(capture, drift) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            tctx.configure(drift, drift_schemas=str(schemas))
            for body, path in bodies:
                flow = _flow(body, path)
                capture.requestheaders(flow)
                capture.response(flow)
            capture.done()
            drift.done()

    asyncio.run(run())
    return tmp_path / "s.yaml"


OK = {"code": "1", "data": {"widget_count": 1}}
NEW = {"code": "1", "data": {"widget_count": 1, "contact": EMAIL}}


def test_each_distinct_finding_is_logged_once_and_summarised_at_exit(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="addons.drift")
    _session(tmp_path, [(NEW, small_schemas.PATH)] * 3 + [(OK, "/app/v2/made_up_new_call")])
    lines = [r.getMessage() for r in caplog.records if r.name == "addons.drift"]
    assert sum("$.data.contact: field no schema names" in line for line in lines) == 1
    assert sum("endpoint not in the catalog" in line for line in lines) == 1
    assert any("2 distinct finding(s) in 4 interaction(s)" in line for line in lines)


def test_the_report_beside_the_cassette_has_indexes_and_kinds_but_no_secret(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    cassette = _session(tmp_path, [(OK, small_schemas.PATH), (NEW, small_schemas.PATH),
                                   (NEW, small_schemas.PATH)])
    report = json.loads(Path(report_path(str(cassette))).read_text())
    [finding] = report["findings"]
    assert finding["path"] == "$.data.contact"
    assert finding["seen"] == "string (email placeholder)"  # checked after redaction
    assert (finding["first_interaction"], finding["last_interaction"]) == (1, 2)
    everything = Path(report_path(str(cassette))).read_text() + caplog.text
    assert EMAIL not in everything and "made.up.person" not in everything


def test_a_broken_schemas_folder_is_an_options_error_naming_the_option(tmp_path: Path) -> None:
    from mitmproxy import exceptions

    drift = Drift()

    async def run() -> None:
        with taddons.context(drift) as tctx, pytest.raises(exceptions.OptionsError,
                                                           match="drift_schemas"):
            tctx.configure(drift, drift_schemas=str(tmp_path / "nowhere"))

    asyncio.run(run())


def test_the_report_name_sits_beside_the_cassette() -> None:
    assert report_path("captures/ios-3.1.yaml") == "captures/ios-3.1.drift.json"


def test_the_capture_command_loads_live_drift_after_the_capture_addon(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from wyzeproto.cli import proxies
    from wyzeproto.cli.main import execute

    seen: list[list[str]] = []
    monkeypatch.setattr(proxies, "run_mitmdump", lambda args: seen.append(args) or 0)
    assert execute(["capture", "--dir", str(tmp_path)]) == 0
    scripts = [arg for before, arg in zip(seen[0], seen[0][1:], strict=False) if before == "-s"]
    assert [Path(s).name for s in scripts] == ["capture.py", "drift.py"]


def test_a_finding_is_logged_soon_after_its_flow_not_only_at_exit(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from addons import capture as capture_module

    caplog.set_level(logging.INFO, logger="addons.drift")
    capture, drift = Capture(), Drift()
    schemas = small_schemas.build(tmp_path / "schemas")
    logged: list[list[str]] = []

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records if "field no schema names" in r.getMessage()]

    async def run() -> None:
        with taddons.context(capture, drift) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            tctx.configure(drift, drift_schemas=str(schemas))
            flow = _flow(NEW)
            capture.requestheaders(flow)
            capture.response(flow)
            logged.append(lines())  # checked in a batch: not yet
            await asyncio.sleep(capture_module.DELAY + 0.3)
            logged.append(lines())  # the batch's time is up, the proxy still runs
            for _ in range(capture_module.BATCH):  # a full batch is checked at once
                flow = _flow(NEW, "/app/v2/made_up_new_call")
                capture.requestheaders(flow)
                capture.response(flow)
            logged.append([r.getMessage() for r in caplog.records
                           if "endpoint not in the catalog" in r.getMessage()])
            capture.done()
            drift.done()

    asyncio.run(run())
    assert [len(found) for found in logged] == [0, 1, 1]


def test_live_drift_without_the_capture_addon_says_it_checks_nothing(
        caplog: pytest.LogCaptureFixture) -> None:
    drift = Drift()

    async def run() -> None:
        with taddons.context(drift), caplog.at_level(logging.WARNING):
            drift.running()

    asyncio.run(run())
    assert "drift: no capture addon is loaded, so nothing is checked" in caplog.text
