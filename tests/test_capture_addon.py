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


def test_flows_are_recorded_in_batches_at_most_delay_seconds_after_they_finish(
        tmp_path: Path) -> None:
    from addons import capture as capture_module

    capture = Capture()
    cassette = tmp_path / "s.yaml"
    counts: list[int] = []
    handed: list[int] = []
    capture.listeners.append(lambda batch: handed.append(len(batch)))

    def on_disk() -> int:
        return len(load_cassette(cassette).interactions) if cassette.exists() else 0

    async def run() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            _send(capture, _flow(APP, "/one"))
            counts.append(on_disk())  # waits for its batch
            await asyncio.sleep(capture_module.DELAY + 0.3)
            counts.append(on_disk())  # the batch's time is up, the proxy still runs
            _send(capture, *[_flow(APP, f"/n{i}") for i in range(capture_module.BATCH)])
            counts.append(on_disk())  # a full batch is recorded at once
            _send(capture, _flow(APP, "/last"))
            capture.done()  # and what waits, at exit
            counts.append(on_disk())

    asyncio.run(run())
    assert counts == [0, 1, 1 + capture_module.BATCH, 2 + capture_module.BATCH]
    assert handed == [1, capture_module.BATCH, 1]
    paths = [i["request"]["uri"].split("/", 3)[3] for i in load_cassette(cassette).interactions]
    assert paths == ["one", *[f"n{i}" for i in range(capture_module.BATCH)], "last"]


def test_a_big_body_is_recorded_at_once_and_a_failing_listener_costs_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from addons import capture as capture_module

    capture = Capture()
    cassette = tmp_path / "s.yaml"
    counts: list[int] = []

    def broken(batch: list[Any]) -> None:
        raise RuntimeError("a reader's bug")

    capture.listeners.append(broken)
    big = json.dumps({"access_token": TOKEN, "blob": "x" * capture_module.BATCH_BYTES}).encode()

    async def run() -> None:
        with taddons.context(capture) as tctx, caplog.at_level(logging.ERROR):
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            _send(capture, _flow(APP, "/small"), _flow(APP, "/big", body=big))
            counts.append(len(load_cassette(cassette).interactions))  # not held back
            _send(capture, _flow(APP, "/after"))
            capture.done()
            counts.append(len(load_cassette(cassette).interactions))

    asyncio.run(run())
    assert counts == [2, 3]
    assert caplog.text.count("failed on a batch: RuntimeError") == 2
    assert "a reader's bug" not in caplog.text


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


@pytest.mark.parametrize(("option", "value", "says"), [
    ("capture_redact", "maybe", "capture_redact=maybe: give true or false"),
    ("capture_max_body", "abc", "capture_max_body=abc: give a whole number of bytes"),
    ("capture_max_body", "-5", "capture_max_body=-5: give a positive number of bytes"),
    ("capture_dirr", "x", "capture_dirr: no such option; did you mean capture_dir?"),
])
def test_a_bad_set_value_or_a_mistyped_option_is_an_error_at_start(
        option: str, value: str, says: str, caplog: pytest.LogCaptureFixture) -> None:
    deferred = {option: [value], "other_addon_option": ["1"]}
    with caplog.at_level(logging.ERROR):
        Capture.check_deferred(deferred)
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        f"capture: --set {says}; fix it and start again (nothing is recorded)"]
    assert deferred == {"other_addon_option": ["1"]}  # mitmproxy would drop it silently


