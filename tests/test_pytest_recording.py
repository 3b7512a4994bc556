"""pytest-recording replays a cassette this project wrote, with the network blocked.

The cassette beside this test (cassettes/capture/login_and_device_list.yaml) was written by
wyzeproto's writer from a redacted, made-up login and device list; a real HTTP client
(requests) gets its recorded answers through VCR.py, and any request that was not recorded
fails instead of reaching a network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from vcr.errors import CannotOverwriteExistingCassetteException

CASSETTES = Path(__file__).parent / "cassettes" / "capture"


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {"record_mode": "none", "match_on": ["method", "scheme", "host", "path"]}


@pytest.mark.block_network
@pytest.mark.vcr("login_and_device_list.yaml")
def test_pytest_recording_replays_login_and_device_list_through_requests() -> None:
    login = requests.post("https://auth-prod.api.wyze.com/api/user/login",
                          json={"email": "anyone@example.invalid", "password": "x"})
    assert login.status_code == 200
    token = login.json()["access_token"]
    assert token.startswith("lvtx.REDACTED_access_token_")
    devices = requests.post("https://api.wyzecam.com/app/v2/home_page/get_object_list",
                            json={"access_token": token})
    device = devices.json()["data"]["device_list"][0]
    assert device["product_model"] == "WYZE_CAKP2JFUS"
    assert len(device["mac"]) == 12 and device["mac"].startswith("0000")


@pytest.mark.block_network
@pytest.mark.vcr("login_and_device_list.yaml")
def test_a_request_that_was_not_recorded_fails_instead_of_going_out() -> None:
    with pytest.raises(CannotOverwriteExistingCassetteException):
        requests.post("https://api.wyzecam.com/app/v2/device/get_property_list", json={})


def test_the_golden_cassette_body_is_readable_json() -> None:
    from wyzeproto.cassette.files import load_cassette

    first = load_cassette(CASSETTES / "login_and_device_list.yaml").interactions[0]
    assert json.loads(first["request"]["body"])["email"].endswith("@example.invalid")
