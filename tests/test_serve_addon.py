"""The serve addon: unit-tested in mitmproxy's test harness, then with real mitmdump and the
unmodified wyze-sdk and wyzeapy clients, which log in and list the cassette's devices."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mitmproxy import exceptions

from addons.serve import Serve
from wyzeproto.cassette.files import load_cassette, write_cassette

with warnings.catch_warnings():  # mitmproxy's test harness pulls in ldap3, which warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import taddons, tflow

ROOT = Path(__file__).resolve().parent.parent
SDK = str(ROOT / "tests" / "cassettes" / "replay" / "sdk_session.yaml")
DEVICES = ["0000A1B2C3D4", "0000B2C3D4E5"]


def _flow(path: str, body: dict[str, Any], host: str = "api.wyzecam.com") -> Any:
    flow = tflow.tflow()
    flow.request.scheme, flow.request.host, flow.request.port = "https", host, 443
    flow.request.method, flow.request.path = "POST", path
    flow.request.content = json.dumps(body).encode()
    return flow


def _in_loop(case: Callable[[], None]) -> None:
    """Run inside an event loop that is closed afterwards (taddons otherwise leaks one)."""

    async def run() -> None:
        case()

    asyncio.run(run())


def test_a_recorded_request_is_answered_from_the_cassette_without_upstream() -> None:
    serve = Serve()
    flow = _flow("/app/v2/home_page/get_object_list",
                 {"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b", "ts": 5})

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=SDK)
            serve.request(flow)

    _in_loop(case)
    assert flow.response is not None and flow.response.status_code == 200
    assert [d["mac"] for d in flow.response.json()["data"]["device_list"]] == DEVICES


def test_a_miss_and_a_foreign_host_get_an_explicit_404_never_forwarded() -> None:
    serve = Serve()
    miss = _flow("/app/v2/home_page/get_object_list", {"access_token": ""})
    foreign = _flow("/search", {}, host="example.com")

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=SDK)
            serve.request(miss)
            serve.request(foreign)

    _in_loop(case)
    assert miss.response.status_code == 404
    assert miss.response.json()["closest"]["where"].endswith("interaction 1")
    assert foreign.response.status_code == 404


def test_a_bad_captures_path_is_an_options_error_naming_the_option(tmp_path: Path) -> None:
    serve = Serve()

    def case() -> None:
        with taddons.context(serve) as tctx, pytest.raises(exceptions.OptionsError,
                                                           match="^serve_captures: "):
            tctx.configure(serve, serve_captures=str(tmp_path / "missing.yaml"))

    _in_loop(case)


def test_over_all_reference_cassettes_a_plain_login_gets_tokens_not_an_mfa_challenge(
        caplog: pytest.LogCaptureFixture) -> None:
    serve = Serve()
    login = _flow("/api/user/login", {"email": "me@example.com",
                                      "password": "7f5f74be86aa53a4abffeeeb0a3c2750"},
                  host="auth-prod.api.wyze.com")
    flows = []

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=str(ROOT / "captures"))
            serve.request(login)
            token = login.response.json()["access_token"]
            flows.append(_flow("/app/v2/home_page/get_object_list",
                               {"access_token": token, "ts": 1}))
            serve.request(flows[0])

    caplog.set_level("INFO")
    _in_loop(case)
    answer = login.response.json()
    assert answer["access_token"] and not answer.get("mfa_options")
    assert flows[0].response.status_code == 200, flows[0].response.text
    line = next(r.getMessage() for r in caplog.records if "login answered" in r.getMessage())
    assert "rule: plain login" in line and "other sessions that could have: " in line


def test_two_clients_logged_in_at_once_get_tokens_of_their_own_and_answers_in_order(
        tmp_path: Path) -> None:
    # The session's device list twice: answered as recorded, then (made up) the plug offline.
    login, listing = load_cassette(SDK).interactions[:2]
    offline = copy.deepcopy(listing)
    offline["response"]["body"]["string"] = offline["response"]["body"]["string"].replace(
        '"mac":"0000B2C3D4E5"', '"mac":"0000B2C3D4E5","offline":true')
    write_cassette(tmp_path / "two_lists.yaml", [login, listing, offline])
    same = {"email": "me@example.com", "password": "7f5f74be86aa53a4abffeeeb0a3c2750"}
    serve = Serve()
    logins = [_flow("/api/user/login", same, host="auth-prod.api.wyze.com") for _ in "ab"]
    seen: list[tuple[int, bool]] = []

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=str(tmp_path))
            for flow in logins:
                serve.request(flow)
            for client in (0, 1, 1, 0):
                token = logins[client].response.json()["access_token"]
                listing = _flow("/app/v2/home_page/get_object_list",
                                {"access_token": token, "ts": 1})
                serve.request(listing)
                assert listing.response.status_code == 200, listing.response.text
                seen.append((client, '"offline":true' in listing.response.text))

    _in_loop(case)
    tokens = [f.response.json()["access_token"] for f in logins]
    assert tokens[0] != tokens[1] and "REDACTED_access_token_1a2b3c4d5e6f7a8b" not in tokens
    assert seen == [(0, False), (1, False), (1, True), (0, True)]


def test_an_unknown_serve_session_is_an_options_error_listing_the_sessions() -> None:
    serve = Serve()

    def case() -> None:
        with taddons.context(serve) as tctx, pytest.raises(
                exceptions.OptionsError, match=r"^serve_session: .*sessions: sdk_session.yaml"):
            tctx.configure(serve, serve_captures=SDK, serve_session="nope")

    _in_loop(case)


def test_without_captures_every_request_is_refused_with_502() -> None:
    serve = Serve()
    flow = _flow("/app/v2/home_page/get_object_list", {})

    def case() -> None:
        with taddons.context(serve):
            serve.request(flow)

    _in_loop(case)
    assert flow.response.status_code == 502


def test_every_answer_is_a_response_of_its_own_that_another_addon_may_edit() -> None:
    serve = Serve()
    body = {"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b", "ts": 5}
    first, second = (_flow("/app/v2/home_page/get_object_list", body) for _ in range(2))

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=SDK)
            serve.request(first)
            first.response.headers["X-Edited"] = "by another addon"
            first.response.content = b"{}"
            serve.request(second)

    _in_loop(case)
    assert "X-Edited" not in second.response.headers
    assert [d["mac"] for d in second.response.json()["data"]["device_list"]] == DEVICES
    # What mitmproxy's own constructor accepts (it type-checks every field) and writes back.
    copied = type(second.response).from_state(second.response.get_state())
    assert copied.get_state() == second.response.get_state()
    assert second.response.timestamp_start >= first.response.timestamp_start


def test_the_host_header_names_the_host_and_an_encoded_body_is_decoded() -> None:
    import gzip

    serve = Serve()
    flow = _flow("/app/v2/home_page/get_object_list",
                 {"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"}, host="10.0.0.1")
    flow.request.headers["Host"] = "api.wyzecam.com"
    zipped = _flow("/app/v2/home_page/get_object_list",
                   {"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"})
    zipped.request.headers["Content-Encoding"] = "gzip"
    zipped.request.raw_content = gzip.compress(zipped.request.raw_content)
    foreign = _flow("/app/v2/home_page/get_object_list",
                    {"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"})
    # A recorded host that never served this path: the Host header, not the connection, counts.
    foreign.request.headers["Host"] = "auth-prod.api.wyze.com"

    def case() -> None:
        with taddons.context(serve) as tctx:
            tctx.configure(serve, serve_captures=SDK)
            for each in (flow, zipped, foreign):
                serve.request(each)

    _in_loop(case)
    assert flow.response.status_code == 200
    assert zipped.response.status_code == 200
    assert foreign.response.status_code == 404


# Each driver runs the client as it ships: route_wyze_hosts sends the Wyze names through the
# proxy (argv[1], a CONNECT tunnel) and trusts its CA (argv[2]); no proxy variable is set.
WYZE_SDK_DRIVER = """
import json, sys
from wyze_sdk import Client
from wyzeproto.wyze_names import route_wyze_hosts
with route_wyze_hosts(proxy=sys.argv[1], ca=sys.argv[2]):
    client = Client(email="anyone@example.com", password="any", key_id="any-id",
                    api_key="any-key")
    print(json.dumps(sorted(d.mac for d in client.devices_list())))
"""

WYZEAPY_DRIVER = """
import asyncio, json, sys
from wyzeapy import Wyzeapy
from wyzeproto.wyze_names import route_wyze_hosts
async def main():
    client = await Wyzeapy.create()
    await client.login("someone@example.org", "other", "id2", "key2")
    print(json.dumps(sorted(await client.unique_device_ids)))
with route_wyze_hosts(proxy=sys.argv[1], ca=sys.argv[2]):
    asyncio.run(main())
"""


def _through_proxy(driver: str, proxy: Any) -> list[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run([sys.executable, "-c", driver, proxy.proxy_url, proxy.ca_cert],
                          env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_wyze_sdk_and_wyzeapy_log_in_and_list_the_cassettes_devices_through_mitmdump(
    mitmdump_factory: Any,
) -> None:
    proxy = mitmdump_factory(["-s", str(ROOT / "addons" / "serve.py"),
                              "--set", f"serve_captures={SDK}"])
    assert _through_proxy(WYZE_SDK_DRIVER, proxy) == DEVICES
    assert _through_proxy(WYZEAPY_DRIVER, proxy) == DEVICES
    log = proxy.stop()
    assert "server connect" not in log and "establishing server connection" not in log
    assert log.count("<< 200 OK") == 4
