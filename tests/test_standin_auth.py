"""The stand-in's auth host and 2018 login over real HTTP on 127.0.0.1: logins, MFA, limits."""

from __future__ import annotations

import time
import uuid

import requests

from standin import StandIn, totp
from standin.scenarios import (
    APP_KEY_ANDROID,
    EMAIL_CODE,
    PLAIN,
    SMS,
    SMS_CODE,
    TOTP,
    TOTP_APP_ID,
    TOTP_SECRET,
    default_state_dict,
)
from wyzeproto.redact import is_placeholder

AUTH = {"Host": "auth-prod.api.wyze.com"}
APP_AUTH = {**AUTH, "X-API-Key": APP_KEY_ANDROID,
            "Phone-Id": "00000000-0000-4000-8000-0000000000ff"}


def post(s: StandIn, path: str, body: object = None, headers: dict[str, str] | None = None,
         **kwargs: object) -> requests.Response:
    return requests.post(f"{s.base_url}{path}", json=body, headers=headers, timeout=5,
                         **kwargs)  # type: ignore[arg-type]


def test_key_pair_login_returns_flat_tokens_with_null_mfa_fields(standin: StandIn) -> None:
    r = post(standin, "/api/user/login", PLAIN.auth_body(), {**AUTH, **PLAIN.key_headers})
    assert r.status_code == 200
    body = r.json()
    assert body["access_token"].startswith("lvtx.") and "REDACTED" not in body["access_token"]
    assert body["refresh_token"] and body["user_id"] == PLAIN.user_id
    assert all(body[k] is None for k in ("mfa_options", "mfa_details", "sms_session_id",
                                         "email_session_id"))
    assert "code" not in body and "ts" not in body


def test_login_is_routed_by_path_when_the_host_header_is_the_stand_in(standin: StandIn) -> None:
    r = post(standin, "/api/user/login", PLAIN.auth_body(), PLAIN.key_headers)
    assert r.status_code == 200 and r.json()["access_token"]


def test_login_is_routed_by_a_leading_wyze_host_segment(standin: StandIn) -> None:
    r = post(standin, "/auth-prod.api.wyze.com/api/user/login", PLAIN.auth_body(),
             PLAIN.key_headers)
    assert r.status_code == 200 and r.json()["access_token"]


def test_wrong_password_is_http_400_error_code_1000_via_cloudfront(standin: StandIn) -> None:
    r = post(standin, "/api/user/login", PLAIN.auth_body("not-the-password"),
             {**AUTH, **PLAIN.key_headers})
    assert r.status_code == 400
    body = r.json()
    assert body["errorCode"] == 1000 and "keyid or apikey" in body["description"]
    assert uuid.UUID(body["requestId"]).version == 4 and not is_placeholder(body["requestId"])
    assert r.headers["x-cache"] == "Error from cloudfront"


def test_wrong_key_pair_is_rejected_even_with_the_right_password(standin: StandIn) -> None:
    headers = {**AUTH, "keyid": PLAIN.key_id or "", "apikey": "REDACTED_apikey_ffffffffffffffff"}
    r = post(standin, "/api/user/login", PLAIN.auth_body(), headers)
    assert r.status_code == 400 and r.json()["errorCode"] == 1000


def test_plain_text_password_is_refused_because_the_host_expects_triple_md5(
        standin: StandIn) -> None:
    body = {"email": PLAIN.email, "password": PLAIN.password}
    r = post(standin, "/api/user/login", body, {**AUTH, **PLAIN.key_headers})
    assert r.status_code == 400


def test_app_key_login_accepts_v1_v2_and_v3_paths(standin: StandIn) -> None:
    for path in ("/user/login", "/v2/user/login", "/v3/user/login"):
        r = post(standin, path, PLAIN.auth_body(), APP_AUTH)
        assert r.status_code == 200, path
        assert r.json()["access_token"].startswith("lvtx.")


