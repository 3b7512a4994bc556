"""The capture addon in mitmproxy's test harness: options changed while it runs.

Only a new path starts a new cassette; a host filter or body limit changed mid-session applies
to the running cassette, and redaction never changes inside one."""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mitmproxy import exceptions

from addons.capture import Capture
from wyzeproto.cassette.files import load_cassette

with warnings.catch_warnings():  # mitmproxy's test harness pulls in ldap3, which warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import taddons, tflow

APP = "api.wyzecam.com"
AUTH = "auth-prod.api.wyze.com"
TOKEN = "lvtx.Zm9vYmFyYmF6cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8"


def _flow(host: str, path: str = "/app/user/get_user_info", body: bytes | None = None) -> Any:
    flow = tflow.tflow(resp=True)
    flow.request.scheme, flow.request.host, flow.request.port = "https", host, 443
    flow.request.method, flow.request.path = "POST", path
    flow.request.headers["Host"] = host
    flow.request.content = body if body is not None else json.dumps(
        {"access_token": TOKEN, "ts": 1}).encode()
    flow.response.content = b'{"code":"1","msg":"","data":{}}'
    return flow


def _send(capture: Capture, *flows: Any) -> None:
    for flow in flows:
        capture.requestheaders(flow)
        capture.response(flow)


def _in_loop(case: Callable[[], None]) -> None:
    """Run inside an event loop that is closed afterwards (taddons otherwise leaks one)."""

    async def run() -> None:
        case()

    asyncio.run(run())


def _hosts(path: Path) -> list[str]:
    return [i["request"]["uri"].split("/")[2] for i in load_cassette(path).interactions]


@pytest.mark.parametrize("name", ["session", ""], ids=["named", "default-named"])
def test_changing_capture_hosts_mid_session_keeps_one_cassette_and_applies_at_once(
        tmp_path: Path, name: str) -> None:
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name=name,
                           capture_hosts=[APP])
            _send(capture, _flow(APP), _flow(AUTH, "/api/user/login"))
            tctx.configure(capture, capture_hosts=[AUTH])
            _send(capture, _flow(APP), _flow(AUTH, "/api/user/login"))
            capture.done()

    _in_loop(case)
    files = sorted(tmp_path.glob("*.yaml"))
    assert len(files) == 1, files
    if name:
        assert files[0].name == "session.yaml"
    assert _hosts(files[0]) == [APP, AUTH]


def test_changing_capture_max_body_applies_to_the_running_cassette(tmp_path: Path) -> None:
    capture = Capture()
    big = json.dumps({"access_token": TOKEN, "note": "x" * 300}).encode()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            _send(capture, _flow(APP, body=big))
            tctx.configure(capture, capture_max_body=100)
            _send(capture, _flow(APP, body=big))
            capture.done()

    _in_loop(case)
    first, second = load_cassette(tmp_path / "s.yaml").interactions
    assert "truncated" not in first["request"]["body"]
    assert "[wyze-toolkit: body truncated, 100 of" in second["request"]["body"]


def test_a_new_capture_name_starts_a_new_cassette_and_closes_the_old(tmp_path: Path) -> None:
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="one")
            _send(capture, _flow(APP))
            tctx.configure(capture, capture_name="two")
            _send(capture, _flow(AUTH, "/api/user/login"))
            capture.done()

    _in_loop(case)
    assert _hosts(tmp_path / "one.yaml") == [APP]
    assert _hosts(tmp_path / "two.yaml") == [AUTH]


def test_redaction_cannot_be_turned_off_inside_a_cassette_that_holds_interactions(
        tmp_path: Path) -> None:
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="shared")
            _send(capture, _flow(APP))
            with pytest.raises(exceptions.OptionsError, match="^capture_redact: .*shared.yaml"):
                tctx.configure(capture, capture_redact=False)
            assert tctx.options.capture_redact is True  # rolled back
            _send(capture, _flow(APP))
            tctx.configure(capture, capture_redact=False, capture_name="private")
            _send(capture, _flow(APP))
            capture.done()

    _in_loop(case)
    shared = (tmp_path / "shared.yaml").read_text()
    assert TOKEN not in shared and len(load_cassette(tmp_path / "shared.yaml").interactions) == 2
    assert TOKEN in (tmp_path / "private.yaml").read_text()


def test_redaction_may_change_before_anything_is_written_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            with caplog.at_level(logging.WARNING):
                tctx.configure(capture, capture_redact=False)
            _send(capture, _flow(APP))
            capture.done()

    _in_loop(case)
    assert "redaction is OFF" in caplog.text
    assert TOKEN in (tmp_path / "s.yaml").read_text()
