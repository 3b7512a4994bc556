"""Bad input never ends in a traceback: each case exits 2 with one line that says where and what.

Cassettes with wrongly typed fields, HAR and Charles files of the wrong shape (the importers
name the entry index), paths that cannot be read or written, and ports that cannot be used.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from wyzeproto.cli.main import execute


def _interaction(**changes: Any) -> dict[str, Any]:
    interaction: dict[str, Any] = {
        "request": {"method": "GET", "uri": "https://api.wyzecam.com/app/x", "body": None,
                    "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                     "body": {"string": "{}"}},
    }
    for path, value in changes.items():
        side, _, key = path.partition("__")
        interaction[side][key] = value
    return interaction


CASSETTES = {
    "headers-a-string": _interaction(request__headers="Content-Type: x"),
    "uri-a-number": _interaction(request__uri=42),
    "status-a-string": _interaction(response__status="200 OK"),
    "status-code-a-string": _interaction(response__status={"code": "two hundred"}),
    "body-a-list": _interaction(response__body=["x"]),
    "header-values-a-string": _interaction(request__headers={"Host": "x"}),
    "no-request": {"response": _interaction()["response"]},
    "interaction-a-string": "GET /",
}
HAR_ENTRIES: dict[str, Any] = {
    "entry-a-string": "GET /",
    "no-request": {"response": {"status": 200}},
    "headers-a-string": {"request": {"method": "GET", "url": "https://api.wyzecam.com/x",
                                     "headers": "Host: x"}, "response": {"status": 200}},
    "status-not-a-number": {"request": {"method": "GET", "url": "https://api.wyzecam.com/x"},
                            "response": {"status": "ok"}},
    "url-a-number": {"request": {"method": "GET", "url": 7}, "response": {"status": 200}},
    "bad-base64": {"request": {"method": "GET", "url": "https://api.wyzecam.com/x"},
                   "response": {"status": 200, "content": {"text": "@@@", "encoding": "base64"}}},
    "body-a-number": {"request": {"method": "POST", "url": "https://api.wyzecam.com/x",
                                  "postData": {"text": 5}}, "response": {"status": 200}},
}
HAR_FILES: dict[str, str] = {
    "top-level-a-number": "3",
    "log-a-list": json.dumps({"log": []}),
    "entries-a-dict": json.dumps({"log": {"entries": {}}}),
    "not-json": "{",
    "empty": "",
}
CHARLES_ENTRIES: dict[str, Any] = {
    "no-host": {"method": "GET", "path": "/x"},
    "port-a-word": {"host": "api.wyzecam.com", "port": "eighty"},
    "entry-a-number": 3,
}


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "Traceback" not in err and "unexpected" not in err
    return err + captured.out


@pytest.mark.parametrize("case", sorted(CASSETTES))
def test_a_cassette_with_wrongly_typed_fields_is_unusable_to_lint_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps({"interactions": [CASSETTES[case]], "version": 1}))
    assert execute(["lint", str(path)]) == 2
    line = _one_line(capsys)
    assert str(path) in line and "interaction 0" in line


@pytest.mark.parametrize("case", sorted(HAR_ENTRIES))
def test_a_malformed_har_entry_is_named_by_its_index(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    good = {"request": {"method": "GET", "url": "https://example.org/"},
            "response": {"status": 200}}
    har = tmp_path / "s.har"
    har.write_text(json.dumps({"log": {"entries": [good, HAR_ENTRIES[case]]}}))
    assert execute(["import", str(har), "--out", str(tmp_path / "o.yaml")]) == 2
    assert f"{har}: log.entries[1]" in _one_line(capsys)


@pytest.mark.parametrize("case", sorted(HAR_FILES))
def test_a_file_that_is_not_har_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    har = tmp_path / "s.har"
    har.write_text(HAR_FILES[case])
    assert execute(["import", str(har), "--out", str(tmp_path / "o.yaml")]) == 2
    assert str(har) in _one_line(capsys)


@pytest.mark.parametrize("case", sorted(CHARLES_ENTRIES))
def test_a_malformed_charles_entry_is_named_by_its_index(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    session = tmp_path / "s.chlsj"
    session.write_text(json.dumps([CHARLES_ENTRIES[case]]))
    assert execute(["import", str(session), "--out", str(tmp_path / "o.yaml")]) == 2
    line = _one_line(capsys)
    assert f"{session}: entry[0]" in line or f"{session}: entry 0" in line


@pytest.mark.parametrize("path", ["/dev/zero", "/nonexistent/s.har", "/"])
def test_an_unreadable_import_source_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str) -> None:
    if path == "/dev/zero":
        pytest.importorskip("resource")  # reading /dev/zero must be bounded, not endless
    assert execute(["import", path, "--out", str(tmp_path / "o.yaml")]) == 2
    assert path in _one_line(capsys)


def test_an_import_out_path_that_cannot_be_written_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "s.har"
    har.write_text(json.dumps({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://api.wyzecam.com/app/x"},
         "response": {"status": 200}}]}}))
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert execute(["import", str(har), "--out", str(blocker / "o.yaml")]) == 2
    assert "file" in _one_line(capsys)


@pytest.mark.parametrize("path", ["/dev/zero", "/nonexistent"])
def test_lint_of_a_path_that_is_not_a_cassette_is_refused_in_one_line(
        capsys: pytest.CaptureFixture[str], path: str) -> None:
    assert execute(["lint", path]) == 2
    assert path in _one_line(capsys)


def test_lint_of_a_folder_without_cassettes_is_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert execute(["lint", str(tmp_path)]) == 2
    assert "no cassettes" in _one_line(capsys)


def test_a_standin_port_in_use_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert execute(["standin", "--port", str(port)]) == 2
    assert f"127.0.0.1:{port}" in _one_line(capsys)


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
        capsys: pytest.CaptureFixture[str], port: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        execute(["serve", "captures", "--port", port])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