def test_app_key_login_without_the_apps_x_api_key_fails(standin: StandIn) -> None:
    r = post(standin, "/user/login", PLAIN.auth_body(), AUTH)
    assert r.status_code == 400 and r.json()["errorCode"] == 1000


def test_app_key_login_wrong_password_says_invalid_user_name_or_password(
        standin: StandIn) -> None:
    r = post(standin, "/user/login", PLAIN.auth_body("nope"), APP_AUTH)
    assert r.json()["description"] == "Invalid User Name or Password."


def test_malformed_login_body_is_a_parameter_error(standin: StandIn) -> None:
    r = requests.post(f"{standin.base_url}/api/user/login", data=b"not json", timeout=5,
                      headers={**AUTH, **PLAIN.key_headers})
    assert r.status_code == 400 and r.json()["errorCode"] == 1001


def test_five_failures_lock_the_account_with_the_too_many_attempts_error(
        standin: StandIn) -> None:
    headers = {**AUTH, **PLAIN.key_headers}
    bodies = [post(standin, "/api/user/login", PLAIN.auth_body("bad"), headers).json()
              for _ in range(5)]
    assert bodies[-1]["description"] == "Too many failed attempts. Please try again later."
    assert all(b["errorCode"] == 1000 for b in bodies)
    locked = post(standin, "/api/user/login", PLAIN.auth_body(), headers)
    assert locked.status_code == 400 and "Too many failed attempts" in locked.json()["description"]
    standin.clock.advance(901)
    assert post(standin, "/api/user/login", PLAIN.auth_body(), headers).status_code == 200


def test_old_2018_login_takes_a_double_md5_password(standin: StandIn) -> None:
    r = post(standin, "/app/user/login", PLAIN.old_login_body(), {"Host": "api.wyzecam.com:8443"})
    body = r.json()
    assert r.status_code == 200 and body["code"] == "1" and body["msg"] == ""
    assert body["data"]["access_token"] and body["data"]["user_center_id"] == PLAIN.user_id


def test_old_2018_login_errors_are_string_messages_then_user_is_locked(
        standin: StandIn) -> None:
    host = {"Host": "api.wyzecam.com:8443"}
    msgs = [post(standin, "/app/user/login", PLAIN.old_login_body("bad"), host).json()["msg"]
            for _ in range(5)]
    assert msgs[:4] == ["UserNameOrPasswordError"] * 4 and msgs[4] == "UserIsLocked"
    assert post(standin, "/app/user/login", PLAIN.old_login_body(), host).json()["msg"] \
        == "UserIsLocked"


def test_old_2018_login_with_a_non_hash_password_is_code_1001(standin: StandIn) -> None:
    body = {**PLAIN.old_login_body(), "password": "plain"}
    r = post(standin, "/app/user/login", body, {"Host": "api.wyzecam.com:8443"}).json()
    assert r["code"] == "1001" and r["data"] == {}


def test_totp_account_is_asked_for_a_code_then_logs_in_with_rfc6238(standin: StandIn) -> None:
    first = post(standin, "/user/login", TOTP.auth_body(), APP_AUTH).json()
    assert first["access_token"] is None and first["user_id"] == TOTP.user_id
    assert first["mfa_options"] == ["TotpVerificationCode"]
    app_id = first["mfa_details"]["totp_apps"][0]["app_id"]
    assert app_id == TOTP_APP_ID
    code = totp(TOTP_SECRET, standin.clock.now())
    second = post(standin, "/user/login", TOTP.auth_body(
        mfa_type="TotpVerificationCode", verification_id=app_id, verification_code=code),
        APP_AUTH)
    assert second.status_code == 200 and second.json()["access_token"].startswith("lvtx.")


def test_wrong_totp_code_is_http_400(standin: StandIn) -> None:
    code = totp(TOTP_SECRET, standin.clock.now() - 600)
    r = post(standin, "/user/login", TOTP.auth_body(
        mfa_type="TotpVerificationCode", verification_id=TOTP_APP_ID, verification_code=code),
        APP_AUTH)
    assert r.status_code == 400 and r.json()["errorCode"] == 1000


