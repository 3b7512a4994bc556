"""The Ford lock host (yd-saas-toc.wyzecam.com) of the Wyze cloud stand-in: locks and keypads.

Every request is checked by standin.signed.check_ford (timestamp 17001, sign 14008, token).
A lock is a device whose `product_type` is `Lock`; its `mac` is `YD.LO1.<uuid>` and the
Ford calls name it by that uuid (wyze-sdk `Lock.parse_uuid`, wyzeapy `mac.split(".")[-1]`).
State: `hardlock` 1 locked / 2 unlocked (wyzeapy `lock_service.update`), `door` 1 open /
2 closed (wyze-sdk `LockProps`); each remote lock or unlock adds a family record with the
event ids of wyze-sdk `LockEventType` (2216 locked, 2203 unlocked); keypad codes are added,
updated and deleted through `pwd/operations/*` and renamed through `PUT pwd/nickname`;
`gateway/v1/info` answers the `YD.GW1` gateway and `lock/v1/ble/token` a BLE token encrypted
as wyzeapy `wyze_decrypt_cbc` decrypts it. Response fields follow wyzeapy PR #75's lock info
body and wyze-sdk `ford_service.py`; an offline lock answers INFERRED ErrNo "3019".
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device
from wyzeproto import signing

LOCKED, UNLOCKED = "1", "2"
EVENT_LOCKED, EVENT_UNLOCKED = 2216, 2203
Handler = Callable[[Account, dict[str, Any], Call], Reply]


def ble_encrypt(plain: str) -> str:
    """wyzeapy `wyze_decrypt_cbc`'s inverse: AES-CBC under md5(Ford secret[:16]), fixed IV."""
    key = hashlib.md5(signing.FORD_SECRET[:16].encode()).digest()
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b"0123456789ABCDEF")).encryptor()
    return (encryptor.update(data) + encryptor.finalize()).hex()


def lock_uuid(device: Device) -> str:
    """The Ford uuid of a lock: its mac after the last dot."""
    return device.mac.split(".")[-1]


