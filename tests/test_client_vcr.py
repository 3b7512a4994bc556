"""The client's own tests under pytest-recording: cassettes from tests/cassettes/replay/,
network blocked, bodies matched by the ``wyze_body`` matcher (volatile fields ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wyzeproto.match.vcr_matcher
from replay.client import WyzeClient
from replay.results import MfaChallenge, Tokens
from wyzeproto.envelope import WYZEAPY

CASSETTES = Path(__file__).resolve().parent / "cassettes" / "replay"
pytestmark = pytest.mark.block_network


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {"match_on": list(wyzeproto.match.vcr_matcher.MATCH_ON)}


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.mark.vcr("sdk_session.yaml")
def test_the_client_logs_in_lists_devices_and_reads_properties_from_the_cassette() -> None:
    with WyzeClient() as client:
        tokens = client.login("user-1a2b3c4d5e@example.invalid",
                              password_hash="000000001a2b3c4d5e6f7a8b9c0d1e2f",
                              key_id="k", api_key="a")
        assert isinstance(tokens, Tokens)
        devices = client.get_object_list().devices
        assert [d.product_model for d in devices] == ["WYZE_CAKP2JFUS", "WLPP1CFH"]
        plug = devices[1]
        props = client.get_property_list(plug.mac, plug.product_model, ["P3"])
        assert [(p.pid, p.value) for p in props] == [("P3", "0")]


@pytest.mark.vcr("mfa_session.yaml")
def test_the_mfa_second_step_replays_although_the_one_time_code_differs() -> None:
    with WyzeClient() as client:
        challenge = client.login("user-1a2b3c4d5e@example.invalid",
                                 password_hash="000000001a2b3c4d5e6f7a8b9c0d1e2f",
                                 key_id="k", api_key="a")
        assert isinstance(challenge, MfaChallenge)
        tokens = client.verify_mfa("user-1a2b3c4d5e@example.invalid",
                                   password_hash="000000001a2b3c4d5e6f7a8b9c0d1e2f",
                                   mfa_type="TotpVerificationCode",
                                   verification_id=challenge.totp_app_id or "",
                                   verification_code="000000")
        assert tokens.refresh_token.startswith("lvtx.REDACTED_refresh_token_")


@pytest.mark.vcr("sdk_session.yaml")
def test_a_body_that_differs_beyond_volatile_fields_is_not_replayed() -> None:
    from vcr.errors import CannotOverwriteExistingCassetteException

    with WyzeClient(identity=WYZEAPY, tokens=Tokens("lvtx.REDACTED_access_token_1a2b3c4d5e6f"
                                                    "7a8b", "r")) as client, \
            pytest.raises(CannotOverwriteExistingCassetteException, match="json.sc"):
        client.get_object_list()


def test_the_matcher_ignores_volatile_fields_and_names_the_rest() -> None:
    class R:
        def __init__(self, body: bytes) -> None:
            self.method, self.uri, self.body = "POST", "https://api.wyzecam.com/app/x", body

    wyzeproto.match.vcr_matcher.wyze_body(R(b'{"a":1,"ts":2,"nonce":"n"}'), R(b'{"ts":9,"a":1}'))
    with pytest.raises(AssertionError, match=r"^json\.a: differs from the recording$"):
        wyzeproto.match.vcr_matcher.wyze_body(R(b'{"a":2}'), R(b'{"a":1}'))