def test_key_pair_login_skips_mfa_for_an_mfa_account(standin: StandIn) -> None:
    r = post(standin, "/api/user/login", TOTP.auth_body(), {**AUTH, **TOTP.key_headers})
    assert r.json()["access_token"].startswith("lvtx.")


def test_sms_code_flow_with_query_parameters(standin: StandIn) -> None:
    first = post(standin, "/user/login", SMS.auth_body(), APP_AUTH).json()
    assert first["mfa_options"] == ["PrimaryPhone", "Email"]
    sent = post(standin, "/user/login/sendSmsCode", {}, AUTH, params={
        "mfaPhoneType": "Primary", "sessionId": first["sms_session_id"], "userId": SMS.user_id})
    session_id = sent.json()["session_id"]
    assert requests.get(f"{standin.base_url}/__standin__/outbox", timeout=5).json()[-1][
        "code"] == SMS_CODE
    wrong = post(standin, "/user/login", SMS.auth_body(
        mfa_type="PrimaryPhone", verification_id=session_id, verification_code="000000"),
        APP_AUTH)
    assert wrong.status_code == 400
    right = post(standin, "/user/login", SMS.auth_body(
        mfa_type="PrimaryPhone", verification_id=session_id, verification_code=SMS_CODE),
        APP_AUTH)
    assert right.status_code == 200 and right.json()["access_token"]


def test_sms_code_request_also_accepts_wyzeapys_form_body(standin: StandIn) -> None:
    first = post(standin, "/user/login", SMS.auth_body(), APP_AUTH).json()
    r = requests.post(f"{standin.base_url}/user/login/sendSmsCode", headers=AUTH, timeout=5,
                      data={"mfaPhoneType": "Primary", "sessionId": first["sms_session_id"],
                            "userId": SMS.user_id})
    assert r.status_code == 200 and r.json()["session_id"]


def test_email_code_flow(standin: StandIn) -> None:
    first = post(standin, "/v2/user/login", SMS.auth_body(), APP_AUTH).json()
    sent = post(standin, "/v2/user/login/sendEmailCode", {}, AUTH, params={
        "userId": SMS.user_id, "sessionId": first["email_session_id"]}).json()
    r = post(standin, "/user/login", SMS.auth_body(
        mfa_type="Email", verification_id=sent["session_id"], verification_code=EMAIL_CODE),
        APP_AUTH)
    assert r.status_code == 200 and r.json()["access_token"]


def test_send_code_with_an_unknown_session_is_refused(standin: StandIn) -> None:
    r = post(standin, "/user/login/sendSmsCode", {}, AUTH, params={
        "mfaPhoneType": "Primary", "sessionId": "REDACTED_x_0000000000000000",
        "userId": SMS.user_id})
    assert r.status_code == 400


def test_auth_rate_limit_headers_count_down_on_200_and_400_then_429() -> None:
    s = StandIn(default_state_dict(auth_limit=3))
    s.start()
    try:
        headers = {**AUTH, **PLAIN.key_headers}
        ok = post(s, "/api/user/login", PLAIN.auth_body(), headers)
        bad = post(s, "/api/user/login", PLAIN.auth_body("bad"), headers)
        assert ok.headers["x-ratelimit-remaining"] == "2"
        assert bad.status_code == 400 and bad.headers["x-ratelimit-remaining"] == "1"
        reset = bad.headers["x-ratelimit-reset-by"]
        time.strptime(reset, "%a %b %d %H:%M:%S %Z %Y")
        post(s, "/api/user/login", PLAIN.auth_body(), headers)
        limited = post(s, "/api/user/login", PLAIN.auth_body(), headers)
        assert limited.status_code == 429 and limited.content == b""
        assert limited.headers["x-ratelimit-remaining"] == "0"
        s.clock.advance(481)
        assert post(s, "/api/user/login", PLAIN.auth_body(), headers).status_code == 200
    finally:
        s.stop()
