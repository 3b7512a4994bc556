"""Every stand-in response, for every endpoint and outcome, validates against schemas/.

`drive_everything` plays one phone-like session per outcome over real HTTP on 127.0.0.1 and
records VCR-shaped interactions under the real Wyze URLs. Two checks use them: the project's
validator (`schema.validate.check_interaction`, catalog-driven), and a direct check of each
response against the schema this test expects it to meet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

import jsonschema
import pytest
import requests
from referencing import Registry, Resource

from standin import StandIn, double_md5, totp
from standin.scenarios import (
    APP_KEY_ANDROID,
    EMAIL_CODE,
    PLAIN,
    SMS,
    SMS_CODE,
    TOTP,
    TOTP_APP_ID,
    TOTP_SECRET,
    app_body,
    default_state_dict,
)
from tests.standin_plugin_drive import drive_plugins, drive_plugins_expired
from wyzeproto import signing

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
BASE = "https://wyze-toolkit.invalid/schemas/"
AUTH, APP, OLD = "auth-prod.api.wyze.com", "api.wyzecam.com", "api.wyzecam.com:8443"
FORD, EARTH = "yd-saas-toc.wyzecam.com", "wyze-earth-service.wyzecam.com"
SIRIUS, VENUS = "wyze-sirius-service.wyzecam.com", "wyze-venus-service-vn.wyzecam.com"
PLATFORM = "wyze-platform-service.wyzecam.com"
OLIVE_HEADERS = {"appid": signing.OLIVE_APP_ID, "appinfo": "wyze_android_2.19.14",
                 "phoneid": "3f0c9a4e-7b21-4d6a-9e58-c1d2e3f4a5b6"}
LOCK_UUID = "5c8e1f0a3b7d4e29a6c0d1e2f3a4b5c6"
THERMOSTAT, SWITCH, VACUUM = "CO_EA1_3130334B52484D33", "LD_SS1_80482C9E1A3F", \
    "JA_RO2_4E5A7C1D9B02"
OLIVE_ERR, FORD_ERR = "common/olive.json#/$defs/", "common/ford.json#/$defs/"
# Where schemas/ (owned by the schema work of issue 10) contradicts what the public clients
# send or read, the stand-in follows the clients. Each entry: (path, the problem's text, the
# evidence). Remove an entry once the schema is fixed; nothing else is excused.
SCHEMA_CONTRADICTIONS: list[tuple[str, str, str]] = []


def _excused(uri: str, problem: str) -> bool:
    path = "/" + uri.split("/", 3)[3].split("?")[0]
    return any(path == p and text in problem for p, text, _ in SCHEMA_CONTRADICTIONS)
APP_KEY = {"X-API-Key": APP_KEY_ANDROID, "Phone-Id": "00000000-0000-4000-8000-0000000000ff"}
ERR = "common/app-errors.json#/$defs/"


class Recorded(NamedTuple):
    """One exchange: the schema its response must meet, the interaction, and whether the
    request was deliberately malformed (to provoke 1001), so its request may not validate."""

    expect: str
    interaction: dict[str, Any]
    malformed: bool = False


class Recorder:
    """Posts to the stand-in as if to Wyze hosts; keeps (expected schema, interaction) pairs."""

    def __init__(self, s: StandIn) -> None:
        self.s = s
        self.recorded: list[Recorded] = []

    def post(self, host: str, path: str, expect: str, body: Any = None,
             headers: dict[str, str] | None = None, params: dict[str, str] | None = None,
             form: dict[str, str] | None = None, malformed: bool = False,
             method: str = "POST", raw: bytes | None = None) -> Any:
        sent = {"Host": host, **(headers or {})}
        if raw is not None or method == "GET":
            data = raw or b""
            if raw is not None:
                sent["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
            sent["Content-Type"] = "application/json"
        r = requests.request(method, f"{self.s.base_url}{path}", data=data, headers=sent,
                             params=params, timeout=5)
        query = f"?{urlencode(params)}" if params else ""
        self.recorded.append(Recorded(expect, {
            "request": {"method": method, "uri": f"https://{host}{path}{query}",
                        "body": data.decode(), "headers": {k: [v] for k, v in sent.items()}},
            "response": {"status": {"code": r.status_code, "message": r.reason},
                         "headers": {k: [v] for k, v in r.headers.items()},
                         "body": {"string": r.text}}}, malformed))
        return r.json() if r.content else None

    def olive(self, method: str, host: str, path: str, expect: str, token: str,
              fields: dict[str, Any], tamper: bool = False) -> Any:
        # A tampered request is wrong on purpose: only its answer must validate.
        """A signed olive request as wyze-sdk sends it (nonce, appid, signature2)."""
        nonce = str(int(self.s.clock.now() * 1000))
        fields = {**fields, "nonce": nonce}
        secret = signing.SECRETS_BY_APP_ID[OLIVE_HEADERS["appid"]]
        headers = {**OLIVE_HEADERS, "access_token": token,
                   "requestid": signing.request_id(nonce)}
        if method == "GET":
            params = {k: str(v) for k, v in fields.items()}
            headers["signature2"] = signing.signature2(
                token, signing.sorted_params(params), secret)
            if tamper:
                params["keys"] = params.get("keys", "") + ",tampered"
            return self.post(host, path, expect, headers=headers, params=params,
                             method="GET", malformed=tamper)
        raw = json.dumps(fields, separators=(",", ":")).encode()
        headers["signature2"] = signing.signature2(token, raw, secret)
        if tamper:
            raw = raw.replace(b'"nonce"', b'"nonce_"')
        return self.post(host, path, expect, headers=headers, raw=raw, method=method,
                         malformed=tamper)

    def ford(self, method: str, path: str, expect: str, token: str, fields: dict[str, Any],
             tamper: bool = False, timestamp: bool = True) -> Any:
        """A signed Ford request: GET query as wyzeapy builds it, POST body as wyze-sdk."""
        token_key = "access_token" if method == "GET" else "accessToken"
        params = {**fields, token_key: token, "key": signing.FORD_APP_KEY,
                  "timestamp": str(int(self.s.clock.now() * 1000))}
        if not timestamp:
            del params["timestamp"]
        params["sign"] = signing.ford_sign(method, path, params)
        if tamper:
            params["sign"] = params["sign"][::-1]
        wrong = tamper or not timestamp
        if method == "GET":
            return self.post(FORD, path, expect, params=params, method="GET", malformed=wrong)
        return self.post(FORD, path, expect, raw=json.dumps(params).encode(), method=method,
                         malformed=wrong)

    def app(self, path: str, expect: str, token: str = "", malformed: bool = False,
            **extra: Any) -> Any:
        return self.post(APP, path, expect, app_body(path, token, **extra),
                         malformed=malformed)


def _app_path(path: str) -> str:
    return f"app-api{path}.response.json"


def drive_everything(s: StandIn) -> list[Recorded]:
    """One request per endpoint and outcome the stand-in implements."""
    rec = Recorder(s)
    keys = PLAIN.key_headers
    ok = rec.post(AUTH, "/api/user/login", "auth/api/user/login.response.json",
                  PLAIN.auth_body(), keys)
    token, refresh = ok["access_token"], ok["refresh_token"]
    rec.post(AUTH, "/api/user/login", "common/auth.json#/$defs/wrong_credentials",
             PLAIN.auth_body("wrong-password"), keys)
    for path in ("/user/login", "/v2/user/login", "/v3/user/login"):
        rec.post(AUTH, path, f"auth{path}.response.json", PLAIN.auth_body(), APP_KEY)
    rec.post(AUTH, "/user/login", "common/auth.json#/$defs/wrong_credentials",
             PLAIN.auth_body("wrong-password"), APP_KEY)
    # MFA: TOTP, SMS, email, and a wrong code.
    rec.post(AUTH, "/user/login", "common/auth.json#/$defs/mfa_required", TOTP.auth_body(),
             APP_KEY)
    rec.post(AUTH, "/user/login", "auth/user/login.response.json", TOTP.auth_body(
        mfa_type="TotpVerificationCode", verification_id=TOTP_APP_ID,
        verification_code=totp(TOTP_SECRET, s.clock.now())), APP_KEY)
    first = rec.post(AUTH, "/user/login", "common/auth.json#/$defs/mfa_required",
                     SMS.auth_body(), APP_KEY)
    sms = rec.post(AUTH, "/user/login/sendSmsCode", "auth/user/login/sendSmsCode.response.json",
                   {}, params={"mfaPhoneType": "Primary", "sessionId": first["sms_session_id"],
                               "userId": SMS.user_id})
    rec.post(AUTH, "/user/login", "common/auth.json#/$defs/mfa_code_wrong", SMS.auth_body(
        mfa_type="PrimaryPhone", verification_id=sms["session_id"], verification_code="000000"),
        APP_KEY)
    rec.post(AUTH, "/user/login", "auth/user/login.response.json", SMS.auth_body(
        mfa_type="PrimaryPhone", verification_id=sms["session_id"], verification_code=SMS_CODE),
        APP_KEY)
    first = rec.post(AUTH, "/v2/user/login", "common/auth.json#/$defs/mfa_required",
                     SMS.auth_body(), APP_KEY)
    rec.post(AUTH, "/user/login/sendSmsCode", "auth/user/login/sendSmsCode.response.json",
             form={"mfaPhoneType": "Primary", "sessionId": first["sms_session_id"],
                   "userId": SMS.user_id})
    mail = rec.post(AUTH, "/v2/user/login/sendEmailCode",
                    "auth/v2/user/login/sendEmailCode.response.json", {},
                    params={"userId": SMS.user_id, "sessionId": first["email_session_id"]})
    rec.post(AUTH, "/user/login", "auth/user/login.response.json", SMS.auth_body(
        mfa_type="Email", verification_id=mail["session_id"], verification_code=EMAIL_CODE),
        APP_KEY)
    # 2018 login: success, wrong password, 1001, lockout (4 more failures), then the auth
    # host's lockout answer for the same account.
    rec.post(OLD, "/app/user/login", "api-2018/app/user/login.response.json",
             PLAIN.old_login_body())
    for _ in range(4):
        rec.post(OLD, "/app/user/login", ERR + "user_name_or_password_error",
                 PLAIN.old_login_body("wrong"))
    rec.post(OLD, "/app/user/login", ERR + "parameter_error",
             {**PLAIN.old_login_body(), "password": "plain"}, malformed=True)
    rec.post(OLD, "/app/user/login", ERR + "user_is_locked", PLAIN.old_login_body("wrong"))
    rec.post(AUTH, "/api/user/login", "common/auth.json#/$defs/too_many_attempts",
             PLAIN.auth_body(), keys)
    # App API with the token from the first login.
    cam = {"device_mac": "2CAA8E4F1D07", "device_model": "WYZE_CAKP2JFUS"}
    offline = {"device_mac": "2CAA8E0C7731", "device_model": "WYZEC1-JZ"}
    for path, extra in [
        ("/app/v2/home_page/get_object_list", {}),
        ("/app/user/get_user_info", {}),
        ("/app/v2/device/get_property_list", {**cam, "target_pid_list": []}),
        ("/app/v2/device/get_property_list", {**offline, "target_pid_list": ["P5"]}),
        ("/app/v2/device_list/get_property_list",
         {"device_list": ["7C78B2E5A40C", "D03F27A6E913"], "target_pid_list": []}),
        ("/app/v2/device/set_property", {**cam, "pid": "P1047", "pvalue": "0"}),
        ("/app/v2/device/get_device_Info", {"device_mac": "7C78B2D40F86",
                                            "device_model": "WLPA19C"}),
        ("/app/v2/auto/run_action", {"provider_key": "HL_PAN3", "instance_id": "7C78B2193E6F",
                                     "action_key": "siren_on", "action_params": {},
                                     "custom_string": ""}),
    ]:
        rec.app(path, _app_path(path), token, **extra)
    rec.app("/app/v2/device/set_property_list",
            _app_path("/app/v2/device/set_property_list"), token, **cam,
            property_list=[{"pid": "P1048", "pvalue": "1"}])
    rec.app("/app/v2/device_list/set_property_list",
            _app_path("/app/v2/device_list/set_property_list"), token,
            device_list=[{"device_mac": "7C78B2E5A40C", "device_model": "WLPP1CFH",
                          "property_list": [{"pid": "P3", "pvalue": "1"}]}])
    rec.app("/app/v2/auto/run_action_list", _app_path("/app/v2/auto/run_action_list"), token,
            action_list=[{"instance_id": "7C78B2D40F86", "provider_key": "WLPA19C",
                          "action_key": "set_mesh_property", "action_params": {"list": [
                              {"mac": "7C78B2D40F86",
                               "plist": [{"pid": "P1501", "pvalue": "50"}]}]}}])
    rec.app("/app/v2/device/get_event_list", _app_path("/app/v2/device/get_event_list"), token,
            device_mac_list=[], begin_time=0, end_time=int(s.clock.now() * 1000) + 1,
            event_type="1", event_value_list=[], event_tag_list=[], order_by=2, count=20)
    rec.app("/app/v2/plug/usage_record_list", _app_path("/app/v2/plug/usage_record_list"),
            token, device_mac="7C78B2E5A40C", date_begin=1_733_000_000_000,
            date_end=1_733_200_000_000)
    rec.app("/app/user/set_push_info", _app_path("/app/user/set_push_info"), token,
            push_switch="1")
    rec.app("/app/v2/device/timer/get", _app_path("/app/v2/device/timer/get"), token,
            device_mac="7C78B2E5A40C", action_type=1)
    rec.app("/app/device/get_device_info", _app_path("/app/device/get_device_info"), token,
            device_mac="7C78B2D40F86")
    rec.app("/app/v2/device_event/set_read_state_list",
            _app_path("/app/v2/device_event/set_read_state_list"), token,
            event_list=[{"device_mac": "2CAA8E4F1D07", "event_id_list": [],
                         "event_type": 1}], read_state=1)
    rec.app("/app/v2/device/get_property_list", ERR + "parameter_error", token,
            malformed=True)
    rec.app("/app/v2/device/get_property_list", ERR + "unauthorized_operation", token,
            device_mac="2CAA8E3B5F62", device_model="WYZE_CAKP2JFUS")
    rec.app("/app/v2/auto/run_action", ERR + "device_offline", token,
            provider_key="WYZEC1-JZ", instance_id="2CAA8E0C7731", action_key="power_on",
            action_params={}, custom_string="")
    rec.app("/app/v2/home_page/get_object_list", ERR + "access_token_expired",
            "lvtx.REDACTED_access_token_0000000000000000")
    drive_signed(rec, token)
    drive_rest(rec, token)
    # Expiry of both tokens, refresh, logout.
    s.clock.advance(2 * 86400 + 1)
    drive_signed_expired(rec, token)
    drive_rest_expired(rec, token)
    rec.app("/app/v2/home_page/get_object_list", ERR + "access_token_expired", token)
    new = rec.app("/app/user/refresh_token", _app_path("/app/user/refresh_token"), token,
                  refresh_token=refresh)["data"]
    rec.app("/app/user/refresh_token", ERR + "refresh_token_invalid", refresh_token=refresh)
    rec.app("/app/user/logout", _app_path("/app/user/logout"), new["access_token"])
    s.clock.advance(30 * 86400 + 1)
    rec.app("/app/user/refresh_token", ERR + "refresh_token_invalid",
            refresh_token=new["refresh_token"])
    return rec.recorded


def drive_signed(rec: Recorder, token: str) -> None:
    """Every Ford and olive route the stand-in serves, with success and signature errors."""
    lock = {"uuid": LOCK_UUID}
    rec.ford("GET", "/openapi/v1/device", "ford/openapi/v1/device.response.json", token,
             {"limit": "25", "offset": "0", "detail": "1"})
    rec.ford("GET", "/openapi/lock/v1/info", "ford/openapi/lock/v1/info.response.json",
             token, {**lock, "with_keypad": "1"})
    rec.ford("GET", "/openapi/keypad/v1/info", "ford/openapi/keypad/v1/info.response.json",
             token, lock)
    for action in ("remoteUnlock", "remoteLock"):
        rec.ford("POST", "/openapi/lock/v1/control",
                 "ford/openapi/lock/v1/control.response.json", token, {**lock, "action": action})
    rec.ford("GET", "/openapi/v1/crypt_secret", "ford/openapi/v1/crypt_secret.response.json",
             token, {})
    rec.ford("GET", "/openapi/v1/safety/count", "ford/openapi/v1/safety/count.response.json",
             token, {**lock, "begin": "0"})
    rec.ford("GET", "/openapi/v1/safety/family_record",
             "ford/openapi/v1/safety/family_record.response.json", token,
             {**lock, "begin": "0", "offset": "0", "limit": "20"})
    rec.ford("POST", "/openapi/lock/v1/pwd/operations/add",
             "ford/openapi/lock/v1/pwd/operations/add.response.json", token,
             {**lock, "userid": PLAIN.user_id, "name": "Dog walker",
              "password": "6b1f0e3a9c2d4e5f", "permission": '{"status":1,"type":1}'})
    codes = rec.ford("GET", "/openapi/lock/v1/pwd", "ford/openapi/lock/v1/pwd.response.json",
                     token, lock)["passwords"]
    rec.ford("POST", "/openapi/lock/v1/pwd/operations/delete",
             "ford/openapi/lock/v1/pwd/operations/delete.response.json", token,
             {**lock, "passwordid": str(codes[-1]["id"])})
    rec.ford("GET", "/openapi/lock/v1/info", FORD_ERR + "sign_invalid", token, lock,
             tamper=True)
    rec.ford("POST", "/openapi/lock/v1/control", FORD_ERR + "sign_invalid", token,
             {**lock, "action": "remoteLock"}, tamper=True)
    rec.ford("GET", "/openapi/lock/v1/info", FORD_ERR + "timestamp_invalid", token, lock,
             timestamp=False)
    rec.ford("GET", "/openapi/lock/v1/info", FORD_ERR + "error",
             "lvtx.bm90LWEtbGl2ZS10b2tlbi1mb3ItdGhpcy10ZXN0", lock)
    for host, plugin, did, keys, props in [
            (EARTH, "earth", THERMOSTAT, "temperature,cool_sp,mode_sys", {"cool_sp": "74"}),
            (SIRIUS, "sirius", SWITCH, "switch-power,iot_state", {"switch-power": "1"}),
            (VENUS, "venus", VACUUM, "mode,battery", {"mode": "0"})]:
        base = f"{plugin}/plugin/{plugin}/"
        rec.olive("GET", host, f"/plugin/{plugin}/get_iot_prop",
                  base + "get_iot_prop.response.json", token, {"did": did, "keys": keys})
        rec.olive("GET", host, f"/plugin/{plugin}/device_info",
                  base + "device_info.response.json", token, {"device_id": did, "keys": keys})
        if plugin != "venus":
            rec.olive("GET", host, f"/plugin/{plugin}/get_sub_device",
                      base + "get_sub_device.response.json", token, {"device_id": did})
            for name in ("set_iot_prop", "set_iot_prop_by_topic"):  # what wyze-sdk sends
                rec.olive("POST", host, f"/plugin/{plugin}/{name}", f"{base}{name}.response.json",
                          token, {"did": did, "model": did.rsplit("_", 1)[0], "props": props,
                                  "is_sub_device": 0})
        rec.olive("GET", host, f"/plugin/{plugin}/get_iot_prop", OLIVE_ERR + "error", token,
                  {"did": did, "keys": keys}, tamper=True)
    rec.olive("POST", EARTH, "/plugin/earth/set_iot_prop", OLIVE_ERR + "error", token,
              {"did": "CO_EA1_0000DEADBEEF", "model": "CO_EA1", "props": {"cool_sp": "74"}})
    rec.olive("POST", VENUS, f"/plugin/venus/{VACUUM}/control",
              "venus/plugin/venus/by_did/control.response.json", token, {"type": 0, "value": 1})
    rec.olive("GET", VENUS, f"/plugin/venus/{VACUUM}/status",
              "venus/plugin/venus/by_did/status.response.json", token, {})
    rec.olive("POST", EARTH, "/plugin/earth/set_iot_prop", OLIVE_ERR + "error", token,
              {"did": THERMOSTAT, "model": "CO_EA1", "props": {"cool_sp": "74"}}, tamper=True)
    rec.olive("GET", PLATFORM, "/app/v2/platform/get_user_profile",
              "platform/app/v2/platform/get_user_profile.response.json", token, {})
    drive_plugins(rec, token, int(rec.s.clock.now() * 1000))


def drive_signed_expired(rec: Recorder, token: str) -> None:
    """A correctly signed request with an expired token, on each signed service."""
    rec.ford("GET", "/openapi/lock/v1/info", FORD_ERR + "error", token, {"uuid": LOCK_UUID})
    rec.olive("GET", EARTH, "/plugin/earth/get_iot_prop", OLIVE_ERR + "error", token,
              {"did": THERMOSTAT, "keys": "temperature"})
    drive_plugins_expired(rec, token)


V4, WEBRTC, HMS = "app.wyzecam.com", "webrtc.api.wyze.com", "hms.api.wyze.com"
V4_ERR, DM = "common/v4.json#/$defs/", "/device-management/api/"
PORCH, FLOODLIGHT, OG = "2CAA8E4F1D07", "D03F27C45E19", "GW_GC1_7C78B2E41D09"
HMS_ID = "a7c3e9f1042b4d6e8f5a1c3b7d9e0f24"
REST_EXPIRED = "kinesis/api/v1/kinesis/live_replay_url/get.response.json"


def _hms(rec: Recorder, method: str, path: str, expect: str, token: str,
         body: Any = None, nonce: bool = True) -> Any:
    """An HMS call as wyzeapy signs it: signature2 over the sorted query only."""
    query = {"hms_id": HMS_ID, **({"nonce": str(int(rec.s.clock.now() * 1000))}
                                  if nonce else {})}
    headers = {**OLIVE_HEADERS, "access_token": token, "Authorization": token,
               "signature2": signing.signature2(token, signing.sorted_params(query))}
    raw = None if body is None else json.dumps(body).encode()
    return rec.post(HMS, path, expect, headers=headers, params=query, method=method, raw=raw)


def drive_rest(rec: Recorder, token: str) -> None:
    """Streams, v4, HMS, devicemgmt, the 2018 calls and the small services (issue 11)."""
    for path in ("/app/v2/device/get_iotc_info",):
        rec.app(path, _app_path(path), token, device_mac=PORCH)
    rec.app("/app/v2/device/get_iotc_info", ERR + "device_offline", token,
            device_mac="2CAA8E0C7731")
    rec.post(WEBRTC, f"/signaling/device/{FLOODLIGHT}",
             "webrtc/signaling/device/get.response.json", headers={
                 "authorization": signing.bearer(token)}, params={"use_trickle": "true"},
             method="GET")
    rec.post(WEBRTC, f"/signaling/device/{PORCH}", "", headers={
        "authorization": signing.bearer(token)}, method="GET")
    streams = {"device_list": [{"device_id": FLOODLIGHT, "device_model": "LD_CFP",
                                "provider": "webrtc", "parameters": {"use_trickle": True}}]}
    for path in ("/app/v4/camera/get-streams", "/app/v4/camera/get_streams"):
        rec.olive("POST", V4, path, "app-v4/app/v4/camera/get-streams.response.json", token,
                  streams)
    rec.olive("POST", V4, "/app/v4/camera/get-streams", V4_ERR + "access_token_expired",
              token, streams, tamper=True)
    for path, fields in [
            ("/app/v4/iot3/get-property", {"targetInfo": {"id": "DX_LB2_7C78B2A90E51",
                                                          "model": "DX_LB2"},
                                           "payload": {"cmd": "get_property", "props": [
                                               "lock::lock-status"], "tid": 7, "ts": 1,
                                               "ver": 1}}),
            ("/app/v4/iot3/run-action", {"targetInfo": {"id": "DX_LB2_7C78B2A90E51",
                                                        "model": "DX_LB2"},
                                         "payload": {"action": "lock::unlock",
                                                     "cmd": "run_action", "params": {},
                                                     "tid": 8, "ts": 1, "ver": 1}}),
            ("/app/v4/iot3/get-app-setting", {"targetInfo": {"id": "DX_LB2_7C78B2A90E51",
                                                             "model": "DX_LB2"}}),
            ("/app/v4/iot3/event-history", {"targetInfo": {"id": "DX_LB2_7C78B2A90E51",
                                                           "model": "DX_LB2"}}),
            ("/app/v4/home/get-favorites", {})]:
        rec.olive("POST", V4, path, f"app-v4{path}.response.json", token, fields)
    rec.olive("POST", "app-core.cloud.wyze.com", "/app/v4/device/get_event_list",
              "app-v4/app/v4/device/get_event_list.response.json", token,
              {"device_id_list": [PORCH], "begin_time": 0, "count": 20, "order_by": 2,
               "end_time": int(rec.s.clock.now() * 1000) + 1, "event_value_list": [],
               "event_tag_list": []})
    for host, path in (("ams-api.wyzecam.com", "/api/v1/kinesis/live_replay_url/get"),
                       ("beta-ams-api.wyzecam.com", "/api/v1/kinesis/replay_url/get")):
        rec.post(host, path, f"kinesis{path}.response.json",
                 app_body(path, token, device_mac=FLOODLIGHT, device_model="LD_CFP"))
    # HMS, armed and disarmed; membership hands out its id.
    rec.olive("GET", "wyze-membership-service.wyzecam.com",
              "/platform/v2/membership/get_plan_binding_list_by_user",
              "membership/platform/v2/membership/get_plan_binding_list_by_user.response.json",
              token, {"group_id": "hms"})
    base = "/api/v1/monitoring/v1/profile/"
    _hms(rec, "PATCH", base + "active", "hms/api/v1/monitoring/v1/profile/active.response.json",
         token, [{"state": "home", "active": 0}, {"state": "away", "active": 1}], nonce=False)
    armed = _hms(rec, "GET", base + "state-status",
                 "hms/api/v1/monitoring/v1/profile/state-status.response.json", token)
    assert armed == {"message": "away"}
    rec.post(HMS, "/api/v1/reme-alarm", "hms/api/v1/reme-alarm.response.json",
             {"hms_id": HMS_ID, "remediation_id": "emergency"},
             headers={"Authorization": token}, method="DELETE")
    # devicemgmt (both hosts), the AI toggles, Gwell registration, platform variables.
    target = {"id": FLOODLIGHT, "productModel": "LD_CFP", "type": "DEVICE"}
    for host in ("devicemgmt-service-beta.wyze.com", "devicemgmt-service.wyze.com"):
        rec.post(host, DM + "action/run_action",
                 "devicemgmt/device-management/api/action/run_action.post.response.json",
                 {"capabilities": [{"iid": 1, "name": "iot-device", "functions": [
                     {"name": "wakeup", "in": {"wakeup-live-view": "1"}}]}],
                  "nonce": 1, "targetInfo": target}, headers={"authorization": token})
    rec.post("devicemgmt-service-beta.wyze.com", DM + "device-property/get_iot_prop",
             "devicemgmt/device-management/api/device-property/get_iot_prop.response.json",
             {"capabilities": [{"iid": 1, "name": "iot-device", "properties": [
                 "iot-state", "iot-power", "push-switch"]}], "nonce": 1, "targetInfo": target},
             headers={"authorization": token})
    rec.post("devicemgmt-service-beta.wyze.com", DM + "device-property/get_iot_prop",
             OLIVE_ERR + "status_error", {"capabilities": [], "nonce": 1, "targetInfo": target},
             headers={"authorization": "lvtx.bm90LWEtbGl2ZS10b2tlbi1mb3ItdGhpcy10ZXN0"})
    rec.post("ai-subscription-service-beta.wyzecam.com",
             "/v4/subscription-service/toggle-management",
             "subscription/v4/subscription-service/toggle-management.response.json",
             {"data": [{"device_firmware": "1234567890", "device_id": FLOODLIGHT,
                        "device_model": "LD_CFP", "page_id": ["cam_device_notify"],
                        "toggle_update": [{"toggle_id": "notification_toggle",
                                           "toggle_status": "1"}]}], "nonce": "1"},
             headers={"access_token": token}, method="PUT")
    rec.olive("POST", "wyze-mars-service.wyzecam.com", f"/plugin/mars/v2/regist_gw_user/{OG}",
              "mars/plugin/mars/v2/regist_gw_user/by_device_id.response.json", token,
              {"ttl_minutes": 10080, "unique_id": "5b0e2c7f-91d4-4a3e-b6f8-0c2d4e6a8b1f"})
    rec.olive("GET", PLATFORM, "/app/v2/platform/get_variable",
              "platform/app/v2/platform/get_variable.response.json", token,
              {"keys": "voice_assistant", "category": "app"})
    # Ford extras: the gateway, a BLE token, a keypad code renamed, updated and removed.
    lock = {"uuid": LOCK_UUID}
    rec.ford("GET", "/openapi/gateway/v1/info", "ford/openapi/gateway/v1/info.response.json",
             token, {"uuid": "8e3f0b6c2a4d4f19b7e5c1a9d0f2e4b6"})
    rec.ford("GET", "/openapi/lock/v1/ble/token", "ford/openapi/lock/v1/ble/token.response.json",
             token, lock)
    rec.ford("POST", "/openapi/lock/v1/pwd/operations/add",
             "ford/openapi/lock/v1/pwd/operations/add.response.json", token,
             {**lock, "userid": PLAIN.user_id, "name": "Cleaner",
              "password": "0c9d8e7f6a5b4c3d", "permission": '{"status":1,"type":1}'})
    codes = rec.ford("GET", "/openapi/lock/v1/pwd", "ford/openapi/lock/v1/pwd.response.json",
                     token, lock)["passwords"]
    code = {**lock, "passwordid": str(codes[-1]["id"])}
    rec.ford("PUT", "/openapi/lock/v1/pwd/nickname",
             "ford/openapi/lock/v1/pwd/nickname.response.json", token,
             {**code, "nickname": "House cleaner"})
    rec.ford("POST", "/openapi/lock/v1/pwd/operations/update",
             "ford/openapi/lock/v1/pwd/operations/update.response.json", token,
             {**code, "name": "Cleaner (Fridays)"})
    rec.ford("POST", "/openapi/lock/v1/pwd/operations/delete",
             "ford/openapi/lock/v1/pwd/operations/delete.response.json", token, code)
    # The rest of the app API and the 2018 calls.
    plug = {"device_mac": "7C78B2E5A40C", "action_type": 1}
    for path, extra in [
            ("/app/v2/device/timer/set", {**plug, "action_value": 1, "delay_time": 600,
                                          "plan_execute_ts": 1_733_100_000_000}),
            ("/app/v2/device/timer/get", plug), ("/app/v2/device/timer/cancel", plug),
            ("/app/v2/device_group/timer/get", {"group_id": "81235", "action_type": 1}),
            ("/app/v2/device/get_device_info", {"device_mac": PORCH,
                                                "device_model": "WYZE_CAKP2JFUS"}),
            ("/app/device/set_device_Info", {"device_mac": PORCH, "switch_state": "1"}),
            ("/app/user/change_password", {"old_password": double_md5(PLAIN.password),
                                           "new_password": double_md5("demo-password-2")})]:
        rec.app(path, _app_path(path), token, **extra)
    for path in ("/app/device/get_device_list", "/app/system/set_app_info", "/app/user/use_app",
                 "/app/device/get_share_info_list", "/app/device/get_alarm_info_list",
                 "/app/device/upload_device_connect_info",
                 "/app/system/get_allow_binding_device_list"):
        rec.post(OLD, path, f"api-2018{path}.response.json", app_body(path, token))
    rec.post("upgrade-api.wyzecam.com:8605", "/get_upgrade_version_by_list.ashx",
             "firmware/get_upgrade_version_by_list.response.json",
             {"device_list": [{"device_mac": "2CAA8E0C7731", "device_model": "WYZEC1-JZ",
                               "firmware_ver": "4.9.9.3006"}]})
    rec.post("wyze-general-api.wyzecam.com", "/v1/user/event",
             "general/v1/user/event.response.json",
             {"apiKey": "WMXHYf79Nr5gIlt3r0r7p9Tcw5bvs6BB4U8O8nGJ", "appId": "9319141212m2ik",
              "appVersion": "2.19.14", "deviceId": PORCH,
              "eventId": "f6e0b2a8c4d14e7f9a3b5c7d9e1f0a2b", "eventType": 1})


def drive_rest_expired(rec: Recorder, token: str) -> None:
    """A dead token on the token-checked services of drive_rest."""
    rec.post("ams-api.wyzecam.com", "/api/v1/kinesis/live_replay_url/get",
             ERR + "access_token_expired",
             app_body("/api/v1/kinesis/live_replay_url/get", token, device_mac=FLOODLIGHT))
    rec.olive("POST", V4, "/app/v4/camera/get-streams", V4_ERR + "access_token_expired", token,
              {"device_list": [{"device_id": FLOODLIGHT, "provider": "webrtc"}]})
    _hms(rec, "GET", "/api/v1/monitoring/v1/profile/state-status",
         "common/olive.json#/$defs/hms_token_expired", token)
    rec.post(WEBRTC, f"/signaling/device/{FLOODLIGHT}", "",
             headers={"authorization": signing.bearer(token)}, method="GET")


def drive_limits(s: StandIn) -> list[Recorded]:
    """Rate limits: the auth host's 429 and the app API's 1011 (state with tiny limits)."""
    rec = Recorder(s)
    token = ""
    for _ in range(2):
        token = rec.post(AUTH, "/api/user/login", "auth/api/user/login.response.json",
                         PLAIN.auth_body(), PLAIN.key_headers)["access_token"]
    rec.post(AUTH, "/api/user/login", "", PLAIN.auth_body(), PLAIN.key_headers)
    for _ in range(2):
        rec.app("/app/v2/home_page/get_object_list",
                _app_path("/app/v2/home_page/get_object_list"), token)
    rec.app("/app/v2/home_page/get_object_list", ERR + "rate_limited", token)
    return rec.recorded


@pytest.fixture(scope="module")
def interactions() -> Iterator[list[Recorded]]:
    everything, limited = StandIn(default_state_dict(auth_limit=1000)), \
        StandIn(default_state_dict(auth_limit=2, app_limit=2))
    everything.start()
    limited.start()
    try:
        yield drive_everything(everything) + drive_limits(limited)
    finally:
        everything.stop()
        limited.stop()


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        doc = json.loads(path.read_text())
        resources.append((doc.get("$id", BASE + str(path.relative_to(SCHEMAS))),
                          Resource.from_contents(doc)))
    return Registry().with_resources(resources)


def test_the_session_covers_every_standin_endpoint(
        interactions: list[Recorded]) -> None:
    from standin import Cloud

    cloud = Cloud(StandIn.default().state)
    wanted = {(host, p) for host, table in cloud.routes.items() for p in table}
    wanted |= {(VENUS, f"/plugin/venus/{VACUUM}/{verb}") for verb in ("control", "status")}
    seen = {(i["request"]["uri"].split("/")[2].split(":")[0],
             "/" + i["request"]["uri"].split("/", 3)[3].split("?")[0])
            for _, i, _ in interactions}
    assert wanted <= seen, sorted(wanted - seen)


def test_every_standin_response_matches_the_schema_expected_for_its_outcome(
        interactions: list[Recorded]) -> None:
    registry = _registry()
    problems = []
    for n, (expect, inter, _) in enumerate(interactions):
        body = inter["response"]["body"]["string"]
        where = f"interaction {n} ({inter['request']['uri']})"
        if not expect:
            if body:
                problems.append(f"{where}: expected an empty body")
            continue
        schema = {"$ref": BASE + expect}
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
        for error in validator.iter_errors(json.loads(body)):
            if not _excused(inter["request"]["uri"], error.message):
                problems.append(f"{where}::$.{error.json_path[2:]}: {error.message} ({expect})")
    assert not problems, "\n".join(problems)


def _project_validator() -> Any:
    return pytest.importorskip(
        "wyzeproto.schema.validate",
        reason="wyzeproto.schema.validate (check_interaction) does not exist yet; this test runs "
               "once the schema helper lands it")


def test_every_standin_interaction_passes_the_project_validator(
        interactions: list[Recorded]) -> None:
    validate = _project_validator()
    problems = []
    for n, (_, inter, malformed) in enumerate(interactions):
        found = validate.check_interaction(inter, allow_undocumented=True)
        if malformed:  # the request is wrong on purpose; its answer must still validate
            found = [p for p in found if not p.startswith(("request::", "query::"))]
        found = [p for p in found if not _excused(inter["request"]["uri"], p)]
        problems += [f"interaction {n} ({inter['request']['uri']}): {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_every_standin_endpoint_is_in_the_catalog(interactions: list[Recorded]) -> None:
    validate = _project_validator()
    missing = sorted({inter["request"]["uri"] for _, inter, _ in interactions
                      for p in validate.check_interaction(inter)
                      if "is not in the catalog" in p})
    assert not missing, missing
