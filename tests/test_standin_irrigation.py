"""The stand-in's sprinkler host (standin/irrigation.py) over real HTTP on 127.0.0.1.

Requests are what wyzeapy's irrigation_service.py sends; the controller and its zones are
the made-up ones of standin/default_state.yaml. The stand-in's clock is frozen so a run's
end can be reached by moving it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from standin import StandIn
from tests.standin_plugin_drive import LOCKWOOD, SPRINKLER, call, login, running_standin

NOW = 1_733_050_000


@pytest.fixture
def standin() -> Iterator[StandIn]:
    yield from running_standin(NOW)


@pytest.fixture
def token(standin: StandIn) -> str:
    return login(standin.base_url)


def lockwood(s: StandIn, method: str, name: str, token: str, **fields: Any) -> Any:
    return call(s, method, LOCKWOOD, f"/plugin/irrigation/{name}", token,
                device_id=SPRINKLER, **fields)


def running(s: StandIn, token: str) -> list[tuple[str, list[int]]]:
    schedules = lockwood(s, "GET", "schedule_runs", token, limit=2)["data"]["schedules"]
    return [(x["schedule_state"], [z["zone_number"] for z in x["zone_runs"]])
            for x in schedules]


def test_a_quick_run_waters_its_zone_until_its_duration_has_passed(
        standin: StandIn, token: str) -> None:
    assert running(standin, token) == [("past", [1])]
    assert lockwood(standin, "POST", "quickrun", token,
                    zone_runs=[{"zone_number": 2, "duration": 300}])["code"] == 1
    assert running(standin, token) == [("running", [2]), ("past", [1])]
    props = call(standin, "GET", LOCKWOOD, "/plugin/irrigation/get_iot_prop", token,
                 did=SPRINKLER, keys="zone_state,iot_state,RSSI")["data"]["props"]
    assert props == {"zone_state": 1, "iot_state": "connected", "RSSI": "-58"}
    standin.clock.advance(301)
    assert running(standin, token)[0] == ("past", [2])


def test_stopping_the_running_schedule_ends_the_quick_run_now(
        standin: StandIn, token: str) -> None:
    lockwood(standin, "POST", "quickrun", token,
             zone_runs=[{"zone_number": 1, "duration": 600}])
    standin.clock.advance(120)
    assert lockwood(standin, "POST", "runningschedule", token, action="STOP")["code"] == 1
    run = lockwood(standin, "GET", "schedule_runs", token, limit=1)["data"]["schedules"][0]
    assert run["schedule_state"] == "past"
    assert run["zone_runs"][0]["end_ts"] - run["zone_runs"][0]["start_ts"] == 120


def test_the_zones_and_settings_are_the_controllers(standin: StandIn, token: str) -> None:
    zones = lockwood(standin, "GET", "zone", token)["data"]["zones"]
    assert [(z["zone_number"], z["name"]) for z in zones] == \
        [(1, "Front Lawn"), (2, "Side Beds"), (3, "Back Garden")]
    info = lockwood(standin, "GET", "device_info", token, keys="enable_schedules,skip_rain")
    assert info["data"]["props"] == {"enable_schedules": "1", "skip_rain": "1"}


def test_a_quick_run_of_an_unknown_zone_or_an_offline_controller_is_refused(
        standin: StandIn, token: str) -> None:
    assert lockwood(standin, "POST", "quickrun", token,
                    zone_runs=[{"zone_number": 7, "duration": 60}])["code"] == 1001
    standin.set_online(SPRINKLER, False)
    assert lockwood(standin, "POST", "quickrun", token,
                    zone_runs=[{"zone_number": 1, "duration": 60}])["code"] == 3019
    assert running(standin, token) == [("past", [1])]


def test_a_bad_signature_and_an_expired_token_are_refused(standin: StandIn,
                                                          token: str) -> None:
    assert call(standin, "GET", LOCKWOOD, "/plugin/irrigation/zone", token, tamper=True,
                device_id=SPRINKLER)["code"] == 2001
    standin.clock.advance(2 * 86400 + 1)
    assert lockwood(standin, "GET", "zone", token)["code"] == 2001