class FordHost:
    """Handlers for the Ford host; every one runs after the signature and token checks."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for this host."""
        table: dict[str, Handler] = {
            "/openapi/v1/device": self.user_device,
            "/openapi/lock/v1/info": self.lock_info,
            "/openapi/lock/v1/control": self.control,
            "/openapi/v1/crypt_secret": self.crypt_secret,
            "/openapi/v1/safety/count": self.record_count,
            "/openapi/v1/safety/family_record": self.family_record,
            "/openapi/lock/v1/pwd": self.passwords,
            "/openapi/lock/v1/pwd/operations/add": self.add_password,
            "/openapi/lock/v1/pwd/operations/delete": self.delete_password,
            "/openapi/keypad/v1/info": self.keypad_info,
            "/openapi/gateway/v1/info": self.gateway_info,
            "/openapi/lock/v1/ble/token": self.ble_token,
            "/openapi/lock/v1/pwd/operations/update": self.update_password,
            "/openapi/lock/v1/pwd/nickname": self.set_nickname,
        }
        return {path: self._checked(handler) for path, handler in table.items()}

    def _checked(self, handler: Handler) -> Callable[[Call], Reply]:
        def run(call: Call) -> Reply:
            checked = signed.check_ford(call, self.sessions)
            if isinstance(checked, Reply):
                return checked
            return handler(checked[0], checked[1], call)
        return run

    def _lock(self, account: Account, params: dict[str, Any]) -> Device | None:
        uuid = params.get("uuid")
        for device in self.state.devices_of(account):
            if device.product_type == "Lock" and lock_uuid(device) == uuid:
                return device
        return None

    def _device_body(self, device: Device) -> dict[str, Any]:
        props = device.properties
        return {
            "uuid": lock_uuid(device), "device_type": "102051001000",
            "nickname": device.nickname, "onoff_line": 1 if device.online else 0,
            "door_open_status": 1 if props.get("door") == "1" else 0,
            "trash_mode": 0, "power": int(props.get("power", "87")),
            "hardware_info": {"mac": props.get("ble_mac", ""), "sn": props.get("sn", ""),
                              "versions": {"app_version": device.firmware_ver}},
            "locker_status": {"hardlock": int(props.get("hardlock", LOCKED)),
                              "door": int(props.get("door", "2")),
                              "hardlock_refreshtime": int(self.state.clock.now() * 1000)},
            "keypad": {"uuid": props.get("keypad_uuid", ""), "onoff_line": 1},
        }

    def user_device(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/v1/device`: the account's locks and their states."""
        locks = [d for d in self.state.devices_of(account) if d.product_type == "Lock"]
        return signed.ford({
            "devices": [{"uuid": lock_uuid(d), "model": d.product_model.split(".")[-1],
                         "nickname": d.nickname} for d in locks],
            "states": [{"uuid": lock_uuid(d), "onoff_line": 1 if d.online else 0}
                       for d in locks]})

    def lock_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/lock/v1/info`: the lock's `device` object."""
        device = self._lock(account, params)
        if device is None:
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        return signed.ford({"device": self._device_body(device)})

    def control(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/lock/v1/control` with `action` remoteLock or remoteUnlock."""
        device = self._lock(account, params)
        action = params.get("action")
        if device is None or action not in ("remoteLock", "remoteUnlock"):
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        if not device.online:
            return signed.ford(err=signed.FORD_DEVICE_OFFLINE)
        locking = action == "remoteLock"
        device.properties["hardlock"] = LOCKED if locking else UNLOCKED
        device.events.insert(0, {
            "eventid": EVENT_LOCKED if locking else EVENT_UNLOCKED, "priority": 1,
            "processed": 1, "time": int(self.state.clock.now() * 1000),
            "master": account.user_id, "uuid": lock_uuid(device),
            "detail": {"source": 1, "sourceid": 0, "source_name": "App"}})
        return signed.ford({})

    def crypt_secret(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/v1/crypt_secret`: the key wyze-sdk encrypts keypad codes with."""
        return signed.ford({"secret": account.user_id[:16]})

    def record_count(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/v1/safety/count`: how many family records the lock has."""
        device = self._lock(account, params)
        return signed.ford({"cnt": len(device.events) if device is not None else 0})

    def family_record(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/v1/safety/family_record`: lock events, newest first."""
        device = self._lock(account, params)
        limit = int(str(params.get("limit", "20")) or 20)
        offset = int(str(params.get("offset", "0")) or 0)
        events = device.events[offset:offset + limit] if device is not None else []
        return signed.ford({"family_record": events})

    def passwords(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/lock/v1/pwd`: the lock's keypad codes (never the code itself)."""
        device = self._lock(account, params)
        return signed.ford({"passwords": list(device.access_codes) if device else []})

    def add_password(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`pwd/operations/add`: a new keypad code, named, with its permission."""
        device = self._lock(account, params)
        if device is None or not params.get("password"):
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        code_id = max((c["id"] for c in device.access_codes), default=100) + 1
        device.access_codes.append({
            "id": code_id, "name": str(params.get("name", "")),
            "userid": str(params.get("userid", account.user_id)),
            "permission": {"status": 1, "type": 1},
            "time": int(self.state.clock.now() * 1000),
            "operation": 1, "operation_stage": 3, "pwd_state": 2})
        # No public body of this answer names a field; the new code shows in `pwd`.
        return signed.ford({})

    def delete_password(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`pwd/operations/delete`: the code with `passwordid` goes."""
        device = self._lock(account, params)
        wanted = str(params.get("passwordid", ""))
        if device is None or all(str(c["id"]) != wanted for c in device.access_codes):
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        device.access_codes = [c for c in device.access_codes if str(c["id"]) != wanted]
        return signed.ford({})

    def _code(self, account: Account, params: dict[str, Any]
              ) -> tuple[Device, dict[str, Any]] | None:
        device = self._lock(account, params)
        wanted = str(params.get("passwordid", ""))
        if device is None:
            return None
        for code in device.access_codes:
            if str(code["id"]) == wanted:
                return device, code
        return None

    def update_password(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`pwd/operations/update`: a keypad code's secret, name or permission changes."""
        found = self._code(account, params)
        if found is None:
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        device, code = found
        if not device.online:
            return signed.ford(err=signed.FORD_DEVICE_OFFLINE)
        if params.get("name") is not None:
            code["name"] = str(params["name"])
        if isinstance(params.get("permission"), str):
            try:
                code["permission"] = json.loads(params["permission"])
            except ValueError:
                return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        code["time"] = int(self.state.clock.now() * 1000)
        code["operation"] = 3  # update (wyze-sdk models/devices/locks.py LockKey docstring)
        return signed.ford({})

    def set_nickname(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`PUT pwd/nickname`: rename a keypad code (wyze-sdk `rename_access_code`)."""
        found = self._code(account, params)
        if found is None or not params.get("nickname"):
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        found[1]["name"] = str(params["nickname"])
        return signed.ford({})

    def gateway_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/gateway/v1/info`: the lock gateway's `device` (wyze-sdk reads it)."""
        uuid = params.get("uuid")
        for device in self.state.devices_of(account):
            if device.product_model == "YD.GW1" and lock_uuid(device) == uuid:
                return signed.ford({"device": {
                    "uuid": uuid, "onoff_line": 1 if device.online else 0,
                    "hardware_info": {"mac": device.properties.get("ble_mac", ""),
                                      "versions": {"app_version": device.firmware_ver}}}})
        return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code

    def ble_token(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/lock/v1/ble/token`: a BLE token, AES-CBC encrypted as wyzeapy decrypts."""
        device = self._lock(account, params)
        if device is None:
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        return signed.ford({"token": {"id": 1 + secrets.randbelow(2**31),
                                      "token": ble_encrypt(secrets.token_hex(16))}})

    def keypad_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`/openapi/keypad/v1/info`: the keypad paired with a lock."""
        device = self._lock(account, params)
        if device is None:
            return signed.ford(err=("5010", "DEVICE_NOT_FOUND"))  # INFERRED code
        return signed.ford({"device": {"uuid": device.properties.get("keypad_uuid", ""),
                                       "onoff_line": 1, "power": 95}})
