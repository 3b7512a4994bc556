"""The stand-in's scale hosts (standin/scale.py) over real HTTP on 127.0.0.1.

Requests are what wyze-sdk's scale_service.py and pluto_service.py send; the scales and the
measurements are the made-up ones of standin/default_state.yaml.
"""

from __future__ import annotations

import pytest

from standin import StandIn
from standin.scenarios import PLAIN
from tests.standin_plugin_drive import PLUTO_HOST, SCALE, SCALE_HOST, SCALE_S, call, login

ME = PLAIN.user_id
ROBIN = "6f2d9b4e81a34c07b5e2d18f93a6c740"


@pytest.fixture
def token(standin: StandIn) -> str:
    return login(standin.base_url)


def records(s: StandIn, token: str, host: str = SCALE_HOST, member: str = ME) -> list[int]:
    plugin = "scale" if host == SCALE_HOST else "pluto"
    answer = call(s, "GET", host, f"/plugin/{plugin}/get_record_range", token,
                  family_member_id=member, start_time="0", end_time="9999999999999")
    return [r["data_id"] for r in answer["data"]]


def test_a_weight_record_added_shows_newest_first_and_a_deleted_one_is_gone(
        standin: StandIn, token: str) -> None:
    before = records(standin, token)
    assert before == [48240032, 48233415, 48211907]  # both scales, newest first
    assert call(standin, "POST", SCALE_HOST, "/plugin/scale/add_record", token,
                device_id=SCALE, mac="C7E91D04A25B6F83", family_member_id=ME,
                measure_ts=1_733_100_000.5, measure_type=1, weight=79.8)["code"] == 1
    after = call(standin, "GET", SCALE_HOST, "/plugin/scale/get_latest_record", token,
                 family_member_id=ME)["data"]
    assert [(r["weight"], r["measure_ts"]) for r in after] == [(79.8, 1_733_100_000_000)]
    new_id = after[0]["data_id"]
    assert records(standin, token) == [new_id, *before]
    assert call(standin, "POST", SCALE_HOST, "/plugin/scale/delete_record", token,
                data_id_list=[48211907])["code"] == 1
    assert records(standin, token, PLUTO_HOST) == [new_id, 48240032, 48233415]


def test_each_family_member_sees_only_their_own_measurements(
        standin: StandIn, token: str) -> None:
    members = call(standin, "GET", SCALE_HOST, "/plugin/scale/get_family_member", token,
                   device_id=SCALE)["data"]
    assert [m["family_member_id"] for m in members] == [ME, ROBIN]
    assert records(standin, token, member=ROBIN) == [48219876]


def test_the_goal_weight_reads_until_it_is_deleted_then_reads_null(
        standin: StandIn, token: str) -> None:
    goal = call(standin, "GET", SCALE_HOST, "/plugin/scale/get_goal_weight", token,
                family_member_id=ME)["data"]
    assert (goal["goal_weight"], goal["current_weight"]) == (77.0, 80.9)
    call(standin, "GET", SCALE_HOST, "/plugin/scale/delete_goal_weight", token,
         family_member_id=ME)
    assert call(standin, "GET", PLUTO_HOST, "/plugin/pluto/get_goal_weight", token,
                family_member_id=ME)["data"] is None


def test_a_heart_rate_record_added_leads_the_list(standin: StandIn, token: str) -> None:
    call(standin, "POST", SCALE_HOST, "/plugin/scale/add_heart_rate_record", token,
         device_id=SCALE, family_member_id=ME, measure_ts=1_733_200_000_000, heart_rate="74")
    listed = call(standin, "GET", SCALE_HOST, "/plugin/scale/get_heart_rate_record_list", token,
                  family_member_id=ME, record_number="5")["data"]
    assert [r["heart_rate"] for r in listed] == [74, 68]


def test_the_unit_changes_to_kg_or_lb_only(standin: StandIn, token: str) -> None:
    def unit() -> str:
        return str(call(standin, "GET", PLUTO_HOST, "/plugin/pluto/get_device_setting", token,
                        device_id=SCALE_S)["data"]["unit"])

    assert unit() == "kg"
    assert call(standin, "POST", PLUTO_HOST, "/plugin/pluto/update_device_setting", token,
                device_id=SCALE_S, unit="lb")["code"] == 1
    assert unit() == "lb"
    refused = call(standin, "POST", PLUTO_HOST, "/plugin/pluto/update_device_setting", token,
                   device_id=SCALE_S, unit="stone")
    assert (refused["code"], unit()) == (1001, "lb")


def test_the_profile_written_on_the_scale_host_is_read_back(
        standin: StandIn, token: str) -> None:
    call(standin, "POST", SCALE_HOST, "/app/v2/platform/update_user_profile", token,
         logo_url="", nickname="Sam", gender="1", birthDate="1988-09-02", height="178",
         height_unit="cm", body_type="1", occupation="2")
    profile = call(standin, "GET", SCALE_HOST, "/app/v2/platform/get_user_profile", token)["data"]
    assert (profile["nickname"], profile["height"], profile["birthDate"]) == \
        ("Sam", "178", "1988-09-02")


def test_pluto_serves_none_of_the_calls_its_client_refuses(standin: StandIn,
                                                           token: str) -> None:
    for name in ("get_token", "add_record", "delete_record"):
        assert "no endpoint" in str(call(standin, "GET", PLUTO_HOST, f"/plugin/pluto/{name}",
                                         token, device_id=SCALE_S))


def test_a_bad_signature_an_unknown_scale_and_an_expired_token_are_refused(
        standin: StandIn, token: str) -> None:
    assert call(standin, "GET", SCALE_HOST, "/plugin/scale/get_device_setting", token,
                tamper=True, device_id=SCALE)["code"] == 2001
    assert call(standin, "GET", SCALE_HOST, "/plugin/scale/get_device_setting", token,
                device_id="JA.SC2.5B0E9A71C3D2F846")["code"] == 3005
    standin.clock.advance(2 * 86400 + 1)
    assert call(standin, "GET", PLUTO_HOST, "/plugin/pluto/get_family_member", token,
                device_id=SCALE_S)["code"] == 2001
