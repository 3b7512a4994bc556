"""The standalone replay server: keep-alive HTTP on 127.0.0.1, misses answered, under load."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from replay.server import main, running
from tests.harness.loadgen import hammer, raw_request
from wyzeproto.cassette.files import load_cassette
from wyzeproto.match.fields import VOLATILE

SDK = str(Path(__file__).resolve().parent / "cassettes" / "replay" / "sdk_session.yaml")


def _recorded_requests() -> list[tuple[bytes, int, bytes]]:
    """(raw request with fresh volatile fields, recorded status, recorded body) per interaction."""
    out = []
    for item in load_cassette(SDK).interactions:
        request, response = item["request"], item["response"]
        parts = urlsplit(request["uri"])
        body = json.loads(request["body"])
        for key in VOLATILE & body.keys():
            body[key] = "changed"
        raw = raw_request("POST", parts.netloc, parts.path, json.dumps(body).encode())
        out.append((raw, response["status"]["code"], response["body"]["string"].encode()))
    return out


def test_ten_thousand_requests_at_concurrency_50_all_answer_as_recorded() -> None:
    recorded = _recorded_requests()
    with running([SDK]) as url:
        parts = urlsplit(url)
        replies = asyncio.run(hammer(parts.hostname or "", parts.port or 0,
                                     [r for r, _, _ in recorded], 10_000, 50))
    assert len(replies) == 10_000
    wrong = [n for n, (status, body) in enumerate(replies)
             if (status, body) != recorded[n % len(recorded)][1:]]
    assert wrong == []


def test_a_miss_is_answered_404_with_an_explanation_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with running([SDK]) as url, caplog.at_level(logging.WARNING, "replay.server"), \
            requests.Session() as session:
        answer = session.post(f"{url}/app/v2/device/get_property_list",
                              json={"device_mac": "0000A1B2C3D4", "device_model": "nope",
                                    "access_token": "x", "target_pid_list": []})
    assert answer.status_code == 404 and answer.reason == "Not Recorded"
    explained = answer.json()
    assert explained["closest"]["where"].endswith("sdk_session.yaml::interaction 2")
    assert explained["differences"] == ["json.device_model: differs from the recording"]
    assert "json.device_model: differs" in caplog.text


def test_the_server_also_answers_as_a_plain_http_proxy_and_reads_chunked_bodies() -> None:
    body = json.dumps({"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"}).encode()
    chunked = (b"POST http://api.wyzecam.com/app/v2/home_page/get_object_list HTTP/1.1\r\n"
               b"Host: api.wyzecam.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
               b"\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    with running([SDK]) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port)) as sock:
            sock.sendall(chunked)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b'"device_list"' in data and b"Connection: close" in data


def _exchange(url: str, raw: bytes) -> bytes:
    """Send ``raw`` on one connection, half-close, and read everything the server answers."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_requests_with_the_same_head_are_each_matched_on_their_own_body() -> None:
    def props(model: str) -> bytes:
        return json.dumps({"access_token": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b",
                           "device_mac": "0000A1B2C3D4", "device_model": model,
                           "target_pid_list": [], "ts": 1}).encode()

    known, unknown = props("WYZE_CAKP2JFUS"), props("WYZE_CAKP2JFUX")  # same length
    requests_ = [raw_request("POST", "api.wyzecam.com", "/app/v2/device/get_property_list", b)
                 for b in (known, unknown, known)]
    assert requests_[0].split(b"\r\n\r\n")[0] == requests_[1].split(b"\r\n\r\n")[0]
    with running([SDK]) as url:
        data = _exchange(url, b"".join(requests_))  # pipelined on one keep-alive connection
    statuses = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        statuses.append(head.split(b" ")[1])
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        data = rest[length:]
    assert statuses == [b"200", b"404", b"200"]


@pytest.mark.parametrize("head", [
    b"POST /app/v2/device/get_property_list HTTP/1.1\r\nContent-Length: -5\r\n\r\n{}",
    b"POST /app/v2/device/get_property_list HTTP/1.1\r\nContent-Length: many\r\n\r\n",
    b"GARBAGE\r\nHost: api.wyzecam.com\r\n\r\n",
])
def test_a_malformed_request_head_is_answered_400_and_the_connection_closed(head: bytes) -> None:
    with running([SDK]) as url:
        data = _exchange(url, head)
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"Connection: close" in data


def test_command_line_refuses_missing_captures_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    assert main(["--captures", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'none'}") and "Give --captures" in err
