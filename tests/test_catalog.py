"""The catalog maps method + host + path to an endpoint, and status + body to an outcome."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wyzeproto.schema.catalog import CatalogError, load_catalog

ROOT = Path(__file__).resolve().parent.parent
ISSUE_COVERAGE = [
    ("POST", "https://api.wyzecam.com:8443/app/user/login"),
    ("POST", "https://api.wyzecam.com:8443/app/device/get_device_list"),
    ("POST", "https://api.wyzecam.com:8443/app/user/get_user_info"),
    ("POST", "https://api.wyzecam.com:8443/app/user/refresh_token"),
    ("POST", "https://api.wyzecam.com:8443/app/system/set_app_info"),
    ("POST", "https://api.wyzecam.com:8443/app/user/use_app"),
    ("POST", "https://api.wyzecam.com:8443/app/device/get_share_info_list"),
    ("POST", "https://api.wyzecam.com:8443/app/device/get_alarm_info_list"),
    ("POST", "https://api.wyzecam.com:8443/app/device/upload_device_connect_info"),
    ("POST", "https://api.wyzecam.com:8443/app/system/get_allow_binding_device_list"),
    ("POST", "https://auth-prod.api.wyze.com/user/login"),
    ("POST", "https://auth-prod.api.wyze.com/v2/user/login"),
    ("POST", "https://auth-prod.api.wyze.com/api/user/login"),
    ("POST", "https://auth-prod.api.wyze.com/user/login/sendSmsCode?mfaPhoneType=Primary"),
    ("POST", "https://auth-prod.api.wyze.com/v2/user/login/sendEmailCode"),
    ("POST", "https://api.wyzecam.com/app/v2/home_page/get_object_list"),
    ("POST", "https://api.wyzecam.com/app/user/refresh_token"),
    ("POST", "https://api.wyzecam.com/app/user/get_user_info"),
    ("POST", "https://api.wyzecam.com/app/user/logout"),
    ("POST", "https://api.wyzecam.com/app/v2/device/get_property_list"),
    ("POST", "https://api.wyzecam.com/app/v2/device_list/get_property_list"),
    ("POST", "https://api.wyzecam.com/app/v2/device/set_property"),
    ("POST", "https://api.wyzecam.com/app/v2/device/get_device_Info"),
    ("POST", "https://api.wyzecam.com/app/v2/auto/run_action"),
    ("POST", "https://api.wyzecam.com/app/v2/device/get_event_list"),
    ("POST", "https://api.wyzecam.com/app/v2/device/get_iotc_info"),
    ("GET", "https://webrtc.api.wyze.com/signaling/device/0000A1B2C3D4?use_trickle=true"),
]


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


@pytest.mark.parametrize(("method", "uri"), ISSUE_COVERAGE)
def test_every_endpoint_the_issue_lists_is_documented(catalog, method: str, uri: str) -> None:
    endpoint = catalog.match(method, uri)
    assert endpoint is not None
    assert endpoint.summary and endpoint.sources and endpoint.outcomes


def test_the_2018_port_picks_the_2018_endpoint_and_no_port_the_current_one(catalog) -> None:
    assert catalog.match("POST", "https://api.wyzecam.com:8443/app/user/refresh_token").id \
        == "api-2018.user.refresh_token"
    assert catalog.match("POST", "https://api.wyzecam.com/app/user/refresh_token").id \
        == "app-api.user.refresh_token"
    assert catalog.match("POST", "https://api.wyzecam.com:443/app/user/refresh_token").id \
        == "app-api.user.refresh_token"


def test_the_old_login_is_documented_with_and_without_the_2018_port(catalog) -> None:
    for uri in ("https://api.wyzecam.com:8443/app/user/login",
                "https://api.wyzecam.com/app/user/login"):
        assert catalog.match("POST", uri).id == "api-2018.user.login"


def test_a_path_template_matches_one_segment_only(catalog) -> None:
    assert catalog.match("GET", "https://webrtc.api.wyze.com/signaling/device/ABC").id \
        == "signed.webrtc.signaling"
    assert catalog.match("GET", "https://webrtc.api.wyze.com/signaling/device/A/B") is None


def test_a_path_with_repeated_slashes_matches_its_endpoint(catalog) -> None:
    # wyzeapy's wall switch service sends exactly this, and the cloud answers it.
    uri = "https://wyze-sirius-service.wyzecam.com//plugin/sirius/get_iot_prop?did=x"
    assert catalog.match("GET", uri).id == "sirius.get_iot_prop"


def test_unknown_hosts_methods_and_paths_match_nothing(catalog) -> None:
    assert catalog.match("POST", "https://api.wyzecam.com.evil.example/app/user/logout") is None
    assert catalog.match("GET", "https://api.wyzecam.com/app/user/logout") is None
    assert catalog.match("POST", "https://api.wyzecam.com/app/user/nothing") is None
    assert catalog.match("POST", "not a url") is None
    assert catalog.match("POST", "https://api.wyzecam.com:99999/app/user/logout") is None


def test_host_and_method_case_do_not_matter(catalog) -> None:
    assert catalog.match("post", "https://API.WyzeCam.com/app/user/logout") is not None


@pytest.mark.parametrize(("status", "body", "outcome"), [
    (200, {"code": "1", "msg": "", "data": {}}, "success"),
    (200, {"code": "2001", "msg": "AccessTokenError", "data": {}}, "access_token_expired"),
    (200, {"code": "1001", "msg": "ParameterError", "data": {}}, "parameter_error"),
    (200, {"code": "1011", "msg": "", "data": {}}, "rate_limited"),
    (200, {"code": "3005", "msg": "", "data": {}}, "unauthorized_operation"),
    (200, {"code": "3019", "msg": "", "data": {}}, "device_offline"),
    (429, None, "http_rate_limited"),
    (200, {"code": 1, "msg": "", "data": {}}, None),  # an integer code is no documented outcome
    (200, {"code": "9999", "msg": "", "data": {}}, None),
    (500, {"code": "1"}, None),
])
def test_app_api_outcomes_follow_status_and_code(catalog, status, body, outcome) -> None:
    endpoint = catalog.match("POST", "https://api.wyzecam.com/app/v2/home_page/get_object_list")
    found = endpoint.outcome_for(status, body)
    assert (found.name if found else None) == outcome


@pytest.mark.parametrize(("status", "body", "outcome"), [
    (200, {"access_token": "lvtx.x", "mfa_options": None}, "success"),
    (200, {"access_token": "", "mfa_options": ["PrimaryPhone"]}, "mfa_required"),
    (200, {"access_token": None, "mfa_options": ["Email"]}, "mfa_required"),
    (400, {"errorCode": 1000, "description": "Invalid User Name or Password."},
     "wrong_credentials"),
    (400, {"errorCode": 1000, "description": "Too many failed attempts. Please try again later."},
     "too_many_attempts"),
    (400, {"errorCode": "1000"}, "error"),
    (429, None, "http_rate_limited"),
    (403, None, "ip_blocked"),
])
def test_auth_outcomes_follow_status_and_fields(catalog, status, body, outcome) -> None:
    endpoint = catalog.match("POST", "https://auth-prod.api.wyze.com/api/user/login")
    assert endpoint.outcome_for(status, body).name == outcome


def test_the_2018_login_errors_are_told_apart_by_msg(catalog) -> None:
    endpoint = catalog.by_id("api-2018.user.login")
    assert endpoint.outcome_for(200, {"code": "9", "msg": "UserIsLocked"}).name == "user_is_locked"
    assert endpoint.outcome_for(200, {"code": "9", "msg": "UserNameOrPasswordError"}).name \
        == "user_name_or_password_error"
    assert endpoint.outcome_for(200, {"code": "1001", "msg": ""}).name == "bad_password_hash"


def _copy_schemas(tmp_path: Path) -> Path:
    target = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", target)
    return target


def test_a_catalog_that_names_a_missing_schema_is_refused(tmp_path: Path) -> None:
    schemas = _copy_schemas(tmp_path)
    catalog = schemas / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace(
        "app-api/app/user/logout.response.json", "app-api/app/user/gone.response.json"))
    with pytest.raises(CatalogError, match=r"catalog\.yaml: endpoint app-api\.user\.logout: "
                                           r"schemas/app-api/app/user/gone\.response\.json"):
        load_catalog(schemas)


def test_a_catalog_with_an_unknown_generation_is_refused(tmp_path: Path) -> None:
    schemas = _copy_schemas(tmp_path)
    catalog = schemas / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace("generation: app-api", "generation: nope", 1))
    with pytest.raises(CatalogError, match="unknown generation 'nope'"):
        load_catalog(schemas)


def test_a_missing_catalog_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"catalog\.yaml: cannot read the catalog"):
        load_catalog(tmp_path)


def test_the_default_schemas_dir_works_from_any_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_catalog().match("POST", "https://api.wyzecam.com/app/user/logout")


PUBLIC_ENDPOINTS = ROOT.parent / "shared" / "reference" / "public-endpoints.tsv"
PATH_VALUES = {"{mac}": "0000A1B2C3D4", "{did}": "JA_RO2_0000A1B2C3D4",
               "{device_id}": "GW_BE1_0000A1B2C3D4"}


@pytest.mark.skipif(not PUBLIC_ENDPOINTS.is_file(), reason=f"{PUBLIC_ENDPOINTS} is not here")
def test_every_row_of_the_public_endpoint_list_has_a_catalog_entry() -> None:
    import csv
    catalog = load_catalog(ROOT / "schemas")
    rows = list(csv.DictReader(PUBLIC_ENDPOINTS.open(), delimiter="\t"))
    assert len(rows) == 144
    missing = []
    for row in rows:
        path = row["path"]
        for name, value in PATH_VALUES.items():
            path = path.replace(name, value)
        if catalog.match(row["method"], f"https://{row['host']}{path}") is None:
            missing.append((row["method"], row["host"], row["path"]))
    assert missing == []


def test_every_endpoint_names_a_request_schema_and_a_schema_per_outcome() -> None:
    catalog = load_catalog(ROOT / "schemas")
    assert len(catalog.endpoints) >= 141
    for endpoint in catalog.endpoints:
        if endpoint.method == "GET":
            assert endpoint.request_query or endpoint.request_body == "none", endpoint.id
        has_request = endpoint.request not in ("empty", "unchecked") or endpoint.request_query
        assert has_request or endpoint.id == "signed.webrtc.signaling", endpoint.id
        assert any(o.name == "success" for o in endpoint.outcomes), endpoint.id


def test_the_indexed_lookup_finds_what_a_scan_of_every_endpoint_finds() -> None:
    catalog = load_catalog(ROOT / "schemas")
    for endpoint in catalog.endpoints:
        path = endpoint.path
        for name, value in PATH_VALUES.items():
            path = path.replace(name, value)
        for host in endpoint.hosts:
            assert catalog.match(endpoint.method, f"https://{host}{path}?a=1") is endpoint, \
                (endpoint.id, host)
    assert catalog.match("GET", "https://wyze-earth-service.wyzecam.com/plugin/earth/nope") \
        is None
    assert catalog.match("POST", "https://wyze-venus-service-vn.wyzecam.com/plugin/venus/"
                         "JA_RO2_0000A1B2C3D4/control").id == "venus.control"


def test_same_path_on_two_service_hosts_goes_to_each_hosts_endpoint() -> None:
    catalog = load_catalog(ROOT / "schemas")
    path = "/app/v2/platform/get_user_profile"
    assert catalog.match("GET", f"https://wyze-scale-service.wyzecam.com{path}").id \
        == "scale.get_user_profile"
    assert catalog.match("GET", f"https://wyze-platform-service.wyzecam.com{path}").id \
        == "platform.get_user_profile"


def test_the_ford_errno_type_tells_the_outcomes_apart() -> None:
    endpoint = load_catalog(ROOT / "schemas").by_id("ford.lock.control")
    names = [endpoint.outcome_for(200, {"ReqID": "0a1b2c3d4e", "ErrNo": errno, "ErrMsg": ""})
             for errno in (0, "0", "14008", 14008, 5034, "17001")]
    assert [o.name if o else None for o in names] == [
        "success", "error", "sign_invalid", "error", "operation_too_fast",
        "timestamp_invalid"]


AUDIT_ERRORS = [  # ../shared/reference/public-api-audit.md, "Error codes the schemas did not cover"
    ("app-api.home_page.get_object_list", 200, {"code": "0", "msg": "", "data": {}}, "code_zero"),
    ("app-api.home_page.get_object_list", 200, {"code": "1003", "msg": "x", "data": {}},
     "request_error"),
    ("app-api.home_page.get_object_list", 200, {"code": "1004", "msg": "x", "data": {}},
     "parameter_error_1004"),
    ("app-api.home_page.get_object_list", 200, {"code": "3044", "msg": "x", "data": {}},
     "rate_limited_3044"),
    ("ford.lock.info", 200, {"ReqID": "0a1b2c3d4e", "ErrNo": 0, "ErrMsg": ""}, "success"),
    ("ford.lock.info", 200, {"ReqID": "0a1b2c3d4e", "ErrNo": "14008",
                         "ErrMsg": "PARAM_SIGN_INVALID"},
     "sign_invalid"),
    ("ford.lock.info", 200, {"ReqID": "0a1b2c3d4e", "ErrNo": "17001",
                         "ErrMsg": "PARAM_TIMESTAMP_INVALID"},
     "timestamp_invalid"),
    ("ford.lock.control", 200, {"ReqID": "0a1b2c3d4e", "ErrNo": 5034, "ErrMsg": "x"},
     "operation_too_fast"),
    ("earth.get_iot_prop", 200, {"code": 1, "message": "Success", "data": {}}, "success"),
    ("subscription.toggle-management", 200, {"status": 401, "message": "InvalidTokenError>"},
     "error"),
    ("hms.profile.state-status", 200, {"message": None}, "access_token_expired"),
]


@pytest.mark.parametrize("endpoint_id, status, body, outcome", AUDIT_ERRORS)
def test_every_error_code_of_the_audit_has_an_outcome(
        endpoint_id: str, status: int, body: dict[str, object], outcome: str) -> None:
    catalog = load_catalog(ROOT / "schemas")
    found = catalog.by_id(endpoint_id).outcome_for(status, body)
    assert found is not None and found.name == outcome
    assert catalog.store.is_valid(found.response, body)
