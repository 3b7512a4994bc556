"""Real third-party clients against the stand-in, directly where they take a base URL.

wyze-sdk 2.2.0's `Client(base_url=...)` sends both its auth-host and app-API calls to one
base URL, which the stand-in routes by path. wyzeapy 0.8.0 hard-codes its https URLs and has no
base-URL setting, so it can only reach the stand-in through a proxy (mitmproxy
`--map-remote`), which is not tested here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from standin import StandIn
from standin.scenarios import PLAIN, TOTP, TOTP_SECRET, default_state_dict

wyze_sdk = pytest.importorskip("wyze_sdk")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    state = default_state_dict(auth_limit=1000)
    state["accounts"][1]["mfa"]["on_api_key_login"] = True
    s = StandIn(state)
    s.start()
    yield s
    s.stop()


def test_wyze_sdk_logs_in_with_a_key_pair_and_lists_devices(standin: StandIn) -> None:
    client = wyze_sdk.Client(email=PLAIN.email, password=PLAIN.password, key_id=PLAIN.key_id,
                             api_key=PLAIN.api_key, base_url=f"{standin.base_url}/")
    devices = client.devices_list()
    kinds = {(type(d).__name__, d.product.model) for d in devices}
    assert ("Camera", "HL_CAM4") in kinds and ("Plug", "WLPP1CFH") in kinds
    assert ("ContactSensor", "DWS3U") in kinds and ("MeshBulb", "WLPA19C") in kinds
    offline = next(d for d in devices if d.mac == "2CAA8E0C7731")
    assert offline.is_online is False


def test_wyze_sdk_completes_totp_mfa_and_refreshes_its_token(standin: StandIn) -> None:
    client = wyze_sdk.Client(email=TOTP.email, password=TOTP.password, key_id=TOTP.key_id,
                             api_key=TOTP.api_key, base_url=f"{standin.base_url}/",
                             totp_key=TOTP_SECRET)
    assert [d.mac for d in client.devices_list()] == ["D03F2790C1E4"]
    standin.clock.advance(2 * 86400 + 1)
    with pytest.raises(wyze_sdk.errors.WyzeApiError):
        client.devices_list()
    client.refresh_token()
    assert [d.mac for d in client.devices_list()] == ["D03F2790C1E4"]


def test_wyze_sdk_sees_the_wrong_password_as_http_400_error_code_1000(
        standin: StandIn) -> None:
    # wyze-sdk calls raise_for_status() on the auth host, so the 400 surfaces as HTTPError.
    with pytest.raises(requests.HTTPError) as info:
        wyze_sdk.Client(email=PLAIN.email, password="wrong", key_id=PLAIN.key_id,
                        api_key=PLAIN.api_key, base_url=f"{standin.base_url}/")
    assert info.value.response.status_code == 400
    assert info.value.response.json()["errorCode"] == 1000
