"""The stand-in's Ford host beyond lock and unlock: keypad codes and the BLE token."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import requests
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from standin import StandIn
from standin.scenarios import PLAIN
from wyzeproto import signing

LOCK_UUID = "5c8e1f0a3b7d4e29a6c0d1e2f3a4b5c6"


def login(s: StandIn) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(), timeout=5,
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return dict(r.json())


def ford(s: StandIn, method: str, path: str, token: str, **fields: Any) -> dict[str, Any]:
    key = "access_token" if method == "GET" else "accessToken"
    params = {**fields, key: token, "key": signing.FORD_APP_KEY,
              "timestamp": str(int(s.clock.now() * 1000))}
    params["sign"] = signing.ford_sign(method, path, params)
    url = f"{s.base_url}/yd-saas-toc.wyzecam.com{path}"
    if method == "GET":
        return dict(requests.get(url, params=params, timeout=5).json())
    return dict(requests.request(method, url, data=json.dumps(params), timeout=5).json())


def test_a_keypad_code_is_added_renamed_updated_and_removed(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    lock = {"uuid": LOCK_UUID}
    ford(standin, "POST", "/openapi/lock/v1/pwd/operations/add", token, **lock,
         userid=PLAIN.user_id, name="Sitter", password="9a8b7c6d5e4f3a2b",
         permission='{"status":1,"type":1}')
    codes = ford(standin, "GET", "/openapi/lock/v1/pwd", token, **lock)["passwords"]
    code_id = str(codes[-1]["id"])
    assert ford(standin, "PUT", "/openapi/lock/v1/pwd/nickname", token, **lock,
                passwordid=code_id, nickname="Weekend sitter")["ErrNo"] == 0
    ford(standin, "POST", "/openapi/lock/v1/pwd/operations/update", token, **lock,
         passwordid=code_id, permission='{"status":2,"type":2}')
    code = ford(standin, "GET", "/openapi/lock/v1/pwd", token, **lock)["passwords"][-1]
    assert code["name"] == "Weekend sitter" and code["permission"] == {"status": 2, "type": 2}
    ford(standin, "POST", "/openapi/lock/v1/pwd/operations/delete", token, **lock,
         passwordid=code_id)
    left = ford(standin, "GET", "/openapi/lock/v1/pwd", token, **lock)["passwords"]
    assert all(str(c["id"]) != code_id for c in left)
    bad = ford(standin, "PUT", "/openapi/lock/v1/pwd/nickname", token, **lock,
               passwordid=code_id, nickname="x")
    assert bad["ErrNo"] != 0


def test_a_ble_token_decrypts_as_wyzeapy_decrypts_it(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    ble = ford(standin, "GET", "/openapi/lock/v1/ble/token", token, uuid=LOCK_UUID)["token"]
    key = hashlib.md5(signing.FORD_SECRET[:16].encode()).digest()
    decryptor = Cipher(algorithms.AES(key), modes.CBC(b"0123456789ABCDEF")).decryptor()
    plain = decryptor.update(bytes.fromhex(ble["token"])) + decryptor.finalize()
    assert len(plain[:-plain[-1]].decode()) == 32 and isinstance(ble["id"], int)
