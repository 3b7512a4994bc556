"""The Wyze client, against a replay server on 127.0.0.1 answering from test cassettes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import requests

from replay.client import WyzeClient
from replay.results import MfaChallenge, Tokens, WyzeApiError
from replay.server import running
from replay.signed import nonce
from wyzeproto.envelope import APP_2018, WYZEAPY
from wyzeproto.passwords import double_md5, triple_md5
from wyzeproto.redact.placeholders import placeholder_kind

CASSETTES = Path(__file__).resolve().parent / "cassettes" / "replay"

ACCESS = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"


def is_access_token(value: str) -> bool:
    """The replay server hands each login fresh tokens shaped like the recorded ones."""
    return placeholder_kind(value) == placeholder_kind(ACCESS) is not None


def replay_server(name: str) -> AbstractContextManager[str]:
    return running([str(CASSETTES / f"{name}.yaml")])


MakeClient = Callable[..., WyzeClient]


@pytest.fixture
def new_client() -> Iterator[MakeClient]:
    """WyzeClient factory; every client (and its sockets) is closed after the test."""
    made: list[WyzeClient] = []

    def make(**kwargs: Any) -> WyzeClient:
        made.append(WyzeClient(**kwargs))
        return made[-1]

    yield make
    for client in made:
        client.close()


class Spy(requests.Session):
    """A session that keeps the JSON bodies it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict[str, str], dict]] = []

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def, override]
        self.sent.append((request.url, dict(request.headers), json.loads(request.body)))
        return super().send(request, **kwargs)


def test_password_hashes_are_lowercase_hex_md5_applied_two_or_three_times() -> None:
    assert triple_md5("hunter2") == "7f5f74be86aa53a4abffeeeb0a3c2750"
    once = hashlib.md5(b"x").hexdigest()
    assert double_md5("x") == hashlib.md5(once.encode()).hexdigest()


def test_developer_key_login_then_device_list_and_properties_are_typed(
    new_client: MakeClient,
) -> None:
    with replay_server("sdk_session") as url:
        client = new_client(base_url=url)
        tokens = client.login("me@example.com", "hunter2", key_id="kid", api_key="akey")
        assert isinstance(tokens, Tokens) and is_access_token(tokens.access_token)
        assert tokens.user_id == "000000003c4d5e6f7a8b9c0d1e2f3a4b"
        listing = client.get_object_list()
        assert [(d.mac, d.product_type) for d in listing.devices] == [
            ("0000A1B2C3D4", "Camera"), ("0000B2C3D4E5", "Plug")]
        camera = listing.devices[0]
        assert camera.is_camera and camera.device_params["p2p_id"] == "ZZZZ1A2B3C4D5E6F7A8B"
        props = client.get_property_list(camera.mac, camera.product_model)
        assert [(p.pid, p.value) for p in props] == [("P3", "1"), ("P5", "1")]


def test_login_sends_keyid_apikey_and_a_triple_md5_password(new_client: MakeClient) -> None:
    spy = Spy()
    with replay_server("sdk_session") as url:
        new_client(base_url=url, session=spy).login("me@example.com", "hunter2",
                                                    key_id="kid", api_key="akey")
    sent_url, headers, body = spy.sent[0]
    assert sent_url.endswith("/api/user/login")
    assert headers["Keyid"] == "kid" and headers["Apikey"] == "akey"
    assert headers["Host"] == "auth-prod.api.wyze.com"
    assert body == {"email": "me@example.com", "password": triple_md5("hunter2")}


def test_envelope_carries_the_build_constants_of_the_chosen_identity(
    new_client: MakeClient,
) -> None:
    spy = Spy()
    with replay_server("sdk_session") as url:
        client = new_client(base_url=url, session=spy, identity=WYZEAPY,
                            tokens=Tokens(ACCESS, "r"))
        client.get_object_list()
    body = spy.sent[0][2]
    assert body["sc"] == "9f275790cab94a72bd206c8876429f3c"
    assert body["sv"] == "9d74946e652647e9b6c9d59326aef104"
    assert body["app_ver"] == "com.hualai.WyzeCam___2.18.43"
    assert body["phone_system_type"] == "1" and body["access_token"] == ACCESS
    assert body["ts"] < 10_000_000_000  # wyzeapy writes seconds


def test_refresh_replaces_the_tokens_and_keeps_the_user_id(new_client: MakeClient) -> None:
    with replay_server("sdk_session") as url:
        client = new_client(base_url=url)
        first = client.login("me@example.com", "pw", key_id="k", api_key="a").access_token
        fresh = client.refresh()
        assert is_access_token(fresh.access_token) and fresh.access_token != first
        assert fresh.user_id == "000000003c4d5e6f7a8b9c0d1e2f3a4b"
        assert len(client.get_object_list().devices) == 2  # accepted with the new token


def test_mfa_login_returns_a_challenge_and_the_second_step_returns_tokens(
    new_client: MakeClient,
) -> None:
    spy = Spy()
    with replay_server("mfa_session") as url:
        client = new_client(base_url=url, session=spy)
        challenge = client.login("me@example.com", "pw", key_id="k", api_key="a")
        assert isinstance(challenge, MfaChallenge)
        assert challenge.mfa_options == ("TotpVerificationCode",)
        tokens = client.verify_mfa("me@example.com", "pw", mfa_type="TotpVerificationCode",
                                   verification_id=challenge.totp_app_id or "",
                                   verification_code="654321")
        assert is_access_token(tokens.access_token)
        assert client.get_object_list().devices
    verify_url, headers, body = spy.sent[1]
    assert verify_url.endswith("/user/login") and "X-API-Key" in headers
    assert body["verification_id"] == "REDACTED_app_id_6f7a8b9c0d1e2f3a"


