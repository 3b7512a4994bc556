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
    "method-a-number": _interaction(request__method=7),
    "uri-not-a-url": _interaction(request__uri="api.wyzecam.com/app/x"),
    "uri-null": _interaction(request__uri=None),
    "request-body-a-mapping": _interaction(request__body={"a": 1}),
    "request-a-list": {"request": [], "response": _interaction()["response"]},
    "no-response-headers": {"request": _interaction()["request"],
                            "response": {"status": {"code": 200}, "body": {"string": ""}}},
    "response-headers-a-list": _interaction(response__headers=[["Host", "x"]]),
    "header-values-numbers": _interaction(request__headers={"Content-Length": [5]}),
    "status-code-a-bool": _interaction(response__status={"code": True}),
    "status-code-out-of-range": _interaction(response__status={"code": 42}),
    "status-message-a-list": _interaction(response__status={"code": 200, "message": ["OK"]}),
    "body-string-a-number": _interaction(response__body={"string": 5}),
    "body-without-string": _interaction(response__body={"text": "{}"}),
}
# Whole files that are not cassettes at all (YAML text as it sits on disk).
CASSETTE_FILES = {
    "the-bad-yaml-of-the-report": "interactions:\n- request: {method: GET, uri: 5, headers: "
                                  "\"x\", body: null}\n  response: {status: {code: \"200\"}, "
                                  "headers: [], body: {string: \"\"}}\nversion: 1\n",
    "header-name-a-number": "interactions:\n- request: {method: GET, uri: 'https://api.wyzecam"
                            ".com/x', body: null, headers: {5: [x]}}\n  response: {status: "
                            "{code: 200}, headers: {}, body: {string: ''}}\nversion: 1\n",
    "interactions-a-mapping": "interactions: {a: 1}\nversion: 1\n",
    "version-2": "interactions: []\nversion: 2\n",
    "top-level-a-list": "- 1\n- 2\n",
    "broken-yaml": "interactions: [\n",
    "empty": "",
    "binary-garbage": "\x00\x01\x02\xff",
}
# Every subcommand that reads cassettes, as a user would type it (the cassette goes last).
READERS = {
    "lint": ["lint"],
    "drift": ["drift"],
    "infer": ["infer", "--out", "{tmp}/drafts"],
    "diff": ["diff", "{good}"],
    "replay": ["replay"],
    "export": ["export", "--out", "{tmp}/out.har"],
    "serve": ["serve", "--port", "0"],
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


def _write_bad(tmp_path: Path, case: str) -> Path:
    path = tmp_path / "bad.yaml"
    if case in CASSETTES:
        path.write_text(json.dumps({"interactions": [_interaction(), CASSETTES[case]],
                                    "version": 1}))
    else:
        path.write_bytes(CASSETTE_FILES[case].encode("latin-1"))
    return path


def _argv(reader: str, tmp_path: Path, bad: Path) -> list[str]:
    good = tmp_path / "good.yaml"
    good.write_text(json.dumps({"interactions": [_interaction()], "version": 1}))
    return [a.format(tmp=tmp_path, good=good) for a in READERS[reader]] + [str(bad)]


@pytest.mark.parametrize("case", sorted(CASSETTES) + sorted(CASSETTE_FILES))
@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_refuses_a_bad_cassette_in_one_line_naming_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str, case: str) -> None:
    bad = _write_bad(tmp_path, case)
    assert execute(_argv(reader, tmp_path, bad)) == 2
    line = _one_line(capsys)
    assert str(bad) in line
    if case in CASSETTES:  # the bad interaction, not the good one before it
        assert f"{bad}: interaction 1" in line and "interaction 0" not in line
    elif case in ("the-bad-yaml-of-the-report", "header-name-a-number"):
        assert f"{bad}: interaction 0: request." in line
    assert not (tmp_path / "out.har").exists() and not (tmp_path / "drafts").exists()


def test_validate_names_every_bad_cassette_of_a_folder_and_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for case in sorted(CASSETTES):
        (tmp_path / case).mkdir()
        _write_bad(tmp_path / case, case)
    assert execute(["validate", str(tmp_path)]) == 2
    err = _one_line(capsys)
    for case in sorted(CASSETTES):
        assert f"{tmp_path / case / 'bad.yaml'}: interaction 1" in err, case


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


@pytest.mark.parametrize("reader", sorted(READERS) + ["validate"])
def test_every_reader_refuses_dev_zero_in_one_line_instead_of_reading_for_ever(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str) -> None:
    argv = ["validate", "/dev/zero"] if reader == "validate" else _argv(
        reader, tmp_path, Path("/dev/zero"))
    assert execute(argv) == 2
    assert "/dev/zero: not a regular file" in _one_line(capsys)


@pytest.mark.parametrize("command", ["serve", "standin"])
def test_a_listen_host_that_does_not_resolve_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(json.dumps({"interactions": [_interaction()], "version": 1}))
    argv = [command, str(good)] if command == "serve" else [command]
    assert execute([*argv, "--host", "no-such-host.invalid", "--port", "0"]) == 2
    assert "no-such-host.invalid:0: cannot listen" in _one_line(capsys)


def test_a_serve_port_in_use_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(json.dumps({"interactions": [_interaction()], "version": 1}))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert execute(["serve", str(good), "--port", str(port)]) == 2
    assert f"127.0.0.1:{port}: cannot listen" in _one_line(capsys)


@pytest.mark.parametrize("command", ["export", "infer"])
def test_an_out_path_that_cannot_be_written_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(json.dumps({"interactions": [_interaction()], "version": 1}))
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert execute([command, str(good), "--out", str(blocker / "out")]) == 2
    assert str(blocker) in _one_line(capsys)


def test_a_target_nothing_listens_on_is_a_server_problem_not_a_file_problem(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("WYZE_EMAIL", "WYZE_PASSWORD", "WYZE_KEY_ID", "WYZE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as closed:  # a loopback port with no listener
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert execute(["stream-info", "--target", f"http://127.0.0.1:{port}"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("cannot reach the server") and f"port={port}" in line
    assert "check the path" not in line
