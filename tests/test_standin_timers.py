"""Device timers and the password change on the stand-in's app API host."""

from __future__ import annotations

from typing import Any

import requests

from standin import StandIn, double_md5
from standin.scenarios import PLAIN, app_body

PLUG, OFFLINE = "7C78B2E5A40C", "2CAA8E0C7731"


def login(s: StandIn, password: str | None = None) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(password),
                      timeout=5, headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return dict(r.json())


def app(s: StandIn, path: str, token: str, **extra: Any) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/api.wyzecam.com{path}", json=app_body(path, token, **extra),
                      timeout=5)
    return dict(r.json())


def test_a_plug_timer_is_set_read_back_and_cancelled(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    plug = {"device_mac": PLUG, "action_type": 1}
    assert app(standin, "/app/v2/device/timer/set", token, **plug, action_value=1,
               delay_time=3600)["code"] == "1"
    timer = app(standin, "/app/v2/device/timer/get", token, **plug)["data"]
    assert timer["action_value"] == "1" and timer["delay_time"] == 3600
    app(standin, "/app/v2/device/timer/cancel", token, **plug)
    assert app(standin, "/app/v2/device/timer/get", token, **plug)["data"]["delay_time"] == 0
    offline = app(standin, "/app/v2/device/timer/set", token, device_mac=OFFLINE,
                  action_type=1, action_value=0, delay_time=60)
    assert offline["code"] == "3019"


def test_a_changed_password_logs_in_and_the_old_one_no_longer_does(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    wrong = app(standin, "/app/user/change_password", token, old_password=double_md5("nope"),
                new_password=double_md5("fresh-pass"))
    assert wrong["code"] == "1001"
    done = app(standin, "/app/user/change_password", token,
               old_password=double_md5(PLAIN.password), new_password=double_md5("fresh-pass"))
    assert done["code"] == "1"
    assert "access_token" in login(standin, "fresh-pass")
    assert login(standin)["errorCode"] == 1000
