"""wyzeproto.signing against vectors computed by the public clients' own code paths.

Each expected value comes from calling the installed wyze-sdk 2.2.0 or wyzeapy 0.8.0
function that signs a real request, so a drift between our restatement and theirs fails
here. Tokens and bodies are made up for this test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from wyzeproto import signing
from wyzeproto.constants import APP_IDS, SIGNING_SECRETS

wyze_sdk_signature = pytest.importorskip("wyze_sdk.signature")
wyze_sdk_base = pytest.importorskip("wyze_sdk.service.base")
wyze_sdk_ford = pytest.importorskip("wyze_sdk.service.ford_service")
wyzeapy_crypto = pytest.importorskip("wyzeapy.crypto")
wyzeapy_payloads = pytest.importorskip("wyzeapy.payload_factory")

# Made up for this test: the shape of a real access token, not one.
TOKEN = "lvtx.Qm9ndXNUb2tlbkZvclNpZ25pbmdUZXN0c09ubHkxMjM0NTY3ODkw"


def sdk_verifier(app_id: str) -> Any:
    secret = wyze_sdk_base.WpkNetServiceClient.WYZE_SALTS[app_id]
    return wyze_sdk_signature.RequestVerifier(signing_secret=secret, access_token=TOKEN)


def test_olive_post_signature_matches_wyze_sdk_over_the_compact_json_body() -> None:
    body = json.dumps({"device_id": "A4DA22F1C0DE", "keys": "temp,iot_state",
                       "nonce": "1733090000123"}, separators=(",", ":"))
    expected = sdk_verifier("9319141212m2ik").generate_dynamic_signature(
        timestamp="1733090000123", body=body)
    assert signing.signature2(TOKEN, body) == expected
    assert signing.signature2_matches(expected, TOKEN, body.encode(), signing.OLIVE_SECRET)


def test_olive_get_signature_matches_wyzeapy_over_the_sorted_query() -> None:
    query = {"nonce": "1733090000123", "device_id": "A4DA22F1C0DE", "keys": "temp"}
    expected = wyzeapy_crypto.olive_create_signature(dict(query), TOKEN)
    message = signing.signature2_message("GET", b"", query)
    assert message == b"device_id=A4DA22F1C0DE&keys=temp&nonce=1733090000123"
    assert signing.signature2(TOKEN, message) == expected


def test_wyze_sdk_and_wyzeapy_agree_with_us_on_a_get_with_an_integer_nonce() -> None:
    query: dict[str, object] = {"nonce": 1733090000123, "did": "JA_RO2_3FA9C41B7E20"}
    sdk = sdk_verifier("9319141212m2ik").generate_dynamic_signature(
        timestamp="1", body=wyze_sdk_base.BaseServiceClient.get_sorted_params(
            None, sorted(query.items())))  # type: ignore[arg-type]
    assert signing.signature2(TOKEN, signing.sorted_params(query)) == sdk
    assert wyzeapy_crypto.olive_create_signature(dict(query), TOKEN) == sdk


def test_venus_signature_uses_its_own_secret_like_wyze_sdk() -> None:
    body = '{"did":"JA_RO2_3FA9C41B7E20","nonce":"1733090000999"}'
    expected = sdk_verifier("venp_4c30f812828de875").generate_dynamic_signature(
        timestamp="1", body=body)
    assert signing.signature2(TOKEN, body, signing.VENUS_SECRET) == expected
    assert signing.signature2(TOKEN, body) != expected


def test_web_signature_for_get_streams_matches_wyzeapy() -> None:
    body = json.dumps({"device_list": [{"device_id": "D03F27A1B2C3"}], "nonce": "17330900"})
    expected = wyzeapy_crypto.web_create_signature(body, TOKEN)
    secret = signing.SECRETS_BY_APP_ID["strv_e7f78e9e7738dc50"]
    assert signing.signature2(TOKEN, body, secret) == expected


def test_request_id_matches_wyze_sdk_for_a_nonce() -> None:
    verifier = sdk_verifier("9319141212m2ik")
    assert signing.request_id(1733090000123) == verifier.request_id("1733090000123")


def test_ford_get_sign_matches_wyzeapy_payload_factory() -> None:
    params = wyzeapy_payloads.ford_create_payload(
        TOKEN, {"uuid": "7f3c2a9be41d4c0e8a55", "with_keypad": "1"},
        "/openapi/lock/v1/info", "get")
    assert signing.ford_sign("GET", "/openapi/lock/v1/info", params) == params["sign"]
    assert signing.ford_sign_matches("get", "/openapi/lock/v1/info", params)
    assert signing.ford_access_token(params) == TOKEN


def test_ford_post_sign_matches_wyze_sdk_with_its_access_token_spelling(
        monkeypatch: pytest.MonkeyPatch) -> None:
    sent: dict[str, Any] = {}

    def capture(self: Any, url: str, **kwargs: Any) -> None:
        sent.update(kwargs["json"])

    monkeypatch.setattr(wyze_sdk_base.BaseServiceClient, "api_call", capture)
    client = wyze_sdk_ford.FordServiceClient(token=TOKEN)
    client.api_call("/openapi/lock/v1/control", http_verb="POST",
                    json={"uuid": "7f3c2a9be41d4c0e8a55", "action": "remoteLock"})
    assert "accessToken" in sent and "access_token" not in sent
    assert signing.ford_sign("post", "/openapi/lock/v1/control", sent) == sent["sign"]
    assert signing.ford_access_token(sent) == TOKEN


def test_a_changed_ford_parameter_no_longer_matches_its_sign() -> None:
    params = wyzeapy_payloads.ford_create_payload(
        TOKEN, {"uuid": "7f3c2a9be41d4c0e8a55", "action": "remoteLock"},
        "/openapi/lock/v1/control", "post")
    params["action"] = "remoteUnlock"
    assert not signing.ford_sign_matches("post", "/openapi/lock/v1/control", params)
    assert not signing.ford_sign_matches("post", "/openapi/lock/v1/control",
                                         {k: v for k, v in params.items() if k != "sign"})


def test_a_tampered_body_or_wrong_token_fails_signature2() -> None:
    body = b'{"nonce":"1"}'
    good = signing.signature2(TOKEN, body)
    assert not signing.signature2_matches(good, TOKEN, b'{"nonce":"2"}', signing.OLIVE_SECRET)
    assert not signing.signature2_matches(good, TOKEN + "x", body, signing.OLIVE_SECRET)
    assert not signing.signature2_matches(None, TOKEN, body, signing.OLIVE_SECRET)


def test_bearer_token_accepts_the_bearer_and_the_raw_forms() -> None:
    assert signing.bearer_token(signing.bearer(TOKEN)) == TOKEN
    assert signing.bearer_token(TOKEN) == TOKEN
    assert signing.bearer_token("") is None and signing.bearer_token(None) is None


def test_every_signing_constant_is_a_public_value_the_linter_allows() -> None:
    assert set(signing.SECRETS_BY_APP_ID) <= APP_IDS
    assert set(signing.SECRETS_BY_APP_ID.values()) | {signing.FORD_APP_KEY,
                                                      signing.FORD_SECRET} <= SIGNING_SECRETS
    assert signing.SECRETS_BY_APP_ID["9319141212m2ik"] == wyzeapy_crypto.OLIVE_SIGNING_SECRET
    assert signing.FORD_SECRET == wyzeapy_crypto.FORD_APP_SECRET