def test_an_unwritable_capture_dir_is_one_error_line_at_start_and_refused_later(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            with caplog.at_level(logging.ERROR):
                tctx.configure(capture, capture_dir=str(blocked / "sub"))
            assert capture.recorder is None  # nothing to record into: mitmdump stops
            errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
            assert len(errors) == 1 and "capture_dir: " in errors[0]
            assert "cannot write there" in errors[0]
            tctx.configure(capture, capture_dir=str(tmp_path / "ok"))
            capture.running()
            with pytest.raises(exceptions.OptionsError, match="capture_dir: .*cannot write"):
                tctx.configure(capture, capture_dir=str(blocked / "sub"))

    _in_loop(case)


def test_the_summary_names_upstream_failures_and_unwritten_flows(tmp_path: Path) -> None:
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            failed = _flow(APP)
            failed.response = None
            from mitmproxy import flow as mflow
            failed.error = mflow.Error("connection refused")
            capture.requestheaders(failed)
            capture.error(failed)
            assert capture.recorder is not None
            summary = capture.recorder.summary()
            assert "1 flow(s) failed upstream, e.g. api.wyzecam.com: connection refused" in summary

    _in_loop(case)


def test_a_full_disk_and_a_redaction_error_are_logged_and_counted_never_the_flow(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    capture = Capture()
    summary: list[str] = []

    def case() -> None:
        with taddons.context(capture) as tctx, caplog.at_level(logging.ERROR):
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="s")
            recorder = capture.recorder
            assert recorder is not None

            def full(interaction: Any) -> None:
                raise OSError(28, "No space left on device")

            def broken(interaction: Any) -> Any:
                raise ValueError(f"cannot redact {TOKEN}")  # a message holding the secret

            recorder.writer.append = full  # type: ignore[method-assign]
            _send(capture, _flow(APP))
            capture.flush()
            assert recorder.redactor is not None
            recorder.redactor.interaction_json = broken  # type: ignore[method-assign]
            _send(capture, _flow(APP))
            capture.flush()
            summary.append(recorder.summary())

    _in_loop(case)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"capture: NOT recorded POST {APP}: {tmp_path / 's.yaml'}: No space left on device",
        f"capture: NOT recorded POST {APP}: ValueError"]
    assert TOKEN not in caplog.text
    assert "1 flow(s) could not be written, e.g. " in summary[0]
    assert "1 flow(s) could not be recorded" in summary[0]


def test_an_unredacted_cassette_is_marked_and_fails_the_linter(tmp_path: Path) -> None:
    from wyzeproto.redact import lint
    capture = Capture()

    def case() -> None:
        with taddons.context(capture) as tctx:
            tctx.configure(capture, capture_dir=str(tmp_path), capture_name="p",
                           capture_redact=False)
            _send(capture, _flow(APP))
            capture.done()

    _in_loop(case)
    (interaction,) = load_cassette(tmp_path / "p.yaml").interactions
    assert lint.secret_findings(interaction) == [("request.headers", lint.UNREDACTED_WHAT)]


@pytest.mark.slow
def test_tls_handshakes_a_real_client_refuses_are_counted_in_the_summary(
        mitmdump_factory: Any, standin: Any, tmp_path: Path) -> None:
    # A real mitmdump with the addon on loopback; a real client (requests) that does not trust
    # the proxy's CA, as a phone without the mitm.it certificate installed.
    import requests

    port = standin.base_url.rsplit(":", 1)[1].rstrip("/")
    proxy = mitmdump_factory([
        "-s", "addons/capture.py", "--set", f"capture_dir={tmp_path / 'captures'}",
        "--set", "capture_name=untrusted", "--set", "flow_detail=0",
        "--map-remote", f"|^https://[^/]+/|http://127.0.0.1:{port}/"])
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"https": proxy.proxy_url}
    for _ in range(2):
        with pytest.raises(requests.exceptions.SSLError):
            session.post("https://api.wyzecam.com/app/v2/home_page/get_object_list", json={},
                         timeout=10)  # verify=True: the system CAs, not mitmproxy's
    log = proxy.stop()
    assert "capture: nothing recorded" in log, log
    assert "2 TLS handshake(s) refused by the client (api.wyzecam.com): install and trust " \
           "the mitmproxy CA (http://mitm.it)" in log, log
    assert not (tmp_path / "captures" / "untrusted.yaml").exists()


@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/2.0"])
@pytest.mark.parametrize("method", ["GET", "POST", "CONNECT"])
@pytest.mark.parametrize("host_header", [None, "api.wyzecam.com", "api.wyzecam.com:8443",
                                         "bücher.example", "[::1]:443"])
def test_the_kept_url_prefix_gives_what_pretty_url_gives(
        version: str, method: str, host_header: str | None) -> None:
    from addons.capture import _pretty_url

    for scheme, port in (("https", 443), ("http", 80), ("https", 8443)):
        for path in ("/app/v2/home_page/get_object_list", "/a?ts=1&sc=x", "*", "", "/b"):
            flow = tflow.tflow()
            request = flow.request
            request.http_version, request.method = version, method
            request.scheme, request.host, request.port = scheme, "10.0.0.1", port
            request.path = path
            if host_header is None:
                request.headers.pop("Host", None)
            else:
                request.headers["Host"] = host_header
            if version == "HTTP/2.0":
                request.authority = host_header or ""
            # twice: the first call keeps the prefix, the second uses it
            assert _pretty_url(request) == request.pretty_url
            assert _pretty_url(request) == request.pretty_url
