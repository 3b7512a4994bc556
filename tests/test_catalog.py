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
    (200, {"code": "1003", "msg": "", "data": {}}, None),
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
