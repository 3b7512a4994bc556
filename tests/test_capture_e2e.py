"""A real capture session: client -> real mitmdump (TLS) with the capture addon -> stand-in.

Nothing leaves loopback: the client talks only to the proxy on 127.0.0.1; mitmdump runs with
``connection_strategy=lazy`` and ``upstream_cert=false`` and ``--map-remote`` sends every Wyze
host to the stand-in on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import secrets
import signal
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import brotli
import httpx
import pytest
import requests
import vcr
from vcr.serialize import deserialize
from vcr.serializers import yamlserializer

from standin import StandIn
from tests.harness.tls_upstream import serve_tls
from wyzeproto.cassette.files import load_cassette
from wyzeproto.mitmdump import free_port
from wyzeproto.redact import lint

pytestmark = pytest.mark.slow

# Made up for this test, in real-looking shapes so redaction has something to do.
EMAIL = "alice.tester@wyze-test.net"
PASSWORD = "correct horse battery"
KEY_ID = "3f2a1b4c-1234-4abc-8def-0123456789ab"
API_KEY = "Xy7Qw3Er5Ty8Ui0Op2As4Df6Gh9Jk1Lz"
MACS = ["2CAA8E4F1B9D", "7C78B2A0C3E1"]


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def state(app_limit: int = 1000) -> dict:
    return {
        "rate_limits": {"app_limit": app_limit, "auth_limit": 1000},
        "accounts": [
            {
                "email": EMAIL,
                "password": PASSWORD,
                "user_id": md5("alice-user"),
                "key_id": KEY_ID,
                "api_key": API_KEY,
                "nickname": "Alice",
            }
        ],
        "devices": [
            {
                "mac": MACS[0],
                "product_model": "WYZE_CAKP2JFUS",
                "product_type": "Camera",
                "nickname": "Alice's porch",
                "device_params": {"ip": "10.0.0.23", "ssid": "AliceNet"},
            },
            {
                "mac": MACS[1],
                "product_model": "WLPP1CFH",
                "product_type": "Plug",
                "nickname": "Alice's lamp",
            },
        ],
    }


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch):
    # The stand-in issues placeholder-shaped tokens by default; here they must look real, so
    # the test shows the capture redacting them rather than passing them through.
    monkeypatch.setattr(
        "standin.sessions.opaque", lambda kind, prefix="": prefix + secrets.token_urlsafe(24)
    )
    standin = StandIn(state(app_limit=100_000))
    url = standin.start(port=0, tls=True)
    yield url.rsplit(":", 1)[1]
    standin.stop()


def capture_proxy(mitmdump_factory, tmp_path: Path, port: str, *extra: str):
    return mitmdump_factory(
        [
            "-s",
            "addons/capture.py",
            "--set",
            f"capture_dir={tmp_path / 'captures'}",
            "--set",
            "capture_name=session",
            "--map-remote",
            f"|^https://[^/]+/|https://127.0.0.1:{port}/",
            *extra,
        ]
    )


def proxied_session(proxy) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would override session.verify
    session.proxies = {"https": proxy.proxy_url}
    session.verify = proxy.ca_cert
    return session


def envelope(access_token: str) -> dict:
    return {
        "access_token": access_token,
        "app_name": "com.hualai",
        "app_ver": "com.hualai___2.19.14",
        "app_version": "2.19.14",
        "phone_id": "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
        "phone_system_type": "2",
        "sc": "a626948714654991afd3c0dbd7cdb901",
        "sv": "c417b62d72ee44bf933054bdca183e77",
        "ts": 1700000000000,
    }


def test_login_and_device_list_are_recorded_redacted_and_loadable(
    mitmdump_factory, tmp_path: Path, cloud: str
) -> None:
    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)
    session = proxied_session(proxy)
    login = session.post(
        "https://auth-prod.api.wyze.com/api/user/login",
        headers={"keyid": KEY_ID, "apikey": API_KEY},
        json={"email": EMAIL, "password": md5(md5(md5(PASSWORD)))},
    )
    assert login.status_code == 200, login.text
    tokens = login.json()
    devices = session.post(
        "https://api.wyzecam.com/app/v2/home_page/get_object_list",
        json=envelope(tokens["access_token"]),
    )
    assert {d["mac"] for d in devices.json()["data"]["device_list"]} == set(MACS)
    session.get("https://not-wyze.example.org/")  # mapped to the stand-in, not recorded
    log = proxy.stop()

    path = tmp_path / "captures" / "session.yaml"
    text = path.read_text()
    interactions = load_cassette(path).interactions
    assert [i["request"]["uri"] for i in interactions] == [
        "https://auth-prod.api.wyze.com/api/user/login",
        "https://api.wyzecam.com/app/v2/home_page/get_object_list",
    ]
    for secret in [
        EMAIL,
        KEY_ID,
        API_KEY,
        md5(md5(md5(PASSWORD))),
        *MACS,
        "10.0.0.23",
        "AliceNet",
        "Alice's porch",
        tokens["access_token"],
        tokens["refresh_token"],
    ]:
        assert secret not in text
    # the Host header as the client sent it, not the stand-in --map-remote sent it to
    assert interactions[0]["request"]["headers"]["Host"] == ["auth-prod.api.wyze.com"]
    issued = json.loads(interactions[0]["response"]["body"]["string"])["access_token"]
    sent = json.loads(interactions[1]["request"]["body"])["access_token"]
    assert issued == sent and issued.startswith("lvtx.REDACTED_access_token_")
    assert lint.secret_findings(interactions[0]) == lint.secret_findings(interactions[1]) == []
    deserialize(text, yamlserializer)
    assert "capture: POST auth-prod.api.wyze.com /api/user/login 200" in log
    assert f"capture: 2 interaction(s) recorded to {path}" in log
    assert "1 flow(s) to other hosts not recorded" in log


def test_a_captured_cassette_replays_in_vcrpy_with_the_network_blocked(
    mitmdump_factory, tmp_path: Path, cloud: str
) -> None:
    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)
    reply = requests.post(
        "https://auth-prod.api.wyze.com/api/user/login",
        json={"email": EMAIL, "password": "wrong"},
        proxies={"https": proxy.proxy_url},
        verify=proxy.ca_cert,
    )
    assert reply.status_code == 400
    proxy.stop()
    path = tmp_path / "captures" / "session.yaml"
    recorded = load_cassette(path).interactions[0]
    # the conftest guard refuses non-loopback connections, so only VCR.py can answer this
    with vcr.use_cassette(str(path), record_mode="none"):
        replayed = requests.post("https://auth-prod.api.wyze.com/api/user/login", json={})
    assert replayed.status_code == 400
    assert replayed.json() == json.loads(recorded["response"]["body"]["string"])
    assert replayed.json()["errorCode"] == 1000


def test_a_session_with_no_wyze_traffic_says_why_and_writes_nothing(
    mitmdump_factory, tmp_path: Path, cloud: str
) -> None:
    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)
    requests.get(
        "https://elsewhere.example.org/", proxies={"https": proxy.proxy_url}, verify=proxy.ca_cert
    )
    log = proxy.stop()
    assert (
        "nothing recorded: no flow matched the capture hosts (flows seen to: "
        "elsewhere.example.org)" in log
    )
    assert not (tmp_path / "captures" / "session.yaml").exists()


def test_1000_flows_at_concurrency_50_give_exactly_1000_interactions(
    mitmdump_factory, tmp_path: Path, cloud: str
) -> None:
    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)

    async def run() -> list[int]:
        limit = asyncio.Semaphore(50)
        context = ssl.create_default_context(cafile=proxy.ca_cert)
        async with httpx.AsyncClient(
            proxy=proxy.proxy_url, verify=context, limits=httpx.Limits(max_connections=50)
        ) as client:

            async def one(n: int) -> int:
                async with limit:
                    body = envelope(f"lvtx.token-{n}")
                    reply = await client.post(
                        "https://api.wyzecam.com/app/v2/home_page/get_object_list", json=body
                    )
                    return reply.status_code

            return await asyncio.gather(*(one(n) for n in range(1000)))

    statuses = asyncio.run(run())
    assert statuses == [200] * 1000
    log = proxy.stop()
    assert len(load_cassette(tmp_path / "captures" / "session.yaml").interactions) == 1000
    assert "capture: 1000 interaction(s) recorded" in log


class OddUpstream(BaseHTTPRequestHandler):
    """Answers with the bodies real servers sometimes send."""

    REPLIES = {
        "/nonjson": (200, {"Content-Type": "text/plain"}, b"plain text, not JSON"),
        "/json-truncated": (200, {"Content-Type": "application/json"}, b'{"code": "1", "da'),
        "/binary": (200, {"Content-Type": "application/octet-stream"}, bytes(range(256))),
        "/gzip": (
            200,
            {"Content-Type": "application/json", "Content-Encoding": "gzip"},
            gzip.compress(b'{"code": "1", "email": "bob@wyze-test.net"}'),
        ),
        "/br": (
            200,
            {"Content-Type": "application/json", "Content-Encoding": "br"},
            brotli.compress(b'{"code": "1"}'),
        ),
        "/bad-gzip": (
            200,
            {"Content-Type": "application/json", "Content-Encoding": "gzip"},
            b"this is not gzip",
        ),
        "/empty": (204, {}, b""),
        "/error": (500, {"Content-Type": "application/json"}, b'{"code": "5000"}'),
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/cut":  # promise 100 bytes, send 10, hang up
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        status, headers, body = self.REPLIES[self.path]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_odd_bodies_http_errors_and_connection_errors_never_crash_the_proxy(
    mitmdump_factory, tmp_path: Path
) -> None:
    server = serve_tls(OddUpstream, tmp_path)
    closed_port = free_port()
    proxy = mitmdump_factory(
        [
            "-s",
            "addons/capture.py",
            "--set",
            f"capture_dir={tmp_path / 'captures'}",
            "--set",
            "capture_name=odd",
            "--map-remote",
            f"|//odd\\.wyzecam\\.com/|//127.0.0.1:{server.server_port}/",
            "--map-remote",
            f"|//down\\.wyzecam\\.com/|//127.0.0.1:{closed_port}/",
        ]
    )
    session = proxied_session(proxy)
    for path in OddUpstream.REPLIES:  # stream: the client need not decode what it gets
        session.get(f"https://odd.wyzecam.com{path}", stream=True).close()
    for url in ("https://odd.wyzecam.com/cut", "https://down.wyzecam.com/x"):
        with contextlib.suppress(requests.RequestException):
            session.get(url, timeout=10)
    assert session.get("https://odd.wyzecam.com/nonjson").ok  # the proxy is still serving
    log = proxy.stop()
    server.shutdown()

    cassette = load_cassette(tmp_path / "captures" / "odd.yaml").interactions
    by_path = {i["request"]["uri"].split(".com", 1)[1]: i["response"] for i in cassette}
    assert set(by_path) == set(OddUpstream.REPLIES)
    assert len(cassette) == len(OddUpstream.REPLIES) + 1
    assert by_path["/nonjson"]["body"]["string"] == "plain text, not JSON"
    assert by_path["/json-truncated"]["body"]["string"] == '{"code": "1", "da'
    # fail closed: bytes nobody can read are withheld, with their size, type and a digest
    assert by_path["/binary"]["body"]["string"].startswith(
        "[wyze-toolkit: body withheld, 256 bytes of application/octet-stream, digest ")
    assert json.loads(by_path["/gzip"]["body"]["string"])["email"].endswith("@example.invalid")
    assert "Content-Encoding" not in by_path["/gzip"]["headers"]
    # not gzip whatever the header says: read as the text it is (and redacted as text)
    assert by_path["/bad-gzip"]["body"]["string"] == "this is not gzip"
    assert "Content-Encoding" not in by_path["/bad-gzip"]["headers"]
    assert by_path["/empty"]["status"]["code"] == 204
    assert by_path["/error"]["status"]["code"] == 500
    assert log.count("capture: flow failed, not recorded") >= 1
    assert "down.wyzecam.com" in log
    assert "Traceback" not in log


def test_sigkill_of_the_proxy_mid_session_loses_at_most_its_last_half_second(
    mitmdump_factory, tmp_path: Path, cloud: str
) -> None:
    from addons.capture import DELAY

    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)
    session = proxied_session(proxy)
    answered = 0
    stop = threading.Event()

    def keep_asking() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                session.post("https://api.wyzecam.com/app/v2/home_page/get_object_list",
                             json=envelope("lvtx.token"), timeout=5)
            except requests.RequestException:
                return  # the proxy is gone
            answered += 1

    worker = threading.Thread(target=keep_asking)
    worker.start()
    while answered < 40:
        time.sleep(0.01)
    settled = answered  # answered more than DELAY before the kill: recorded by then
    time.sleep(DELAY + 0.5)
    assert proxy.proc is not None
    proxy.proc.send_signal(signal.SIGKILL)  # mid-stream: no 'done' hook, no final rewrite
    proxy.proc.wait()
    stop.set()
    worker.join()
    recorded = load_cassette(tmp_path / "captures" / "session.yaml").interactions
    assert answered >= len(recorded) >= settled >= 40
    deserialize((tmp_path / "captures" / "session.yaml").read_text(), yamlserializer)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_or_ctrl_c_right_after_the_answers_records_every_flow(
    mitmdump_factory, tmp_path: Path, cloud: str, sig: signal.Signals
) -> None:
    proxy = capture_proxy(mitmdump_factory, tmp_path, cloud)
    session = proxied_session(proxy)
    for _ in range(5):  # fewer than a batch: all of them still wait when the signal comes
        session.post("https://api.wyzecam.com/app/v2/home_page/get_object_list",
                     json=envelope("lvtx.token"), timeout=5).raise_for_status()
    assert proxy.proc is not None
    proxy.proc.send_signal(sig)
    assert proxy.proc.wait(timeout=20) is not None
    recorded = load_cassette(tmp_path / "captures" / "session.yaml").interactions
    assert len(recorded) == 5
