"""The pytest plugin: wyze-sdk and wyzeapy, unmodified (not even patched: the fixtures answer
the real Wyze host names), against ``wyze_standin`` and ``wyze_replay`` (made-up accounts of
standin/default_state.yaml; nothing leaves 127.0.0.1)."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from standin.scenarios import default_state_dict
from wyzeproto.cassette.files import load_cassette, write_cassette
from wyzeproto.pytest_plugin import Credentials, ReplayHandle, StandInHandle

pytest_plugins = ["pytester"]
wyze_sdk = pytest.importorskip("wyze_sdk")
wyzeapy = pytest.importorskip("wyzeapy")
ROOT = Path(__file__).resolve().parent.parent
PLUG, CAMERA = "7C78B2E5A40C", "D03F27B81C5A"
SDK_SESSION = ROOT / "tests" / "cassettes" / "replay" / "sdk_session.yaml"
RECORDED_PLUG = "0000B2C3D4E5"  # the made-up plug of sdk_session.yaml
CAMERA_RECORDED = "0000A1B2C3D4"  # and its made-up camera


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
        assert [d.mac for d in client.devices_list()] == ["D03F2790C1E4"]

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


def test_a_client_that_resolves_a_name_beyond_the_wyze_hosts_fails_the_test_naming_it(
        pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import socket
        def test_it(wyze_standin):
            socket.getaddrinfo("example.org", 443)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*wyze_standin: the client tried to resolve example.org*"])


async def _wyzeapy_device_ids(who: Any) -> list[str]:
    client = await wyzeapy.Wyzeapy.create()
    await client.login(who.email, who.password, who.key_id, who.api_key)
    return list(await client.unique_device_ids)


@pytest.fixture(params=["aiodns", "threaded"])
def aiohttp_resolver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """aiohttp's default resolver (aiodns, installed here) and the one it uses without
    aiodns (getaddrinfo in a thread): the Wyze names must resolve to the fixture with both."""
    import aiohttp.connector
    import aiohttp.resolver

    if request.param == "threaded":
        monkeypatch.setattr(aiohttp.connector, "DefaultResolver",
                            aiohttp.resolver.ThreadedResolver)
    return str(request.param)


def test_wyzeapy_unmodified_logs_in_and_lists_devices_at_the_real_host_names(
        aiohttp_resolver: str, wyze_standin: StandInHandle) -> None:
    devices = asyncio.run(_wyzeapy_device_ids(wyze_standin.credentials))
    assert PLUG in devices and CAMERA in devices


@pytest.mark.slow
def test_wyzeapy_unmodified_reaches_the_standin_through_the_fixtures_proxy(
        wyze_standin: StandInHandle) -> None:
    from wyzeproto.wyze_names import route_wyze_hosts

    with route_wyze_hosts(proxy=wyze_standin.proxy_url, ca=wyze_standin.ca_path):
        devices = asyncio.run(_wyzeapy_device_ids(wyze_standin.credentials))
    assert PLUG in devices and CAMERA in devices
    log = wyze_standin._proxy.stop()
    assert "/app/v2/home_page/get_object_list" in log and "<< 200" in log, log  # via mitmdump


def test_wyze_sdk_without_a_base_url_reaches_the_standin_at_the_real_host_names(
        wyze_standin: StandInHandle) -> None:
    who = wyze_standin.credentials
    client = wyze_sdk.Client(email=who.email, password=who.password, key_id=who.key_id,
                             api_key=who.api_key)
    assert {d.mac for d in client.devices_list()} >= {PLUG, CAMERA}


@pytest.fixture
def wyze_replay_cassettes() -> list[str]:
    return [str(ROOT / "tests" / "cassettes" / "replay" / "sdk_session.yaml")]


def test_wyze_sdk_logs_in_and_lists_a_recorded_sessions_devices(
        wyze_replay: ReplayHandle) -> None:
    client = wyze_sdk.Client(email="anyone@example.com", password="any", key_id="any-id",
                             api_key="any-key", base_url=f"{wyze_replay.base_url}/")
    assert client.devices_list()


def test_wyzeapy_unmodified_lists_a_recorded_sessions_devices(wyze_replay: ReplayHandle
                                                              ) -> None:
    who = Credentials("anyone@example.com", "any", "any-id", "any-key")
    assert sorted(asyncio.run(_wyzeapy_device_ids(who))) == [CAMERA_RECORDED, RECORDED_PLUG]


def two_device_lists(folder: Path) -> list[str]:
    """sdk_session.yaml's login and device list, then the same list answered again with the
    plug offline (made up from the made-up cassette): answers that differ only by order."""
    login, listing = load_cassette(SDK_SESSION).interactions[:2]
    offline = copy.deepcopy(listing)
    answer = json.loads(offline["response"]["body"]["string"])
    for device in answer["data"]["device_list"]:
        device["conn_state"] = 0 if device["mac"] == RECORDED_PLUG else device["conn_state"]
    offline["response"]["body"]["string"] = json.dumps(answer)
    write_cassette(folder / "two_lists.yaml", [login, listing, offline])
    return [str(folder / "two_lists.yaml")]


class TestTwoClientsAtOnce:
    @pytest.fixture
    def wyze_replay_cassettes(self, tmp_path: Path) -> list[str]:
        return two_device_lists(tmp_path)

    def test_two_wyze_sdk_clients_logged_in_at_once_each_walk_the_session_in_order(
            self, wyze_replay: ReplayHandle) -> None:
        same = {"email": "anyone@example.com", "password": "any", "key_id": "any-id",
                "api_key": "any-key", "base_url": f"{wyze_replay.base_url}/"}
        first, second = wyze_sdk.Client(**same), wyze_sdk.Client(**same)

        def plug_online(client: Any) -> bool:
            return bool({d.mac: d.is_online for d in client.devices_list()}[RECORDED_PLUG])

        assert [plug_online(first), plug_online(second), plug_online(second),
                plug_online(first)] == [True, True, False, False]
        assert first._token != second._token  # tokens of their own, not the recorded one


def test_a_module_shares_one_standin_and_state_carries_over(
        wyze_standin_module: StandInHandle) -> None:
    wyze_standin_module.take_offline(CAMERA)
    assert wyze_standin_module.cloud.state.devices[CAMERA].online is False


def test_the_second_test_of_the_module_sees_the_same_standin(
        wyze_standin_module: StandInHandle) -> None:
    assert wyze_standin_module.cloud.state.devices[CAMERA].online is False
