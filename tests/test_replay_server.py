"""The standalone replay server: keep-alive HTTP on 127.0.0.1, misses answered, under load."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from replay.http1 import MAX_HEAD
from replay.server import running
from tests.harness.loadgen import hammer, raw_request
from wyzeproto.cassette.files import load_cassette
from wyzeproto.cli.main import execute
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


_TOKEN_TAIL = re.compile(rb"(REDACTED_(?:access|refresh)_token_)[0-9a-f]{16}")


def test_ten_thousand_requests_at_concurrency_50_all_answer_as_recorded() -> None:
    recorded = _recorded_requests()
    with running([SDK]) as url:
        parts = urlsplit(url)
        replies = asyncio.run(hammer(parts.hostname or "", parts.port or 0,
                                     [r for r, _, _ in recorded], 10_000, 50))
    assert len(replies) == 10_000
    # Each login hands out tokens of its own (shaped like the recorded ones), the rest is
    # the recording byte for byte.
    expected = [(status, _TOKEN_TAIL.sub(rb"\1", body)) for _, status, body in recorded]
    wrong = [n for n, (status, body) in enumerate(replies)
             if (status, _TOKEN_TAIL.sub(rb"\1", body)) != expected[n % len(recorded)]]
    assert wrong == []
    logins = [body for n, (_, body) in enumerate(replies) if n % len(recorded) == 0]
    assert len(set(logins)) == len(logins)


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
    assert [status for status, _ in _replies(data)] == [200, 404, 200]


def _replies(data: bytes) -> list[tuple[int, bytes]]:
    """(status, body) of each answer in ``data``, in order; an interim (1xx) one has no body."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        out.append((int(head.split(b" ")[1]), rest[:length]))
        data = rest[length:]
    return out


def _chunked(raw: bytes, trailers: bytes) -> bytes:
    """``raw`` (a request with a Content-Length) with its body sent in two chunks instead,
    then the last chunk and ``trailers``."""
    head, _, body = raw.partition(b"\r\n\r\n")
    kept = [line for line in head.split(b"\r\n") if not line.startswith(b"Content-Length:")]
    half = len(body) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:half], body[half:]))
    return b"\r\n".join(kept) + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + \
        b"0\r\n" + trailers + b"\r\n"


@pytest.mark.parametrize("trailers", [b"", b"X-Checksum: 1\r\n",
                                      b"X-Checksum: 1\r\nX-Sent-By: test\r\n"])
def test_a_chunked_request_leaves_its_keep_alive_connection_ready_for_the_next(
    trailers: bytes,
) -> None:
    recorded = _recorded_requests()
    (listing, _, listed), (props, _, properties) = recorded[1], recorded[2]
    with running([SDK]) as url:
        replies = _replies(_exchange(url, _chunked(listing, trailers) + props))
    assert replies == [(200, listed), (200, properties)]


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_expect_100_continue_is_answered_before_the_body_is_sent_and_then_the_request() -> None:
    raw, _, listed = _recorded_requests()[1]
    head, _, body = raw.partition(b"\r\n\r\n")
    with running([SDK]) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(head + b"\r\nExpect: 100-continue\r\n\r\n")
            interim = _read_until(sock, b"\r\n\r\n")  # a timeout here: nobody said Continue
            sock.sendall(body)
            sock.shutdown(socket.SHUT_WR)
            answers = _read_until(sock, b"never sent")
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert _replies(answers) == [(200, listed)]


@pytest.mark.parametrize("cut", ["in one write", "in the second head", "in the first body"])
def test_a_pipelined_pair_of_plain_requests_is_answered_in_order(cut: str) -> None:
    recorded = _recorded_requests()
    (listing, _, listed), (props, _, properties) = recorded[1], recorded[2]
    both = listing + props
    at = {"in one write": len(both), "in the second head": len(listing) + 20,
          "in the first body": len(listing) - 10}[cut]
    with running([SDK]) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(both[:at])
            time.sleep(0.05)  # the rest arrives later, in a read of its own
            sock.sendall(both[at:])
            sock.shutdown(socket.SHUT_WR)
            answers = _read_until(sock, b"never sent")
    assert _replies(answers) == [(200, listed), (200, properties)]


def test_a_head_ended_by_bare_line_feeds_is_read_and_answered() -> None:
    raw, _, listed = _recorded_requests()[1]
    head, _, body = raw.partition(b"\r\n\r\n")
    with running([SDK]) as url:
        answers = _exchange(url, head.replace(b"\r\n", b"\n") + b"\n\n" + body)
    assert _replies(answers) == [(200, listed)]


@pytest.mark.parametrize("head", [
    b"POST /app/v2/device/get_property_list HTTP/1.1\r\nContent-Length: -5\r\n\r\n{}",
    b"POST /app/v2/device/get_property_list HTTP/1.1\r\nContent-Length: many\r\n\r\n",
    b"GARBAGE\r\nHost: api.wyzecam.com\r\n\r\n",
    b"POST /app/x HTTP/1.1\r\nHost: api.wyzecam.com\r\nContent-Length: 2\r\n"
    b"Content-Length: 20\r\n\r\n{}",  # which one frames the body? refuse, do not guess
    b"POST /app/x HTTP/1.1\r\nHost api.wyzecam.com\r\nContent-Length: 2\r\n\r\n{}",
])
def test_a_malformed_request_is_answered_400_and_closed_and_others_are_still_served(
    head: bytes,
) -> None:
    raw, _, listed = _recorded_requests()[1]
    with running([SDK]) as url:
        data = _exchange(url, head)
        after = _exchange(url, raw)
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"Connection: close" in data
    assert _replies(after) == [(200, listed)]


def test_a_head_too_large_is_answered_431() -> None:
    start = b"POST /app/x HTTP/1.1\r\nX-Pad: "
    # One byte over the limit: the server has read it all when it answers, so closing
    # cannot reset the connection before the answer is read.
    too_large = start + b"a" * (MAX_HEAD + 1 - len(start))
    with running([SDK]) as url:
        data = _exchange(url, too_large)
    assert data.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")


def test_command_line_refuses_missing_captures_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    assert execute(["serve", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'none'}") and "give a cassette file or a folder" in err


def test_an_unknown_session_is_refused_with_exit_2_listing_the_sessions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert execute(["serve", SDK, "--session", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--session: session 'nope'") and "sessions: sdk_session.yaml" in err


def test_a_login_through_the_server_is_logged_with_the_session_that_answered_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="replay.server")
    with running([SDK], session="sdk_session") as url:
        login = {"email": "me@example.com", "password": "7f5f74be86aa53a4abffeeeb0a3c2750"}
        answer = requests.post(f"{url}/api/user/login", data=json.dumps(login), timeout=10,
                               headers={"Host": "auth-prod.api.wyze.com"})
    assert answer.status_code == 200 and answer.json()["access_token"]
    assert any("login answered from session sdk_session.yaml (rule: pinned" in r.getMessage()
               for r in caplog.records)
