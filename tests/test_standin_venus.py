"""The vacuum's maps, position and sweep history in the stand-in (standin/venus.py), over HTTP.

Requests are what wyze-sdk's venus_service.py sends; the vacuum, its maps and its history
are the made-up ones of standin/default_state.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from standin import StandIn
from tests.standin_plugin_drive import VACUUM, VENUS, call, login, running_standin


@pytest.fixture
def standin() -> Iterator[StandIn]:
    yield from running_standin(1_733_050_000)


@pytest.fixture
def token(standin: StandIn) -> str:
    return login(standin.base_url)


def venus(s: StandIn, method: str, name: str, token: str, **fields: Any) -> Any:
    return call(s, method, VENUS, f"/plugin/venus/{name}", token, **fields)


def test_choosing_a_map_makes_it_the_current_one(standin: StandIn, token: str) -> None:
    def current() -> list[str]:
        maps = venus(standin, "GET", "memory_map/list", token, did=VACUUM)["data"]
        return [m["user_map_name"] for m in maps if m["current_map"]]

    assert current() == ["Downstairs"]
    assert venus(standin, "POST", "memory_map/current_map", token, device_id=VACUUM,
                 map_id=731592017)["code"] == 1
    assert current() == ["Upstairs"]
    assert venus(standin, "GET", "memory_map/current_map", token,
                 did=VACUUM)["data"]["mapName"] == "Upstairs"
    assert venus(standin, "POST", "memory_map/current_map", token, device_id=VACUUM,
                 map_id=5)["code"] == 1001


def test_a_sweep_that_ends_docked_joins_the_history_and_puts_the_vacuum_on_its_dock(
        standin: StandIn, token: str) -> None:
    def history() -> list[int]:
        answer = venus(standin, "GET", "sweep_record/query_data", token, did=VACUUM,
                       purpose="history_map", count=20, last_time=9_999_999_999_999)
        return [r["cleanTime"] for r in answer["data"]["data"]]

    assert history() == [29]
    call(standin, "POST", VENUS, f"/plugin/venus/{VACUUM}/control", token, type=0, value=1)
    standin.clock.advance(42 * 60)
    call(standin, "POST", VENUS, f"/plugin/venus/{VACUUM}/control", token, type=0, value=3)
    assert history() == [42, 29]
    position = venus(standin, "GET", "memory_map/current_position", token, did=VACUUM)["data"]
    assert (position["x"], position["y"]) == (1284.5, -316.25)


def test_the_suction_level_is_set_through_set_iot_action(standin: StandIn, token: str) -> None:
    assert venus(standin, "POST", "set_iot_action", token, did=VACUUM, model="JA_RO2",
                 cmd="set_preference", params=[{"ctrltype": 1, "value": 3}],
                 is_sub_device=0)["code"] == 1
    props = venus(standin, "GET", "get_iot_prop", token, did=VACUUM, keys="cleanlevel")
    assert props["data"]["props"] == {"cleanlevel": "3"}
    assert venus(standin, "POST", "set_iot_action", token, did=VACUUM, model="JA_RO2",
                 cmd="self_destruct", params=[])["code"] == 1001


def test_the_vacuum_reports_its_mode_as_wyze_sdk_codes(standin: StandIn, token: str) -> None:
    call(standin, "POST", VENUS, f"/plugin/venus/{VACUUM}/control", token, type=0, value=1)
    props = venus(standin, "GET", "get_iot_prop", token, did=VACUUM, keys="mode")
    assert props["data"]["props"] == {"mode": 1}  # VacuumMode.CLEANING
