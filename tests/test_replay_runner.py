"""`wyze-toolkit replay`: re-issue recorded logins and what follows, offline or live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replay.runner import replay_cassette
from replay.server import running
from wyzeproto.cassette.files import load_cassette, write_cassette
from wyzeproto.cli.main import execute

CASSETTES = Path(__file__).resolve().parent / "cassettes" / "replay"
REFERENCE = Path(__file__).resolve().parent.parent / "captures" / "reference"
def _standin_user() -> dict[str, str]:
    """The stand-in's made-up key-pair account (standin/default_state.yaml), as WYZE_*."""
    from standin.scenarios import PLAIN

    return {"WYZE_EMAIL": PLAIN.email, "WYZE_PASSWORD": PLAIN.password,
            "WYZE_KEY_ID": PLAIN.key_id or "", "WYZE_API_KEY": PLAIN.api_key or ""}


STANDIN_USER = _standin_user()


def test_every_test_cassette_replays_offline_with_matching_requests_and_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert execute(["replay", str(CASSETTES)]) == 0
    out, err = capsys.readouterr()
    assert "sdk_session.yaml" in out and "DIFFERS" not in out
    assert err.strip().endswith("4 cassette(s), 12 request(s) re-issued, 0 mismatch(es)")


def test_each_row_names_endpoint_request_status_response_and_schema() -> None:
    rows = replay_cassette(str(CASSETTES / "errors.yaml"))
    assert [(r.endpoint, r.request, r.status, r.response) for r in rows] == [
        ("POST auth-prod.api.wyze.com/api/user/login", "match", "400 1000", "recorded"),
        ("POST api.wyzecam.com/app/v2/home_page/get_object_list", "match", "200 2001",
         "recorded")]
    assert all(r.schema in ("ok", "n/a") for r in rows)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="no reference cassettes in captures/")
def test_the_reference_cassettes_replay_without_a_mismatch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorded = sum(len(load_cassette(p).interactions) for p in REFERENCE.rglob("*.yaml"))
    assert execute(["replay", str(REFERENCE)]) == 0
    out, err = capsys.readouterr()
    assert "skipped" not in out  # every service's calls, signed ones too, are re-issued
    assert f"{recorded} request(s) re-issued, 0 mismatch(es)" in err


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="no reference cassettes in captures/")
def test_a_ford_request_signed_with_another_app_key_is_a_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    interactions = load_cassette(REFERENCE / "ford" / "ford.lock.control.yaml").interactions
    body = json.loads(interactions[0]["request"]["body"])
    interactions[0]["request"]["body"] = json.dumps({**body, "key": "another-app-key"})
    edited = tmp_path / "edited.yaml"
    write_cassette(edited, interactions[:1])
    assert execute(["replay", str(edited)]) == 1
    out, err = capsys.readouterr()
    assert f"{edited}::interaction 0::request: json.key: differs from the recording" in out
    assert "1 request(s) re-issued, 1 mismatch(es)" in err


def test_target_reissues_signed_ford_calls_to_the_standin_which_checks_their_sign(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    standin = pytest.importorskip("standin")
    for name, value in STANDIN_USER.items():
        monkeypatch.setenv(name, value)
    login = load_cassette(CASSETTES / "sdk_session.yaml").interactions[0]
    control = load_cassette(REFERENCE / "ford" / "ford.lock.control.yaml").interactions[0]
    server = standin.StandIn.default()
    lock = next(d for d in server.state.devices.values() if d.product_type == "Lock")
    body = json.loads(control["request"]["body"])  # the stand-in's made-up lock
    control["request"]["body"] = json.dumps({**body, "uuid": lock.mac.split(".")[-1]})
    cassette = tmp_path / "lock.yaml"
    write_cassette(cassette, [login, control])
    url = server.start(port=0, tls=False)
    try:
        status = execute(["replay", str(cassette), "--target", url])
    finally:
        server.stop()
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "/openapi/lock/v1/control" in line)
    assert "match" in row and "as recorded" in row, out  # ErrNo 0: sign and timestamp fresh
    assert status == 0


def test_a_request_the_client_would_not_send_is_a_mismatch_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    interactions = load_cassette(CASSETTES / "sdk_session.yaml").interactions[:2]
    body = json.loads(interactions[0]["request"]["body"])
    interactions[0]["request"]["body"] = json.dumps({**body, "remember_me": True})
    edited = tmp_path / "edited.yaml"
    write_cassette(edited, interactions)
    assert execute(["replay", str(edited)]) == 1
    out, err = capsys.readouterr()
    assert f"{edited}::interaction 0::request: json.remember_me: in the recording, missing " \
        "here" in out
    assert "1 mismatch(es)" in err


def test_target_reissues_against_a_live_loopback_server_and_compares_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with running([str(CASSETTES / "sdk_session.yaml")]) as url:
        assert execute(["replay", str(CASSETTES / "sdk_session.yaml"), "--target", url]) == 0
    assert "as recorded" in capsys.readouterr().out


def test_target_against_the_standin_logs_in_with_environment_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    standin = pytest.importorskip("standin")
    for name, value in STANDIN_USER.items():
        monkeypatch.setenv(name, value)
    server = standin.StandIn.default()
    url = server.start(port=0, tls=False)
    try:
        status = execute(["replay", str(CASSETTES / "sdk_session.yaml"), "--target", url])
    finally:
        server.stop()
    out = capsys.readouterr().out
    login_row = next(line for line in out.splitlines() if "/api/user/login" in line)
    assert "match" in login_row and "as recorded" in login_row
    assert status == 1  # the stand-in's devices are not the recording's: reported, not hidden
    assert STANDIN_USER["WYZE_PASSWORD"] not in out


def test_target_against_the_standin_logs_in_with_its_made_up_account_when_no_variable_is_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    standin = pytest.importorskip("standin")
    for name in STANDIN_USER:
        monkeypatch.delenv(name, raising=False)
    server = standin.StandIn.default()
    url = server.start(port=0, tls=False)
    try:
        execute(["replay", str(CASSETTES / "sdk_session.yaml"), "--target", url])
    finally:
        server.stop()
    captured = capsys.readouterr()
    login_row = next(line for line in captured.out.splitlines() if "/api/user/login" in line)
    assert " 200 " in login_row and "as recorded" in login_row
    assert f"made-up account {STANDIN_USER['WYZE_EMAIL']}" in captured.err


def test_a_non_loopback_target_needs_live(capsys: pytest.CaptureFixture[str]) -> None:
    assert execute(["replay", str(CASSETTES), "--target", "https://api.wyzecam.com"]) == 2
    assert "add --live (make: LIVE=1)" in capsys.readouterr().err


def test_live_without_credentials_names_the_missing_variables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name in STANDIN_USER:
        monkeypatch.delenv(name, raising=False)
    assert execute(["replay", str(CASSETTES), "--live"]) == 2
    err = capsys.readouterr().err
    assert "WYZE_EMAIL, WYZE_PASSWORD, WYZE_KEY_ID, WYZE_API_KEY" in err and "LIVE=1" in err


def test_a_broken_cassette_is_unusable_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("interactions: [\n")
    assert execute(["replay", str(broken)]) == 2
    assert capsys.readouterr().err.startswith(str(broken))
