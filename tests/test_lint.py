"""The secret linter fails an unredacted cassette, passes a redacted one, never prints secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wyzeproto.cassette.files import write_cassette
from wyzeproto.cli.main import execute
from wyzeproto.redact import Pseudonymizer, Redactor, lint

SECRETS = {
    "token": "lvtx.Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1",
    "email": "jo.tester@gmail.com",
    "mac": "2CAA8E4F1B9D",
    "hash": "7f5f74be86aa53a4abffeeeb0a3c2750",
    "ip": "10.20.30.40",
}


def unredacted() -> dict:
    return {
        "request": {
            "method": "POST",
            "uri": "https://auth-prod.api.wyze.com/api/user/login",
            "body": json.dumps({"email": SECRETS["email"], "password": SECRETS["hash"]}),
            "headers": {
                "Keyid": ["3f2a1b4c-1234-4abc-8def-0123456789ab"],
                "Content-Type": ["application/json"],
            },
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {
                "string": json.dumps(
                    {
                        "access_token": SECRETS["token"],
                        "data": {
                            "device_list": [
                                {
                                    "mac": SECRETS["mac"],
                                    "nickname": "Porch",
                                    "device_params": {"ip": SECRETS["ip"], "latitude": 47.61},
                                }
                            ]
                        },
                    }
                )
            },
        },
    }


def test_unredacted_cassette_fails_with_file_interaction_and_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leaky.yaml"
    write_cassette(path, [unredacted()])
    assert execute(["lint", str(path)]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    expected = {
        "request.body$.email": "email address",
        "request.body$.password": "password",
        "request.headers.Keyid": "UUID",
        "response.body$.access_token": "access token",
        "response.body$.data.device_list[0].nickname": "nickname",
        "response.body$.data.device_list[0].mac": "MAC address",
        "response.body$.data.device_list[0].device_params.ip": "IP address",
        "response.body$.data.device_list[0].device_params.latitude": "coordinates",
    }
    for location, what in expected.items():
        assert any(
            line.startswith(f"{path}::interaction 0::{location}: {what}") for line in lines
        ), (location, lines)
    printed = out.out + out.err
    for secret in SECRETS.values():
        assert secret not in printed


def test_the_same_cassette_after_redaction_passes(tmp_path: Path) -> None:
    path = tmp_path / "clean.yaml"
    write_cassette(path, [Redactor(Pseudonymizer(b"k")).interaction(unredacted())])
    assert execute(["lint", str(path)]) == 0
    assert SECRETS["mac"] not in path.read_text()


def test_directories_are_walked_and_unusable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    write_cassette(tmp_path / "sub" / "a.yaml", [unredacted()])
    assert execute(["lint", str(tmp_path)]) == 1
    (tmp_path / "sub" / "broken.yaml").write_text("interactions: [\n")
    assert execute(["lint", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml: broken YAML at line" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ip", "192.0.2.10"),
        ("ip", "2001:db8::1"),
        ("sc", "9f275790cab94a72bd206c8876429f3c"),
        ("access_token", "lvtx.REDACTED_access_token_0123456789abcdef"),
        ("email", "user-0123456789@example.invalid"),
        ("mac", "0000A1B2C3D4"),
        ("app_ver", "com.hualai.WyzeCam___2.18.43"),
        ("firmware_ver", "4.36.10.4054"),
        ("appversion", "3.1.6.1"),
        ("msg", "Invalid User Name or Password."),
        ("anything", "1700000000000"),
        ("anything", "2.19.14"),
        ("anything", "true"),
    ],
)
def test_placeholders_documentation_values_and_public_constants_are_not_findings(
    key: str, value: str
) -> None:
    assert list(lint.check_text(value, "x", key)) == []


def test_a_version_in_a_public_header_is_not_an_ip_address() -> None:
    interaction = unredacted()
    interaction["request"]["headers"] = {"appversion": ["3.1.6.1"],
                                         "x-ratelimit-reset-by": ["Sat Oct 12 19:50:32 GMT 2024"]}
    findings = lint.secret_findings(interaction)
    assert not any(loc.startswith("request.headers") for loc, _ in findings)


def test_real_looking_values_are_findings() -> None:
    for key, value in [
        ("a", SECRETS["email"]),
        ("a", SECRETS["mac"]),
        ("ip", SECRETS["ip"]),
        ("password", SECRETS["hash"]),
        ("x", "2c:aa:8e:4f:1b:9d"),
        ("url", "https://s3.amazonaws.com/t.jpg?X-Amz-Signature=abc"),
    ]:
        assert list(lint.check_text(value, "x", key)), (key, value)
