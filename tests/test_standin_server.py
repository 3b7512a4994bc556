"""The stand-in as a server: loopback binding, TLS with its own certificate, CLI, state files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from standin import StandIn, StateError
from standin.scenarios import PLAIN

ROOT = Path(__file__).resolve().parent.parent
LOGIN_HEADERS = {"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers}


def test_start_binds_127_0_0_1_and_stop_closes_the_socket() -> None:
    s = StandIn.default()
    url = s.start()
    assert url.startswith("http://127.0.0.1:")
    port = int(url.rsplit(":", 1)[1])
    assert requests.get(f"{url}/__standin__/health", timeout=5).json() == {"ok": True}
    s.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_tls_serves_https_with_a_self_made_certificate() -> None:
    with StandIn.default() as s:
        url = s.start(tls=True)
        assert url.startswith("https://127.0.0.1:") and s.cert_path is not None
        cert = s.cert_path
        r = requests.post(f"{url}/api/user/login", json=PLAIN.auth_body(),
                          headers=LOGIN_HEADERS, verify=str(cert), timeout=5)
        assert r.status_code == 200 and r.json()["access_token"]
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{url}/__standin__/health", timeout=5, verify=True)
    assert not cert.exists()


def test_state_file_scenario_sets_accounts_devices_and_frozen_clock(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text(
        "# made up\nclock: {start: 1700000000}\ntokens: {access_ttl_s: 10}\n"
        "accounts:\n- {email: user-0000000009@example.invalid, password: demo-password,\n"
        "   user_id: 00000000000000000000000000000009}\n"
        "devices:\n- {mac: 0000000000F1, product_model: HL_CAM4, product_type: Camera}\n")
    s = StandIn.from_yaml(state)
    assert s.clock.now() == 1700000000
    assert s.state.settings.access_ttl_s == 10
    assert list(s.state.devices) == ["0000000000F1"]


@pytest.mark.parametrize(("text", "where"), [
    ("accounts: []", "accounts"),
    ("accounts:\n- {email: a@example.invalid}", "accounts[0].password"),
    ("tokens: {bogus: 1}\naccounts:\n- {email: a@example.invalid, password: x, user_id: y}",
     "tokens.bogus"),
    ("accounts:\n- {email: a@example.invalid, password: x, user_id: y}\n"
     "devices:\n- {mac: M, product_model: X, product_type: Plug, owner: b@example.invalid}",
     "devices[0].owner"),
    ("clock: {start: tomorrow}\naccounts:\n- {email: a@example.invalid, password: x, "
     "user_id: y}", "clock.start"),
    ("lockout: {lockout_max_failures: many}\naccounts:\n- {email: a@example.invalid, "
     "password: x, user_id: y}", "lockout.lockout_max_failures"),
])
def test_bad_state_file_names_the_file_and_key(tmp_path: Path, text: str, where: str) -> None:
    state = tmp_path / "bad.yaml"
    state.write_text(text)
    with pytest.raises(StateError) as info:
        StandIn.from_yaml(state)
    assert str(info.value).startswith(f"{state}::{where}")


def test_default_state_file_says_it_is_made_up() -> None:
    text = (ROOT / "standin/default_state.yaml").read_text()
    assert "MADE-UP" in text.splitlines()[0]
    s = StandIn.default()
    assert all(a.email.endswith("@example.invalid") for a in s.state.accounts.values())
    assert all(a.password.startswith("demo-password") for a in s.state.accounts.values())
    kinds = {d.product_type for d in s.state.devices.values()}
    assert {"Camera", "Plug", "Lock", "Thermostat", "JA_RO2"} <= kinds


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "wyzeproto", "standin", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == f"wyze stand-in listening on http://127.0.0.1:{port}"
        r = requests.post(f"http://127.0.0.1:{port}/api/user/login", json=PLAIN.auth_body(),
                          headers=LOGIN_HEADERS, timeout=5)
        assert r.status_code == 200
    finally:
        proc.send_signal(2)
        assert proc.wait(timeout=10) == 0


def test_cli_with_a_missing_state_file_exits_2(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "wyzeproto", "standin", "--state",
                        str(tmp_path / "none.yaml")], cwd=ROOT, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "none.yaml" in r.stderr


def test_chunked_request_bodies_are_read_and_keep_alive_survives() -> None:
    with StandIn.default() as s:
        url = s.start()

        def chunks() -> Iterator[bytes]:
            body = json.dumps(PLAIN.auth_body()).encode()
            yield body[:7]
            yield body[7:]

        with requests.Session() as session:
            codes = [session.post(f"{url}/api/user/login", data=chunks(), headers=LOGIN_HEADERS,
                                  timeout=5).status_code for _ in range(3)]
        assert codes == [200, 200, 200]
