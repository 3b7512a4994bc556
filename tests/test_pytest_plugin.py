"""The pytest plugin: wyze-sdk and wyzeapy, unmodified, against ``wyze_standin`` and
``wyze_replay`` (made-up accounts of standin/default_state.yaml; nothing leaves 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from standin.scenarios import default_state_dict
from wyzeproto.pytest_plugin import ReplayHandle, StandInHandle

pytest_plugins = ["pytester"]
wyze_sdk = pytest.importorskip("wyze_sdk")
ROOT = Path(__file__).resolve().parent.parent
PLUG, CAMERA = "0000A1B2C3D6", "0000A1B2C3D2"


def test_wyze_sdk_logs_in_and_lists_devices_at_the_base_url(
        wyze_standin: StandInHandle) -> None:
    client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())
    assert {d.mac for d in client.devices_list()} >= {PLUG, CAMERA}


@pytest.mark.slow
def test_wyze_sdk_reads_properties_and_runs_an_action_through_the_fixtures_proxy(
        wyze_standin: StandInHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in wyze_standin.proxy_env().items():  # requests reads these
        monkeypatch.setenv(name, value)
    who = wyze_standin.credentials
    client = wyze_sdk.Client(email=who.email, password=who.password, key_id=who.key_id,
                             api_key=who.api_key)  # the real hosts, mapped to the stand-in
    client.cameras.turn_off(device_mac=CAMERA, device_model="HL_CAM4")  # run_action
    from wyze_sdk.service import ApiServiceClient

    props = ApiServiceClient(token=client._token).get_device_property_list(
        mac=CAMERA, model="HL_CAM4")["data"]["property_list"]
    assert {p["pid"]: p["value"] for p in props}["P3"] == "0"


def test_an_expired_token_is_refused_until_the_client_refreshes(
        wyze_standin: StandInHandle) -> None:
    client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())
    wyze_standin.expire_tokens()
    with pytest.raises(wyze_sdk.errors.WyzeApiError, match="2001"):
        client.devices_list()
    client.refresh_token()
    assert client.devices_list()


def test_a_device_taken_offline_is_listed_offline(wyze_standin: StandInHandle) -> None:
    wyze_standin.take_offline(PLUG)
    client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())
    plug = next(d for d in client.devices_list() if d.mac == PLUG)
    assert plug.is_online is False


def test_a_locked_account_cannot_log_in(wyze_standin: StandInHandle) -> None:
    wyze_standin.lock_account()
    with pytest.raises(requests.HTTPError):
        wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())


class TestScenarios:
    @pytest.fixture
    def wyze_standin_state(self) -> dict[str, Any]:
        state = default_state_dict(app_limit=3)
        state["accounts"][1]["mfa"]["on_api_key_login"] = True
        return state

    def test_an_mfa_login_completes_with_the_made_up_totp_key(
            self, wyze_standin: StandInHandle) -> None:
        client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs(mfa=True))
        assert [d.mac for d in client.devices_list()] == ["0000B2B2B2D1"]

    def test_a_rate_limited_call_is_refused_with_code_1011(
            self, wyze_standin: StandInHandle) -> None:
        client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())
        for _ in range(3):
            client.devices_list()
        with pytest.raises(wyze_sdk.errors.WyzeApiError, match="1011"):
            client.devices_list()


def test_a_client_that_reaches_beyond_loopback_fails_the_test_naming_the_host(
        pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import socket
        def test_it(wyze_standin):
            socket.create_connection(("192.0.2.1", 443), timeout=1)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*wyze_standin: the client tried to reach 192.0.2.1*"])


WYZEAPY_DRIVER = """
import asyncio, json, sys, aiohttp, wyzeapy.wyze_auth_lib as lib
from wyzeapy import Wyzeapy
# aiohttp ignores proxy variables unless trust_env=True (the project's one-line shim).
lib._create_client_session = lambda: aiohttp.ClientSession(trust_env=True, connector=\\
    aiohttp.TCPConnector(ssl=lib.get_ssl_context()))
async def main():
    client = await Wyzeapy.create()
    await client.login(*sys.argv[1:5])
    print(json.dumps(sorted(await client.unique_device_ids)))
asyncio.run(main())
"""


def _wyzeapy(env: dict[str, str], *login: str | None) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run([sys.executable, "-c", WYZEAPY_DRIVER, *map(str, login)],
                          env={**clean, **env}, capture_output=True, text=True, timeout=90,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_wyzeapy_logs_in_and_lists_devices_through_the_fixtures_proxy(
        wyze_standin: StandInHandle) -> None:
    who = wyze_standin.credentials
    devices = _wyzeapy(wyze_standin.proxy_env(), who.email, who.password, who.key_id,
                       who.api_key)
    assert PLUG in devices and CAMERA in devices


@pytest.fixture
def wyze_replay_cassettes() -> list[str]:
    return [str(ROOT / "tests" / "cassettes" / "replay" / "sdk_session.yaml")]


def test_wyze_sdk_logs_in_and_lists_a_recorded_sessions_devices(
        wyze_replay: ReplayHandle) -> None:
    client = wyze_sdk.Client(email="anyone@example.com", password="any", key_id="any-id",
                             api_key="any-key", base_url=f"{wyze_replay.base_url}/")
    assert client.devices_list()


def test_a_module_shares_one_standin_and_state_carries_over(
        wyze_standin_module: StandInHandle) -> None:
    wyze_standin_module.take_offline(CAMERA)
    assert wyze_standin_module.cloud.state.devices[CAMERA].online is False


def test_the_second_test_of_the_module_sees_the_same_standin(
        wyze_standin_module: StandInHandle) -> None:
    assert wyze_standin_module.cloud.state.devices[CAMERA].online is False
