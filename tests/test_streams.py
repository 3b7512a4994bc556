"""`wyze-toolkit stream-info` and wyzeproto.streams: per camera, what a client connects with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replay.client import WyzeClient
from replay.credentials import Credentials
from replay.server import running
from wyzeproto.cli.main import execute
from wyzeproto.streams import masked, stream_info

HERE = Path(__file__).resolve().parent
SESSION = HERE / "cassettes" / "streams" / "camera_session.yaml"  # made up: make_cassette.py
ERRORS = HERE / "cassettes" / "replay" / "errors.yaml"
ANYONE = Credentials("user-1a2b3c4d5e@example.invalid", "made-up", "made-up", "made-up")


@pytest.fixture(autouse=True)
def no_wyze_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WYZE_EMAIL", "WYZE_PASSWORD", "WYZE_KEY_ID", "WYZE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cameras() -> Iterator[dict[str, Any]]:
    with running([str(SESSION)]) as url, WyzeClient(base_url=url) as client:
        yield {c.mac: c for c in stream_info(client, ANYONE)}


def json_run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    status = execute(["stream-info", *argv, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_a_tutk_camera_gets_its_p2p_id_enr_dtls_and_the_accounts_open_user_id(
    cameras: dict[str, Any],
) -> None:
    v3 = cameras["0000A1B2C3D4"]
    assert v3.generation == "tutk"
    assert v3.tutk["p2p_id"] == "ZZZZ1A2B3C4D5E6F7A8B" and v3.tutk["dtls"] == 1
    assert v3.tutk["enr"] == "REDACTED_enr_0000000000000001"
    assert v3.tutk["open_user_id"] == "REDACTED_open_user_id_1a2b3c4d5e6f7a8b"
    assert v3.webrtc is None
    assert v3.notes == ["webrtc: not offered (signalling answered HTTP 404)"]


def test_a_camera_behind_a_base_station_gets_its_parents_mac_and_enr(
    cameras: dict[str, Any],
) -> None:
    outdoor = cameras["0000A1B2C3D5"].tutk
    assert outdoor["parent_device_mac"] == "0000A1B2C3D6"
    assert outdoor["parent_device_enr"] == "REDACTED_enr_00000000000000aa"
    assert outdoor["main_device_dtls"] == 1


def test_a_webrtc_camera_gets_the_decoded_kvs_signalling_url_token_and_ice_servers(
    cameras: dict[str, Any],
) -> None:
    webrtc = cameras["0000A1B2C3D7"].webrtc
    assert webrtc["signaling_url"].startswith(
        "wss://m-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com/?X-Amz-ChannelARN=arn:aws:")
    assert webrtc["kvs_channel_arn"].endswith(":channel/0000A1B2C3D7/1700000000000")
    assert webrtc["signal_token"] == "REDACTED_signal_token_1a2b3c4d5e6f7a8b"
    assert webrtc["ice_servers"] == [
        {"urls": "stun:stun.kinesisvideo.us-west-2.amazonaws.com:443"},
        {"urls": "turn:198.51.100.7:443", "username": "REDACTED_turn_user_1a2b3c4d5e6f7a8b",
         "credential": "REDACTED_turn_credential_1a2b3c4d5e6f7a8b"}]


def test_lake_and_gwell_cameras_get_their_own_calls_and_only_cameras_are_listed(
    cameras: dict[str, Any],
) -> None:
    assert set(cameras) == {"0000A1B2C3D4", "0000A1B2C3D5", "0000A1B2C3D7", "0000A1B2C3D8",
                            "0000A1B2C3D9"}  # not the plug
    lake = cameras["0000A1B2C3D8"]
    assert lake.generation == "lake" and lake.lake["channel"].startswith("REDACTED_channel_")
    assert lake.lake["encryption_key"] == "REDACTED_key_1a2b3c4d5e6f7a8b"
    gwell = cameras["0000A1B2C3D9"]
    assert gwell.generation == "gwell" and gwell.gwell["access_id"] == "1234567890"
    assert gwell.gwell["p2p_id"] == "GW_BE1_0000A1B2C3D9" and not gwell.notes


def test_masking_hides_secrets_and_the_presigned_query_but_not_what_identifies(
    cameras: dict[str, Any],
) -> None:
    shown = masked(cameras["0000A1B2C3D7"].webrtc)
    assert shown["signal_token"] == "*** (38 chars)"
    assert shown["signaling_url"] == ("wss://m-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com/?*** "
                                      "(query: X-Amz-ChannelARN,X-Amz-Credential,X-Amz-Signature)")
    assert shown["ice_servers"][1]["credential"].startswith("*** (")
    assert masked(cameras["0000A1B2C3D4"].tutk)["p2p_id"] == "ZZZZ1A2B3C4D5E6F7A8B"


def test_the_command_prints_masked_secrets_unless_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert execute(["stream-info", str(SESSION)]) == 0
    out, err = capsys.readouterr()
    assert "p2p_id=ZZZZ1A2B3C4D5E6F7A8B" in out and "enr=*** (29 chars)" in out
    assert "REDACTED_enr_" not in out and "REDACTED_signal_token" not in out
    assert "5 camera(s)" in err and "secrets masked" in err
    assert execute(["stream-info", str(SESSION), "--show-secrets"]) == 0
    assert "enr=REDACTED_enr_0000000000000001" in capsys.readouterr().out


def test_json_output_has_stable_keys_per_camera(capsys: pytest.CaptureFixture[str]) -> None:
    status, report = json_run([str(SESSION)], capsys)
    assert status == 0 and report["command"] == "stream-info" and report["ok"] is True
    assert report["counts"] == {"cameras": 5, "tutk": 3, "webrtc": 1, "lake": 1, "gwell": 1}
    assert report["secrets_shown"] is False
    assert set(report["cameras"][0]) == {"mac", "model", "nickname", "generation", "tutk",
                                         "webrtc", "gwell", "lake", "notes"}


def test_a_refused_login_is_unusable_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, report = json_run([str(ERRORS)], capsys)
    assert status == 2 and "/api/user/login: the API answered code 1000" in report["unusable"][0]


def test_a_non_loopback_target_is_refused_and_live_needs_the_variables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert execute(["stream-info", "--target", "https://api.wyzecam.com"]) == 2
    assert "not a loopback address; use --live" in capsys.readouterr().err
    assert execute(["stream-info", "--live"]) == 2
    assert "--live: set WYZE_EMAIL, WYZE_PASSWORD" in capsys.readouterr().err


def test_against_the_standin_every_camera_is_listed_with_webrtc_where_it_has_it(
    standin: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    status, report = json_run(["--target", standin.base_url], capsys)
    assert status == 0
    by_model = {c["model"]: c for c in report["cameras"]}
    assert by_model["WYZE_CAKP2JFUS"]["tutk"]["enr"].startswith("*** (")
    assert len(by_model["WYZE_CAKP2JFUS"]["tutk"]["p2p_id"]) == 20
    webrtc = [c for c in report["cameras"] if c["webrtc"]]
    assert webrtc and all(s["urls"] for c in webrtc for s in c["webrtc"]["ice_servers"])
    assert [c["gwell"]["access_id"] for c in report["cameras"] if c["generation"] == "gwell"]
