"""How many requests the stand-in cloud answers per second of its own CPU (issue 11).

``standin_requests_per_cpu_s_app_api``: `get_property_list` on the app API;
``standin_requests_per_cpu_s_signed``: signed calls, Ford `lock/v1/info` (sign checked) and
earth `get_iot_prop` (signature2 checked), alternating. The stand-in runs as
``wyze-toolkit standin`` in its own process, driven over one keep-alive HTTP/1.1 connection;
its CPU (user + system, every thread) is read from /proc/<pid>/stat before and after, so the
load generator's own cost does not count. The goal (>= 1000, issue 11) is absolute: an
integrator's suite budget, not a ratio.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from standin.scenarios import PLAIN, app_body, default_state_dict
from wyzeproto import signing
from wyzeproto.mitmdump import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
REQUESTS = 4000
LOCK_UUID = "5c8e1f0a3b7d4e29a6c0d1e2f3a4b5c6"
THERMOSTAT = "CO_EA1_3130334B52484D33"


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _call(conn: http.client.HTTPConnection, method: str, path: str, body: bytes = b"",
          headers: dict[str, str] | None = None) -> Any:
    conn.request(method, path, body=body or None, headers=headers or {})
    return json.loads(conn.getresponse().read())


def _app_request(token: str) -> tuple[str, str, bytes, dict[str, str]]:
    body = app_body("/app/v2/device/get_property_list", token, device_mac="2CAA8E4F1D07",
                    device_model="WYZE_CAKP2JFUS", target_pid_list=[])
    return ("POST", "/app/v2/device/get_property_list", json.dumps(body).encode(),
            {"Content-Type": "application/json", "Host": "api.wyzecam.com"})


def _signed_requests(token: str, now_ms: int) -> list[tuple[str, str, bytes, dict[str, str]]]:
    ford = {"uuid": LOCK_UUID, "access_token": token, "key": signing.FORD_APP_KEY,
            "timestamp": str(now_ms)}
    ford["sign"] = signing.ford_sign("GET", "/openapi/lock/v1/info", ford)
    olive = {"did": THERMOSTAT, "keys": "temperature,cool_sp", "nonce": str(now_ms)}
    olive_headers = {"Host": "wyze-earth-service.wyzecam.com", "appid": signing.OLIVE_APP_ID,
                     "access_token": token,
                     "signature2": signing.signature2(token, signing.sorted_params(olive))}
    return [("GET", f"/openapi/lock/v1/info?{urlencode(ford)}", b"",
             {"Host": "yd-saas-toc.wyzecam.com"}),
            ("GET", f"/plugin/earth/get_iot_prop?{urlencode(olive)}", b"", olive_headers)]


def _rate(pid: int, conn: http.client.HTTPConnection,
          requests: list[tuple[str, str, bytes, dict[str, str]]], check: str) -> float:
    for method, path, body, headers in requests:  # warm up, and prove each one succeeds
        answer = _call(conn, method, path, body, headers)
        if str(answer.get(check)) not in ("0", "1"):
            raise RuntimeError(f"bench: {path} failed: {answer}")
    before = _cpu_s(pid)
    for n in range(REQUESTS):
        method, path, body, headers = requests[n % len(requests)]
        _call(conn, method, path, body, headers)
    used = _cpu_s(pid) - before
    return REQUESTS / max(used, 1 / TICKS)


def run(workdir: Path) -> dict[str, float]:
    """Start the stand-in in its own process, load it, return the two figures."""
    workdir.mkdir(parents=True, exist_ok=True)
    state = workdir / "state.yaml"
    state.write_text(yaml.safe_dump(default_state_dict(app_limit=10**9, auth_limit=10**6)))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wyzeproto", "standin", "--port", str(port),
                             "--state", str(state)], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.connect()
        assert conn.sock is not None
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        login = _call(conn, "POST", "/api/user/login", json.dumps(PLAIN.auth_body()).encode(),
                      {"Content-Type": "application/json", **PLAIN.key_headers})
        token = login["access_token"]
        app = _rate(proc.pid, conn, [_app_request(token)], "code")
        signed_requests = _signed_requests(token, int(time.time() * 1000))
        ford_ok = _call(conn, *signed_requests[0])["ErrNo"] == 0
        if not ford_ok:
            raise RuntimeError("bench: the signed Ford request was refused")
        signed = _rate(proc.pid, conn, signed_requests[1:], "code")
        signed = min(signed, _rate(proc.pid, conn, signed_requests[:1], "ErrNo"))
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"bench: stand-in {REQUESTS} requests each: app API {app:.0f}/CPU-s, signed (the "
          f"slower of Ford and earth) {signed:.0f}/CPU-s")
    return {"standin_requests_per_cpu_s_app_api": app,
            "standin_requests_per_cpu_s_signed": signed}
