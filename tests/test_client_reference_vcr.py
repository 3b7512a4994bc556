"""The client under pytest-recording against the committed cassettes in captures/.

Placeholders in, placeholders out: the client re-issues the recorded login from the
recorded inputs and lists the recorded devices; the network is blocked, and bodies are
matched by the ``wyze_body`` matcher (volatile fields such as ``ts`` and ``phone_id``
ignored), registered by tests/conftest.py through ``pytest_recording_configure``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

import wyzeproto.match.vcr_matcher
from replay.client import WyzeClient
from replay.results import MfaChallenge, Tokens

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.block_network

RECORDED_EMAIL = "user-1a2b3c4d5e@example.invalid"
RECORDED_HASH = "REDACTED_password_hash_1a2b3c4d5e6f7a8b"


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(ROOT / "captures" / "reference")


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {"match_on": list(wyzeproto.match.vcr_matcher.MATCH_ON), "record_mode": "none"}


@pytest.mark.vcr("auth-host/auth.api.user.login.yaml",
                 "app-api/app-api.home_page.get_object_list.yaml")
def test_the_client_replays_the_reference_login_and_device_list() -> None:
    keys = {"key_id": "00000000-0000-4000-8000-000000000001",
            "api_key": "REDACTED_api_key_0000000000000001"}
    with WyzeClient() as client:
        # identical requests replay in recorded order: the reference records the MFA
        # challenge first, then the success
        first = client.login(RECORDED_EMAIL, password_hash=RECORDED_HASH, **keys)
        assert isinstance(first, MfaChallenge) and "TotpVerificationCode" in first.mfa_options
        tokens = client.login(RECORDED_EMAIL, password_hash=RECORDED_HASH, **keys)
        assert isinstance(tokens, Tokens)
        assert tokens.access_token.startswith("lvtx.REDACTED_access_token_")
        devices = client.get_object_list().devices
    assert devices and all(len(d.mac) == 12 for d in devices)
    assert {d.product_type for d in devices} >= {"Camera"}


@pytest.mark.vcr("auth-host/auth.api.user.login.yaml")
def test_a_request_the_cassette_does_not_hold_fails_instead_of_going_out() -> None:
    with WyzeClient(tokens=Tokens("lvtx.x", "lvtx.y", None, {})) as client, pytest.raises(
            CannotOverwriteExistingCassetteException):
        client.get_property_list("0000A1B2C3D4", "HL_CAM4")
