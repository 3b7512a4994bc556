"""Every real body in ../shared/reference/real-payloads/ against its endpoint and outcome.

The payloads are public third-party text (issue threads, READMEs, Wyze's support pages) and
are not copied into this repository; the tests read them from the reference folder beside the
checkout and are skipped as a whole when it is absent (a fresh clone outside this workspace).
A body that fails only because its author replaced a value by hand (``<SNIP>``,
``access token``, ``[email protected]``) names that file, JSON path and value here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from wyzeproto.schema.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ROOT.parent / "shared" / "reference" / "real-payloads"
pytestmark = pytest.mark.skipif(not PAYLOADS.is_dir(), reason=f"{PAYLOADS} is not here (the "
                                "public payloads are read in place, never copied)")

APP = "https://api.wyzecam.com"
AUTH = "https://auth-prod.api.wyze.com"
FORD = "https://yd-saas-toc.wyzecam.com"
V4 = "https://app.wyzecam.com"
OBJECT_LIST = f"{APP}/app/v2/home_page/get_object_list"
OLD_LOGIN = f"{APP}:8443/app/user/login"
LOCK_INFO = f"{FORD}/openapi/lock/v1/info"


def _wrap_property_list(items: Any) -> Any:
    return {"ts": 1608430244679, "code": "1", "msg": "", "data": {"property_list": items}}


def _wrap_device(item: Any) -> Any:
    return {"ts": 1620338895399, "code": "1", "msg": "", "data": {
        "device_list": [item], "device_group_list": [], "device_sort_list": []}}


# file -> (method, url, status, side, outcome, {JSON path: why it fails}, wrap)
# side 'request' validates the request schema; 'response' finds the outcome and validates it.
CASES: dict[str, tuple[str, str, int, str, str | None, dict[str, str], Any]] = {
    "ha-wyzeapi-44b6fc9__iot3_get-property__request.json":
        ("POST", f"{V4}/app/v4/iot3/get-property", 200, "request", None, {}, None),
    "ha-wyzeapi-44b6fc9__iot3_get-property__response.json":
        ("POST", f"{V4}/app/v4/iot3/get-property", 200, "response", "success", {}, None),
    "ha-wyzeapi-44b6fc9__iot3_run-action__lock_request.json":
        ("POST", f"{V4}/app/v4/iot3/run-action", 200, "request", None, {}, None),
    "ha-wyzeapi-44b6fc9__iot3_run-action__lock_response.json":
        ("POST", f"{V4}/app/v4/iot3/run-action", 200, "response", "success", {}, None),
    "ha-wyzeapi-44b6fc9__iot3_run-action__unlock_response.json":
        ("POST", f"{V4}/app/v4/iot3/run-action", 200, "response", "success", {}, None),
    "ha-wyzeapi-issue103__get_property_list__thermostat_property_list.json":
        ("POST", f"{APP}/app/v2/device/get_property_list", 200, "response", "success", {},
         _wrap_property_list),
    "ha-wyzeapi-issue154__user_login_old__error_3005.json":
        ("POST", f"{APP}/app/user/login", 200, "response", "unauthorized_operation", {}, None),
    "ha-wyzeapi-issue39__user_login__mfa_required_sms.json":
        ("POST", f"{AUTH}/user/login", 200, "response", "mfa_required", {}, None),
    "ha-wyzeapi-issue697__ford_lock_control__error_5034.json":
        ("POST", f"{FORD}/openapi/lock/v1/control", 200, "response", "operation_too_fast", {},
         None),
    "ha-wyzeapi-issue918__refresh_token__error_2002.json":
        ("POST", f"{APP}/app/user/refresh_token", 200, "response", "refresh_token_invalid", {},
         None),
    "ha-wyzeapi-wiki__app_user_login_2019__request.json":
        ("POST", f"{APP}/app/user/login", 200, "request", None,
         {"$.user_name": "'[email protected]': the page copy mangled the e-mail address",
          "$.password": "33 hex digits, one more than a double MD5 has: a copying slip in "
                        "the wiki page (the 2018 README's hash has 32)"}, None),
    "ha-wyzeapi-wiki__app_user_login_2019__response.json":
        ("POST", f"{APP}/app/user/login", 200, "response", "success", {}, None),
    "hclx-wyzehacks-issue132__run_action_upgrade__error_3005.json":
        ("POST", f"{APP}/app/v2/auto/run_action", 200, "response", "unauthorized_operation", {},
         None),
    "homebridge-issue164__ford_lock_info__error_17001.json":
        ("GET", LOCK_INFO, 200, "response", "timestamp_invalid", {}, None),
    "homebridge-issue268__api_user_login__error_400_invalid_credentials.json":
        ("POST", f"{AUTH}/api/user/login", 400, "response", "wrong_credentials", {}, None),
    "homebridge-issue79__user_login__error_400_too_many_attempts.json":
        ("POST", f"{AUTH}/user/login", 400, "response", "too_many_attempts", {}, None),
    "jfarmer08-wyze-api-issue9__get_object_list__error_2001.json":
        ("POST", OBJECT_LIST, 200, "response", "access_token_expired", {}, None),
    "jfarmer08-wyze-api-issue9__get_object_list__request.json":
        ("POST", OBJECT_LIST, 200, "request", None,
         {"$.access_token": "'<SNIP>': the reporter cut the token"}, None),
    "mrlt8-bridge-issue1207__app-core_v4_get_event_list__error_1011.json":
        ("POST", "https://app-core.cloud.wyze.com/app/v4/device/get_event_list", 200,
         "response", "rate_limited", {}, None),
    "mrlt8-bridge-issue820__user_login__error_400_invalid_user.json":
        ("POST", f"{AUTH}/user/login", 400, "response", "wrong_credentials", {}, None),
    "nblavoie-issue4__login__error_1001.json":
        ("POST", OLD_LOGIN, 200, "response", "bad_password_hash", {}, None),
    "nblavoie-readme__get_device_list__request.json":
        ("POST", f"{APP}:8443/app/device/get_device_list", 200, "request", None, {}, None),
    "nblavoie-readme__get_device_list__response.json":
        ("POST", f"{APP}:8443/app/device/get_device_list", 200, "response", "success",
         {"$.data.device_info_list[0].p2p_id": "'PEER_TO_PEER_IDENTIFIER': the author's "
                                               "placeholder",
          "$.data.device_info_list[0].ip": "'CAMERA_IP_ADDRESS': the author's placeholder"},
         None),
    "nblavoie-readme__login__request.json":
        ("POST", OLD_LOGIN, 200, "request", None,
         {"$.password": "'password': the author's placeholder for the double MD5"}, None),
    "nblavoie-readme__login__response.json":
        ("POST", OLD_LOGIN, 200, "response", "success",
         {"$.data.access_token": "'access token': the author's placeholder",
          "$.data.refresh_token": "'refresh token': the author's placeholder"}, None),
    "nprail-wyze-cam-status__get_object_list__device_item.json":
        ("POST", OBJECT_LIST, 200, "response", "success", {}, _wrap_device),
    "wyze-node-issue21__user_login_old__error_3005.json":
        ("POST", f"{APP}/app/user/login", 200, "response", "unauthorized_operation", {}, None),
    "wyze-node-issue23__set_property__thermostat_response.json":
        ("POST", f"{APP}/app/v2/device/set_property", 200, "response", "success", {}, None),
    "wyze-sdk-issue139__ford_lock__error_14008.json":
        ("GET", LOCK_INFO, 200, "response", "sign_invalid", {}, None),
    "wyze-sdk-issue142__any__error_2001_AccessTokenError.json":
        ("POST", OBJECT_LIST, 200, "response", "access_token_expired", {}, None),
    "wyze-sdk-issue147__ford_lock_control__ok.json":
        ("POST", f"{FORD}/openapi/lock/v1/control", 200, "response", "success", {}, None),
    "wyze-sdk-issue170__any__error_2001_traceId.json":
        ("POST", f"{APP}/app/v2/device/get_device_Info", 200, "response",
         "access_token_expired", {}, None),
    "wyze-sdk-issue174__ford_pwd_add__error_14008.json":
        ("POST", f"{FORD}/openapi/lock/v1/pwd/operations/add", 200, "response",
         "sign_invalid", {}, None),
    "wyze-sdk-issue199__api_user_login__error_400.json":
        ("POST", f"{AUTH}/api/user/login", 400, "response", "wrong_credentials", {}, None),
    "wyze-sdk-issue35__any__error_1001_ParameterError.json":
        ("POST", OBJECT_LIST, 200, "response", "parameter_error", {}, None),
    "wyze-support-16129834216731__api_user_login__request.json":
        ("POST", f"{AUTH}/api/user/login", 200, "request", None,
         {"$.email": "'<insert-email-here>': Wyze's own placeholder",
          "$.password": "'md5(md5(md5(password)))': Wyze's own placeholder"}, None),
    # Wyze's own example passes as it is: user_id '' is allowed (audit contradiction 3).
    "wyze-support-16129834216731__api_user_login__response.json":
        ("POST", f"{AUTH}/api/user/login", 200, "response", "success", {}, None),
}


def _failing_paths(catalog: Catalog, ref: str, body: Any) -> set[str]:
    paths = set()
    for error in catalog.store.explain(ref, body):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                             for p in error.absolute_path)
        paths.add(path)
    return paths


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "schemas")


def test_every_json_payload_has_a_case() -> None:
    on_disk = {p.name for p in PAYLOADS.glob("*.json")}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_real_body_validates_against_its_endpoint_and_outcome(
        catalog: Catalog, name: str) -> None:
    method, url, status, side, outcome, hand_edits, wrap = CASES[name]
    body = json.loads((PAYLOADS / name).read_text())
    if wrap is not None:
        body = wrap(body)
    endpoint = catalog.match(method, url)
    assert endpoint is not None, f"{name}: {method} {url} is not in the catalog"
    if side == "request":
        ref = endpoint.request
    else:
        found = endpoint.outcome_for(status, body)
        assert found is not None and found.name == outcome, (name, found)
        ref = found.response
    assert _failing_paths(catalog, ref, body) == set(hand_edits), name


def _partial(name: str) -> str:
    return (PAYLOADS / name).read_text()


def test_the_truncated_thermostat_answer_has_the_olive_envelope(catalog: Catalog) -> None:
    text = _partial("ha-wyzeapi-issue830__earth_get_iot_prop__thermostat_response.partial.txt")
    top = {"code", "current", "data", "hash", "instance_id", "isShowToast", "message",
           "toastMsg", "total"}
    assert all(f"'{key}':" in text for key in top)
    envelope = catalog.store.resolve("common/olive.json#/$defs/response")
    assert top <= set(envelope["properties"])
    endpoint = catalog.match("GET", "https://wyze-earth-service.wyzecam.com/plugin/earth/"
                             "get_iot_prop")
    assert endpoint is not None
    reading = {"code": 1, "current": 1, "hash": "1", "isShowToast": 0, "message": "Success",
               "toastMsg": None, "total": 1, "instance_id": "INSTANCE_ID_REDACTED",
               "data": {"did": "DID_REDACTED", "model": "CO_EA1", "props": {"cool_sp": 72}}}
    found = endpoint.outcome_for(200, reading)
    assert found is not None and found.name == "success"
    assert catalog.store.is_valid(found.response, reading)


def test_the_cloudfront_403_page_is_the_ip_blocked_outcome(catalog: Catalog) -> None:
    text = _partial("homebridge-issue213__auth_login__error_403_cloudfront.partial.txt")
    assert "Request blocked." in text and "<!DOCTYPE HTML" in text
    endpoint = catalog.match("POST", f"{AUTH}/api/user/login")
    assert endpoint is not None
    found = endpoint.outcome_for(403, None)
    assert found is not None and found.name == "ip_blocked"
    assert "HTML" in found.summary  # documented as HTML, hence not a JSON schema


def test_the_truncated_bulb_property_list_validates_up_to_the_cut(catalog: Catalog) -> None:
    text = _partial("homebridge-issue66__get_property_list__bulb_response.partial.txt")
    items = re.findall(r'\{"pid":"P\d+","value":"[^"]*","ts":\d+\}', text)
    assert len(items) > 10
    body = _wrap_property_list([json.loads(i) for i in items])
    endpoint = catalog.match("POST", f"{APP}/app/v2/device/get_property_list")
    assert endpoint is not None
    found = endpoint.outcome_for(200, body)
    assert found is not None and catalog.store.is_valid(found.response, body)


def test_the_gwell_p2p_id_of_a_wyzecam_og_is_accepted(catalog: Catalog) -> None:
    text = _partial("wyze-sdk-issue150__get_object_list__GW_GC1_device_item.partial.txt")
    p2p_id = re.search(r"'p2p_id': '([^']+)'", text)
    assert p2p_id is not None
    assert catalog.store.is_valid("common/formats.json#/$defs/p2p_id", p2p_id.group(1))


def test_the_truncated_lock_info_answer_is_a_ford_success(catalog: Catalog) -> None:
    text = _partial("wyzeapy-pr75__ford_lock_info__response.partial.txt")
    head = json.loads(text[:text.index(',\n  "device"')] + "}")
    endpoint = catalog.match("GET", LOCK_INFO)
    assert endpoint is not None
    found = endpoint.outcome_for(200, head)
    assert found is not None and found.name == "success"
    assert catalog.store.is_valid("common/ford.json#/$defs/success", head)
