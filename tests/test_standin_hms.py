"""The stand-in's Home Monitoring: membership hands out the HMS id, and the HMS arms and disarms."""

from __future__ import annotations

from typing import Any

import requests

from standin import StandIn
from standin.scenarios import PLAIN
from wyzeproto import signing

HMS = "hms.api.wyze.com"
HMS_ID = "a7c3e9f1042b4d6e8f5a1c3b7d9e0f24"
PROFILE = "/api/v1/monitoring/v1/profile/"


def login(s: StandIn) -> str:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(), timeout=5,
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return str(r.json()["access_token"])


def signed(token: str, query: dict[str, str]) -> dict[str, str]:
    return {"appid": signing.OLIVE_APP_ID, "access_token": token, "Authorization": token,
            "signature2": signing.signature2(token, signing.sorted_params(query))}


def mode(s: StandIn, token: str) -> Any:
    query = {"hms_id": HMS_ID, "nonce": str(int(s.clock.now() * 1000))}
    r = requests.get(f"{s.base_url}/{HMS}{PROFILE}state-status", params=query,
                     headers=signed(token, query), timeout=5)
    return r.json()["message"]


def arm(s: StandIn, token: str, home: int, away: int) -> int:
    query = {"hms_id": HMS_ID}
    r = requests.patch(f"{s.base_url}/{HMS}{PROFILE}active", params=query,
                       json=[{"state": "home", "active": home}, {"state": "away", "active": away}],
                       headers=signed(token, query), timeout=5)
    return r.status_code


def test_membership_lists_the_accounts_hms_id(standin: StandIn) -> None:
    token = login(standin)
    query = {"group_id": "hms", "nonce": str(int(standin.clock.now() * 1000))}
    r = requests.get(f"{standin.base_url}/wyze-membership-service.wyzecam.com/platform/v2/"
                     "membership/get_plan_binding_list_by_user", params=query,
                     headers=signed(token, query), timeout=5)
    assert r.json()["data"] == [{"deviceList": [{"device_id": HMS_ID}]}]


def test_the_hms_arms_away_then_home_then_disarms(standin: StandIn) -> None:
    token = login(standin)
    assert mode(standin, token) == "disarm"
    assert arm(standin, token, 0, 1) == 200
    assert mode(standin, token) == "away"
    arm(standin, token, 1, 0)
    assert mode(standin, token) == "home"
    arm(standin, token, 0, 0)
    assert mode(standin, token) == "disarm"


def test_a_bad_signature_or_a_dead_token_answers_a_null_message(standin: StandIn) -> None:
    token = login(standin)
    query = {"hms_id": HMS_ID, "nonce": "1733050000000"}
    headers = {**signed(token, query), "signature2": "0" * 32}
    r = requests.get(f"{standin.base_url}/{HMS}{PROFILE}state-status", params=query,
                     headers=headers, timeout=5)
    assert r.json() == {"message": None}
    standin.advance_clock(2 * 86400 + 1)
    assert mode(standin, token) is None