def test_2018_login_sends_a_double_md5_password_in_the_sc_sv_envelope(
    new_client: MakeClient,
) -> None:
    spy = Spy()
    with replay_server("legacy_2018_login") as url:
        tokens = new_client(base_url=url, session=spy).login_2018("me@example.com", "pw")
    assert is_access_token(tokens.access_token)
    body = spy.sent[0][2]
    assert body["password"] == double_md5("pw") and body["user_name"] == "me@example.com"
    assert body["sc"] == APP_2018.sc and body["access_token"] == ""
    assert spy.sent[0][1]["Host"] == "api.wyzecam.com:8443"


def test_auth_host_error_raises_with_the_apis_error_code_and_description(
    new_client: MakeClient,
) -> None:
    with replay_server("errors") as url:
        client = new_client(base_url=url)
        with pytest.raises(WyzeApiError) as caught:
            client.login("me@example.com", "wrong", key_id="k", api_key="a")
    assert caught.value.code == 1000 and caught.value.status == 400
    assert "Invalid credentials" in caught.value.message


def test_app_api_error_raises_with_code_2001_and_says_to_refresh(new_client: MakeClient) -> None:
    with replay_server("errors") as url:
        client = new_client(base_url=url, tokens=Tokens(ACCESS, "r"))
        with pytest.raises(WyzeApiError) as caught:
            client.get_object_list()
    assert caught.value.code == "2001" and caught.value.is_access_token_error
    assert str(caught.value).startswith("/app/v2/home_page/get_object_list: ")


def test_a_replay_miss_surfaces_as_an_error_naming_the_closest_recording(
    new_client: MakeClient,
) -> None:
    with replay_server("sdk_session") as url:
        client = new_client(base_url=url, tokens=Tokens(ACCESS, "r"))
        with pytest.raises(WyzeApiError) as caught:
            client.get_property_list("0000A1B2C3D4", "HL_CAM4")
    assert caught.value.status == 404 and caught.value.message == "replay miss"


def test_calls_before_login_fail_with_a_hint(new_client: MakeClient) -> None:
    with pytest.raises(RuntimeError, match="not logged in"):
        new_client(base_url="http://127.0.0.1:9").get_object_list()


def _standin_device(standin: Any, model: str) -> Any:
    return next(d for d in standin.state.devices.values() if d.product_model == model)


def _standin_client(standin: Any, new_client: MakeClient) -> WyzeClient:
    from standin.scenarios import PLAIN

    client = new_client(base_url=standin.base_url)
    client.login(PLAIN.email, PLAIN.password, key_id=PLAIN.key_id or "",
                 api_key=PLAIN.api_key or "")
    return client


def test_olive_and_venus_calls_are_signed_as_the_standin_checks_them(
    standin: Any, new_client: MakeClient,
) -> None:
    client = _standin_client(standin, new_client)
    made_up = _standin_device(standin, "CO_EA1")
    thermostat = client.service_call(
        "olive_signature2", "GET", "wyze-earth-service.wyzecam.com",
        "/plugin/earth/get_iot_prop",
        query={"did": made_up.mac, "keys": "temperature", "nonce": nonce()})
    assert thermostat["code"] == 1
    assert thermostat["data"]["props"]["temperature"] == made_up.properties["temperature"]
    vacuum = client.service_call(
        "venus_signature2", "GET", "wyze-venus-service-vn.wyzecam.com",
        f"/plugin/venus/{_standin_device(standin, 'JA_RO2').mac}/status",
        query={"nonce": nonce()})
    assert vacuum["code"] == 1


def test_ford_calls_carry_a_sign_the_standin_accepts_in_the_query_and_in_the_body(
    standin: Any, new_client: MakeClient,
) -> None:
    from standin.ford import lock_uuid

    client = _standin_client(standin, new_client)
    uuid = lock_uuid(_standin_device(standin, "YD.LO1"))
    info = client.service_call("ford_sign", "GET", "yd-saas-toc.wyzecam.com",
                               "/openapi/lock/v1/info", query={"uuid": uuid})
    assert info["ErrNo"] == 0
    control = client.service_call("ford_sign", "POST", "yd-saas-toc.wyzecam.com",
                                  "/openapi/lock/v1/control",
                                  body={"uuid": uuid, "action": "remoteUnlock"})
    assert control["ErrNo"] == 0


def test_a_ford_error_answer_raises_with_its_errno(
    standin: Any, new_client: MakeClient,
) -> None:
    client = _standin_client(standin, new_client)
    client.tokens = Tokens("lvtx.not-a-token-the-standin-issued", "", None)
    with pytest.raises(WyzeApiError) as raised:
        client.service_call("ford_sign", "GET", "yd-saas-toc.wyzecam.com",
                            "/openapi/lock/v1/info", query={"uuid": "0" * 32})
    assert raised.value.code == "2001"


def test_a_signing_scheme_the_client_does_not_speak_is_refused_by_name(
    new_client: MakeClient,
) -> None:
    client = new_client(base_url="http://127.0.0.1:9", tokens=Tokens(ACCESS, "", None))
    with pytest.raises(ValueError, match="'hmac_sha1': the client does not speak it"):
        client.service_call("hmac_sha1", "GET", "example.invalid", "/")
