"""`wyze-toolkit validate`: findings as file::interaction N::where::$.path: message,
exit 0/1/2, one clear line and never a traceback for bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wyzeproto.cassette.files import write_cassette
from wyzeproto.cli.main import execute
from wyzeproto.schema.validate import check_interaction

ROOT = Path(__file__).resolve().parent.parent
OBJECT_LIST = "https://api.wyzecam.com/app/v2/home_page/get_object_list"
REQUEST = {"sc": "a626948714654991afd3c0dbd7cdb901", "sv": "c417b62d72ee44bf933054bdca183e77",
           "ts": 1700000000000, "phone_id": "00000000-0000-4000-8000-1a2b3c4d5e6f",
           "access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b",
           "app_ver": "com.hualai___2.19.14"}
DEVICE = {"mac": "0000A1B2C3D4", "product_model": "HL_CAM4", "product_type": "Camera",
          "device_params": {"p2p_id": "ZZZZ1A2B3C4D5E6F7A8B", "ip": "192.0.2.17"}}
P2P_ID = r"^(?:[A-Z0-9]{20}|GW_[A-Z0-9]+_[0-9A-F]{12})$"  # formats.json p2p_id


def ok_body(devices: list[Any] | None = None) -> dict[str, Any]:
    return {"ts": 1700000000000, "code": "1", "msg": "SUCCESS",
            "data": {"device_list": [DEVICE] if devices is None else devices}}


def exchange(response: Any = None, *, uri: str = OBJECT_LIST, method: str = "POST",
             request: Any = None, status: Any = 200) -> dict[str, Any]:
    def text(body: Any) -> Any:
        return body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    return {
        "request": {"method": method, "uri": uri, "headers": {},
                    "body": text(REQUEST if request is None else request)},
        "response": {"status": {"code": status, "message": "OK"}, "headers": {},
                     "body": {"string": text(ok_body() if response is None else response)}},
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = execute(["validate", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(code), out, err


def cassette(tmp_path: Path, *interactions: dict[str, Any], name: str = "c.yaml") -> str:
    path = tmp_path / name
    write_cassette(path, list(interactions))
    return str(path)


# ---------------------------------------------------------------- the happy paths

def test_the_reference_captures_all_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(ROOT / "captures"))
    assert code == 0, out
    assert "0 with findings" in err


def test_a_valid_cassette_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, cassette(tmp_path, exchange()))
    assert (code, out) == (0, "")
    assert "checked 1 interactions in 1 cassettes" in err


def test_check_interaction_returns_no_problems_for_a_valid_exchange() -> None:
    assert check_interaction(exchange()) == []


def test_check_interaction_lists_every_problem_as_a_located_string() -> None:
    bad = ok_body([{"mac": "x"}, {"product_type": 5}])
    problems = check_interaction(exchange(bad))
    assert len(problems) >= 3
    assert all(p.startswith("response::$.data.device_list[") for p in problems)


# ---------------------------------------------------------------- findings (exit 1)

def test_a_finding_names_file_interaction_location_and_json_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ok_body([{**DEVICE, "device_params": {"p2p_id": "lower-case-nope"}}])
    name = cassette(tmp_path, exchange(), exchange(bad))
    code, out, _ = run(capsys, name)
    assert code == 1
    assert out.splitlines() == [
        f"{name}::interaction 1::response::$.data.device_list[0].device_params.p2p_id: "
        f"'lower-case-nope' does not match '{P2P_ID}' "
        "[app-api.home_page.get_object_list/success]"]


def test_the_best_match_comes_first_and_the_rest_is_counted_unless_verbose(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = cassette(tmp_path, exchange(ok_body([{"mac": 1}, {"mac": 2}])))
    code, out, _ = run(capsys, name)
    assert code == 1 and len(out.splitlines()) == 1
    assert "more errors; -v shows all" in out
    code, out, _ = run(capsys, name, "-v")
    assert code == 1 and len(out.splitlines()) >= 4
    assert all(line.startswith(f"{name}::interaction 0::response::$") for line in out.splitlines())


def test_the_json_report_has_stable_keys(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    name = cassette(tmp_path, exchange(ok_body([{"mac": 1}])))
    code, out, _ = run(capsys, name, "--json")
    report = json.loads(out)
    assert code == 1 and report["exit_status"] == 1 and report["ok"] is False
    assert set(report) == {"command", "ok", "exit_status", "summary", "counts", "findings",
                           "unusable"}
    assert set(report["counts"]) == {"files", "interactions", "valid", "with_findings",
                                     "undocumented"}
    finding = report["findings"][0]
    assert set(finding) == {"where", "file", "interaction", "location", "path", "message",
                            "endpoint", "outcome", "more"}
    assert (finding["file"], finding["interaction"], finding["location"]) == (name, 0, "response")


BAD_EXCHANGES: dict[str, tuple[dict[str, Any], str]] = {
    "non-JSON response body": (exchange("<html>502 Bad Gateway</html>"),
                               "(the body: not JSON (Expecting value at line 1, column 1))"),
    "binary response body": (exchange(b"\x89PNG\r\n\x1a\n\xff\xfe"),
                             "(the body: binary body (10 bytes, not UTF-8))"),
    "empty response body on a 200": (exchange(""), "HTTP 200 is no documented outcome of "
                                    "app-api.home_page.get_object_list (the body: empty body)"),
    "non-JSON request body": (exchange(request="sc=1&sv=2"),
                              "request::$: not JSON (Expecting value"),
    "binary request body": (exchange(request=b"\xff\xfe\x00"), "request::$: binary body"),
    "empty request body": (exchange(request=""), "request::$: empty body where a JSON body"),
    "JSON list where an object is documented": (exchange(request=[1]),
                                                "request::$: [1] is not of type 'object'"),
    "integer code (wrong envelope type)": (exchange({"code": 1, "msg": "", "data": {}}),
                                           "response::$.code: 1 is not of type 'string'"),
    "missing msg (wrong envelope)": (exchange({"ts": 1, "code": "1", "data": {"device_list": []}}),
                                     "'msg' is a required property"),
    "missing device_list": (exchange({"ts": 1, "code": "1", "msg": "", "data": {}}),
                            "response::$.data: 'device_list' is a required property"),
    "wrong type deep inside": (exchange(ok_body([{**DEVICE, "conn_state": "1"}])),
                               "$.data.device_list[0].conn_state: '1' is not of type 'integer'"),
    "missing access_token in an authed request": (
        exchange(request={k: v for k, v in REQUEST.items() if k != "access_token"}),
        "request::$: 'access_token' is a required property"),
    "undocumented error code": (exchange({"ts": 1, "code": "9999", "msg": "", "data": {}}),
                                "HTTP 200 with code '9999' is no documented outcome"),
    "unknown host": (exchange(uri="https://example.invalid/app/v2/home_page/get_object_list"),
                     "request::$: POST https://example.invalid/app/v2/home_page/get_object_list "
                     "is not in the catalog"),
    "unknown path": (exchange(uri="https://api.wyzecam.com/app/v9/nope"),
                     "is not in the catalog (undocumented endpoint)"),
    "body on a 429 that documents an empty body": (exchange("slow down", status=429),
                                                   "response::$: expected an empty body"),
    "deeply nested JSON": (exchange("[" * 100_000 + "]" * 100_000),
                           "JSON nests too deeply to check"),
    "body on a GET that documents none": (
        exchange({"code": 1, "results": {"signalingUrl": "x", "servers": []}}, method="GET",
                 uri="https://webrtc.api.wyze.com/signaling/device/0000A1B2C3D4"),
        "request::$: request has a body, but none is documented"),
    "auth errorCode as a string": (
        exchange({"errorCode": "1000", "description": "x"}, status=400,
                 uri="https://auth-prod.api.wyze.com/api/user/login",
                 request={"email": "user-1a2b3c4d5e@example.invalid",
                          "password": "000000001a2b3c4d5e6f7a8b9c0d1e2f"}),
        "response::$.errorCode: '1000' is not of type 'integer'"),
    "developer-key login without its Keyid header": (
        exchange({"access_token": "lvtx.a", "refresh_token": "b",
                  "user_id": "000000001a2b3c4d5e6f7a8b9c0d1e2f"},
                 uri="https://auth-prod.api.wyze.com/api/user/login",
                 request={"email": "user-1a2b3c4d5e@example.invalid",
                          "password": "000000001a2b3c4d5e6f7a8b9c0d1e2f"}),
        "request::headers.Keyid: required header Keyid is missing"),
    "plain-text password on the auth host": (
        exchange({"access_token": "lvtx.a", "refresh_token": "b",
                  "user_id": "000000001a2b3c4d5e6f7a8b9c0d1e2f"},
                 uri="https://auth-prod.api.wyze.com/api/user/login",
                 request={"email": "user-1a2b3c4d5e@example.invalid", "password": "hunter2"}),
        "request::$.password: '<password_hash, 7 chars>' is not valid under any of the given"),
}


@pytest.mark.parametrize("kind", sorted(BAD_EXCHANGES))
def test_bad_bodies_are_findings_with_exit_1(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    interaction, expected = BAD_EXCHANGES[kind]
    name = cassette(tmp_path, interaction)
    code, out, _ = run(capsys, name)
    assert code == 1, out
    assert expected in out
    assert out.startswith(f"{name}::interaction 0::")


def test_a_huge_body_is_checked_quickly_and_reports_the_one_bad_entry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    devices = [dict(DEVICE) for _ in range(20_000)]
    devices[12_345] = {**DEVICE, "mac": ""}
    name = cassette(tmp_path, exchange(ok_body(devices)))
    assert Path(name).stat().st_size > 2_000_000
    code, out, _ = run(capsys, name)
    assert code == 1
    assert "$.data.device_list[12345].mac: '' should be non-empty" in out


def test_allow_undocumented_accepts_unknown_endpoints_and_outcomes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = cassette(tmp_path, exchange(uri="https://example.invalid/x"),
                    exchange({"ts": 1, "code": "9999", "msg": "", "data": {}}))
    code, _, err = run(capsys, name, "--allow-undocumented")
    assert code == 0 and "2 undocumented" in err


def test_allow_undocumented_still_checks_the_envelope_of_an_unknown_outcome(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = cassette(tmp_path, exchange({"code": 1003, "msg": "", "data": {}}))
    code, out, _ = run(capsys, name, "--allow-undocumented")
    assert code == 1 and "$.code: 1003 is not of type 'string'" in out


# ---------------------------------------------------------------- unusable input (exit 2)

UNUSABLE: dict[str, tuple[str | bytes | None, str]] = {
    "missing file": (None, "no such file"),
    "empty file": ("", "empty file, not a cassette"),
    "broken YAML": ("interactions: [\n  - {request: ", "broken YAML at line"),
    "wrong cassette version": ("interactions: []\nversion: 2\n", "version 2 is not supported"),
    "not a cassette (a list)": ("- 1\n- 2\n", "not a cassette"),
    "not a cassette (no interactions)": ("version: 1\n", "needs 'interactions' and 'version'"),
    "interaction without a response": (
        "interactions:\n- request: {method: GET, uri: 'https://x', headers: {}}\nversion: 1\n",
        "interaction 0 has no 'response'"),
    "binary garbage": (b"\x00\x01\xff\xfe" * 100, "broken YAML"),
    # issue 9: a wrongly typed field is unusable input (exit 2), named by the cassette loader
    "status code that is not an integer": (
        "interactions:\n- request: {method: GET, uri: 'https://x', headers: {}}\n"
        "  response: {status: {code: '200'}, headers: {}, body: {string: ''}}\nversion: 1\n",
        "interaction 0: response.status.code is a str, expected an HTTP status number"),
}


@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_unusable_input_is_one_clear_line_and_exit_2(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, expected = UNUSABLE[kind]
    path = tmp_path / "bad.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run(capsys, str(path))
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith(f"{path}: ") and expected in first


def test_a_directory_without_cassettes_is_unusable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "no cassettes" in err


def test_unusable_files_do_not_hide_findings_in_the_others(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = cassette(tmp_path, exchange(ok_body([{"mac": 1}])))
    code, out, err = run(capsys, good, str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml: no such file" in err and f"{good}::interaction 0" in out


def _schemas(tmp_path: Path) -> Path:
    target = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", target)
    return target


def test_a_schema_with_a_bad_ref_makes_the_run_unusable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = _schemas(tmp_path)
    envelope = schemas / "common" / "app-envelope.json"
    envelope.write_text(envelope.read_text().replace(
        "/schemas/common/formats.json#/$defs/ts_ms", "/schemas/common/formats.json#/$defs/nope"))
    code, out, err = run(capsys, "--schemas", str(schemas), cassette(tmp_path, exchange()))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "$defs/nope" in err


def test_a_schema_that_is_not_json_makes_the_run_unusable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = _schemas(tmp_path)
    (schemas / "common" / "device.json").write_text("{")
    code, _, err = run(capsys, "--schemas", str(schemas), cassette(tmp_path, exchange()))
    assert code == 2 and "device.json: not a readable JSON file" in err


def test_the_module_runs_from_the_command_line_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("interactions: [")
    done = subprocess.run([sys.executable, "-m", "wyzeproto", "validate", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.startswith(f"{path}: broken YAML")


def test_a_schema_example_that_does_not_validate_makes_the_run_unusable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = _schemas(tmp_path)
    formats = schemas / "common" / "formats.json"
    formats.write_text(formats.read_text().replace('"0000A1B2C3D4"', '"not-a-mac"', 1))
    code, out, err = run(capsys, "--schemas", str(schemas), cassette(tmp_path, exchange()))
    assert code == 2 and out == ""
    assert err.startswith(f"{schemas.as_posix()}/common/formats.json::#/$defs/mac/examples/0"
                          "::$: example does not validate")


@pytest.mark.parametrize("interaction", [
    None, [], {}, {"request": {}}, {"request": {"method": "POST", "uri": OBJECT_LIST},
                                    "response": {"status": {}}},
    {"request": {"method": 1, "uri": OBJECT_LIST, "body": None},
     "response": {"status": {"code": 200}, "body": {"string": ""}}},
])
def test_check_interaction_reports_a_malformed_interaction_instead_of_raising(
        interaction: Any) -> None:
    problems = check_interaction(interaction)
    assert len(problems) == 1
    assert problems[0].startswith(("interaction::$: not a VCR v1 interaction",
                                   "request::$: method and uri must be strings"))


# ---------------------------------------------------------------- signed services

EARTH = "https://wyze-earth-service.wyzecam.com/plugin/earth/get_iot_prop"
OLIVE_OK = {"code": 1, "message": "Success", "data": {"did": "0000A1B2C3D4", "props": {}}}


def test_a_signed_get_is_checked_on_its_query_string() -> None:
    good = exchange(OLIVE_OK, uri=f"{EARTH}?did=0000A1B2C3D4&keys=temperature"
                    "&nonce=1700000000000", method="GET", request="")
    assert check_interaction(good) == []
    unsigned = exchange(OLIVE_OK, uri=f"{EARTH}?did=0000A1B2C3D4&keys=temperature",
                        method="GET", request="")
    assert check_interaction(unsigned) == ["query::$: 'nonce' is a required property"]


def test_an_olive_answer_with_a_string_code_is_not_a_success() -> None:
    uri = f"{EARTH}?did=0000A1B2C3D4&keys=temperature&nonce=1700000000000"
    problems = check_interaction(exchange({**OLIVE_OK, "code": "1"}, uri=uri, method="GET",
                                          request=""))
    assert problems and "is no documented outcome of earth.get_iot_prop" in problems[0]
