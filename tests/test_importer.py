"""HAR and Charles sessions become redacted, valid cassettes, like a live capture."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from wyzeproto.cassette.files import load_cassette
from wyzeproto.cli.main import execute
from wyzeproto.redact import lint
from wyzeproto.schema.validate import check_interaction

EMAIL = "carol.tester@wyze-test.net"
TOKEN = "lvtx.Q2w9Er7Ty5Ui3Op1As8Df6Gh4Jk2Lz0X"
MAC = "2CAA8E4F1B9D"
LOGIN_BODY = json.dumps({"email": EMAIL, "password": "7f5f74be86aa53a4abffeeeb0a3c2750"})
LOGIN_REPLY = json.dumps({"access_token": TOKEN, "refresh_token": TOKEN + "r",
                          "user_id": "b1946ac92492d2347c6235b4d2611184", "mfa_options": None,
                          "mfa_details": None, "sms_session_id": None, "email_session_id": None})
DEVICES = json.dumps({"ts": 1700000000000, "code": "1", "msg": "SUCCESS", "data": {
    "device_list": [{"mac": MAC, "product_model": "HL_CAM4", "product_type": "Camera",
                     "nickname": "Carol's porch", "device_params": {"ip": "10.0.0.9"}}],
    "device_group_list": [], "device_sort_list": []}})
ENVELOPE = json.dumps({
    "access_token": TOKEN, "app_name": "com.hualai.WyzeCam",
    "app_ver": "com.hualai.WyzeCam___2.18.43", "app_version": "2.18.43",
    "phone_id": "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
    "phone_system_type": "1", "sc": "9f275790cab94a72bd206c8876429f3c",
    "sv": "9d74946e652647e9b6c9d59326aef104", "ts": 1700000000})
KEYS = [{"name": "keyid", "value": "3f2a1b4c-1234-4abc-8def-0123456789ab"},
        {"name": "apikey", "value": "Xy7Qw3Er5Ty8Ui0Op2As4Df6Gh9Jk1Lz"},
        {"name": "Content-Type", "value": "application/json"}]
JSON_HEADERS = [{"name": "Content-Type", "value": "application/json"}]


def har() -> dict:
    def entry(url: str, body: str, reply: str, headers: list, b64: bool = False) -> dict:
        content = {"mimeType": "application/json", "text": reply}
        if b64:
            content = {**content, "text": base64.b64encode(reply.encode()).decode(),
                       "encoding": "base64"}
        return {"request": {"method": "POST", "url": url, "headers": headers,
                            "postData": {"mimeType": "application/json", "text": body}},
                "response": {"status": 200, "statusText": "OK", "content": content,
                             "headers": JSON_HEADERS + [{"name": "Content-Encoding",
                                                         "value": "gzip"}]}}

    return {"log": {"version": "1.2", "entries": [
        entry("https://auth-prod.api.wyze.com/api/user/login", LOGIN_BODY, LOGIN_REPLY, KEYS),
        entry("https://api.wyzecam.com/app/v2/home_page/get_object_list", ENVELOPE, DEVICES,
              JSON_HEADERS, b64=True),
        entry("https://www.example.org/analytics", "{}", "{}", JSON_HEADERS),
    ]}}


def charles() -> list:
    def entry(host: str, path: str, body: str, reply: str, headers: list) -> dict:
        return {"method": "POST", "scheme": "https", "host": host, "port": 443, "path": path,
                "query": None, "request": {"header": {"headers": headers}, "body": {"text": body}},
                "response": {"status": 200, "header": {"headers": JSON_HEADERS},
                             "body": {"text": reply}}}

    return [entry("auth-prod.api.wyze.com", "/api/user/login", LOGIN_BODY, LOGIN_REPLY, KEYS),
            entry("api.wyzecam.com", "/app/v2/home_page/get_object_list", ENVELOPE, DEVICES,
                  JSON_HEADERS)]


@pytest.mark.parametrize(("name", "content"), [("s.har", har()), ("s.chlsj", charles())])
def test_a_har_or_charles_session_becomes_a_redacted_valid_cassette(
    tmp_path: Path, name: str, content: object
) -> None:
    source = tmp_path / name
    source.write_text(json.dumps(content))
    out = tmp_path / "imported.yaml"
    assert execute(["import", str(source), "--out", str(out)]) == 0
    interactions = load_cassette(out).interactions
    assert [i["request"]["uri"] for i in interactions] == [
        "https://auth-prod.api.wyze.com/api/user/login",
        "https://api.wyzecam.com/app/v2/home_page/get_object_list"]
    text = out.read_text()
    for secret in (EMAIL, TOKEN.split(".")[1], MAC, "10.0.0.9", "Carol's porch",
                   "Xy7Qw3Er5Ty8Ui0Op2As4Df6Gh9Jk1Lz"):
        assert secret not in text
    issued = json.loads(interactions[0]["response"]["body"]["string"])["access_token"]
    assert json.loads(interactions[1]["request"]["body"])["access_token"] == issued
    assert "Content-Encoding" not in interactions[0]["response"]["headers"]
    for interaction in interactions:
        assert lint.secret_findings(interaction) == []
        assert check_interaction(interaction) == []


def test_a_file_that_is_neither_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "x.har"
    bad.write_text('{"not": "a capture"}')
    assert execute(["import", str(bad), "--out", str(tmp_path / "o.yaml")]) == 2
    assert f"{bad}: neither HAR" in capsys.readouterr().err
    bad.write_text('{"log": {"entries": [{"request": {}}]}}')
    assert execute(["import", str(bad), "--out", str(tmp_path / "o2.yaml")]) == 2
    assert f"{bad}: log.entries[0]: no 'response'" in capsys.readouterr().err


def test_a_session_with_no_wyze_traffic_writes_nothing_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "other.har"
    source.write_text(json.dumps({"log": {"entries": har()["log"]["entries"][2:]}}))
    assert execute(["import", str(source), "--out", str(tmp_path / "o.yaml")]) == 1
    assert "no flow matched the capture hosts (flows seen to: www.example.org)" in (
        capsys.readouterr().out)
    assert not (tmp_path / "o.yaml").exists()


def test_cassettes_exported_as_har_import_back_to_the_same_interactions(tmp_path: Path) -> None:

    source = tmp_path / "s.har"
    source.write_text(json.dumps(har()))
    first = tmp_path / "first.yaml"
    execute(["import", str(source), "--out", str(first)])
    exported = tmp_path / "again.har"
    assert execute(["export", str(first), "--out", str(exported)]) == 0
    har_doc = json.loads(exported.read_text())
    assert har_doc["log"]["version"] == "1.2" and len(har_doc["log"]["entries"]) == 2
    second = tmp_path / "second.yaml"
    execute(["import", str(exported), "--out", str(second)])
    assert load_cassette(second).interactions == load_cassette(first).interactions
