"""The stand-in cloud's state: accounts, devices, a controllable clock and limits, from YAML.

A state file is a small YAML mapping (see default_state.yaml, which documents every key).
Tests build scenarios by writing their own; anything left out takes the default below.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_STATE_PATH = Path(__file__).with_name("default_state.yaml")

CAMERA_PIDS = {"P1": "1", "P3": "1", "P5": "1", "P1001": "1", "P1047": "1", "P1048": "0",
               "P1049": "0"}
OTHER_PIDS = {"P3": "1", "P5": "1"}


class StateError(ValueError):
    """A state file or dict that cannot seed the stand-in; the message says where and why."""


@dataclass
class Clock:
    """Epoch seconds that tests can freeze and move; `start: null` follows real time."""

    start: float | None = None
    offset: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def now(self) -> float:
        """The stand-in's current time in epoch seconds."""
        base = time.time() if self.start is None else self.start
        return base + self.offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward (tokens expire, lockouts and rate windows pass)."""
        with self._lock:
            self.offset += seconds
        return self.now()


@dataclass
class Mfa:
    """An account's second factor; the codes are what the stand-in 'sends'."""

    totp_app_id: str | None = None
    totp_secret: str | None = None
    sms_code: str | None = None
    email_code: str | None = None
    primary_option: str = "Unknown"
    on_api_key_login: bool = False

    @property
    def options(self) -> list[str]:
        """The `mfa_options` list the auth host returns for this account."""
        found = []
        if self.sms_code is not None:
            found.append("PrimaryPhone")
        if self.totp_secret is not None:
            found.append("TotpVerificationCode")
        if self.email_code is not None:
            found.append("Email")
        return found


@dataclass
class Account:
    """One Wyze user: credentials, developer key pair and MFA settings."""

    email: str
    password: str
    user_id: str
    key_id: str | None = None
    api_key: str | None = None
    nickname: str = "Demo User"
    mfa: Mfa | None = None
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    # The platform profile's body data (height, gender, birth date ...) that
    # update_user_profile writes and get_user_profile reads (standin/scale.py).
    profile: dict[str, Any] = field(default_factory=dict)
    # Home Monitoring (standin/hms.py): the HMS id membership hands out, and its mode
    # (wyzeapy HMSMode values: disarm, home, away).
    hms_id: str | None = None
    hms_mode: str = "disarm"
    # Set by /app/user/change_password, which only ever sees the new password's double MD5.
    password_double_md5: str | None = None


@dataclass
class Device:
    """One device in an account's `device_list`, with its property values (pid -> str)."""

    mac: str
    product_model: str
    product_type: str
    nickname: str
    owner: str
    online: bool = True
    firmware_ver: str = "4.36.11.8391"
    properties: dict[str, str] = field(default_factory=dict)
    device_params: dict[str, Any] = field(default_factory=dict)
    # Ford locks: family records (newest first) and keypad codes, changed by the Ford host.
    events: list[dict[str, Any]] = field(default_factory=list)
    access_codes: list[dict[str, Any]] = field(default_factory=list)
    # A camera behind a base station (Wyze Cam Outdoor) names its parent; "" for none.
    parent_mac: str = ""
    # Device timers set through /app/v2/device/timer/set, by action_type (standin/timers.py).
    timers: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Plugin services' own records, as the seed's `plugin:` mapping gives them: a scale's
    # family members, measurements, goal weights and heart rates; an irrigation controller's
    # zones and runs; a vacuum's maps and sweep records. Their hosts change them in place.
    plugin: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settings:
    """Lifetimes and limits (facts section 2b and 7); all in seconds."""

    access_ttl_s: float = 2 * 86400
    # Kept so older state files load; every token the stand-in issues now looks real.
    real_looking_tokens: bool = True
    refresh_ttl_s: float = 30 * 86400
    lockout_max_failures: int = 5
    lockout_window_s: float = 900
    lockout_duration_s: float = 900
    auth_limit: int = 20
    auth_window_s: float = 480
    app_limit: int = 1000
    app_window_s: float = 60


@dataclass
class CloudState:
    """Everything the stand-in knows; handlers read and change it under the cloud's lock."""

    accounts: dict[str, Account]
    devices: dict[str, Device]
    clock: Clock
    settings: Settings

    def account(self, email: str) -> Account | None:
        """The account for an email, ignoring case."""
        return self.accounts.get(email.strip().lower())

    def devices_of(self, account: Account) -> list[Device]:
        """The devices an account owns, in file order."""
        return [d for d in self.devices.values() if d.owner == account.email.lower()]

    def owned_device(self, account: Account, did: object) -> Device | None:
        """The device `did` names when this account owns it, else None."""
        device = self.devices.get(str(did))
        if device is None or device.owner != account.email.lower():
            return None
        return device


def _derived(mac: str, prefix: str, upper: bool = False) -> str:
    digest = hashlib.sha256(mac.encode()).hexdigest()[:16]
    return prefix + (digest.upper() if upper else digest)


# Made-up Wi-Fi names a household might pick; chosen per camera from its MAC.
SSIDS = ("NETGEAR47-5G", "TP-Link_8E2C", "xfinitywifi-home", "Linksys03317", "ATT9hQ4bR2")
TUTK_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ123456789"


def p2p_uid(mac: str) -> str:
    """A 20-character TUTK UID for a camera, stable per MAC (made up, realistic shape)."""
    digest = hashlib.sha256(b"p2p" + mac.encode()).digest()
    return "".join(TUTK_ALPHABET[b % len(TUTK_ALPHABET)] for b in digest[:20])


def thumbnail_url(mac: str, ts_ms: int) -> str:
    """A made-up S3-presigned thumbnail URL in the shape of the cloud's (facts section 8)."""
    digest = hashlib.sha256(f"{mac}{ts_ms}".encode()).hexdigest()
    key_id = "ASIA" + hashlib.sha1(mac.encode()).hexdigest()[:16].upper()
    return (f"https://wyze-device-alarm-file-face.s3.us-west-2.amazonaws.com/{mac}/"
            f"{ts_ms}.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key_id}"
            f"%2F20241201%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20241201T120000Z"
            f"&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={digest}")


def _camera_params(mac: str, index: int, raw: dict[str, Any]) -> dict[str, Any]:
    ts_ms = 1_733_054_400_000 + index * 61_000
    params: dict[str, Any] = {
        "p2p_id": p2p_uid(mac), "p2p_type": 4,
        "ip": f"192.168.1.{10 + index}", "dtls": 1, "main_device_dtls": 1,
        "camera_thumbnails": {"thumbnails_url": thumbnail_url(mac, ts_ms),
                              "thumbnails_ts": ts_ms},
        "power_switch": 1, "records_event_switch": 1, "motion_alarm_switch": 1,
        "audio_alarm_switch": 0, "ssid": SSIDS[int(_derived(mac, ""), 16) % len(SSIDS)],
        "rssi": "-52",
    }
    params.update(raw)
    return params


def _where(source: str, path: str) -> str:
    return f"{source}::{path}"


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise StateError(f"{where}: expected a mapping, got {type(value).__name__}; fix the file")
    return value


def _account(raw: dict[str, Any], where: str) -> Account:
    for key in ("email", "password", "user_id"):
        if not isinstance(raw.get(key), str):
            raise StateError(f"{where}.{key}: missing or not a string; every account needs it")
    mfa_raw = raw.get("mfa")
    mfa = None
    if mfa_raw is not None:
        m = _mapping(mfa_raw, f"{where}.mfa")
        totp_raw = _mapping(m.get("totp"), f"{where}.mfa.totp")
        mfa = Mfa(totp_app_id=totp_raw.get("app_id"), totp_secret=totp_raw.get("secret"),
                  sms_code=m.get("sms_code"), email_code=m.get("email_code"),
                  primary_option=m.get("primary_option", "Unknown"),
                  on_api_key_login=bool(m.get("on_api_key_login", False)))
        if not mfa.options:
            raise StateError(f"{where}.mfa: no totp, sms_code or email_code; add one or drop mfa")
    return Account(email=raw["email"].lower(), password=raw["password"], user_id=raw["user_id"],
                   key_id=raw.get("key_id"), api_key=raw.get("api_key"),
                   nickname=raw.get("nickname", "Demo User"), mfa=mfa,
                   hms_id=raw.get("hms_id"))


def _device(raw: dict[str, Any], index: int, owner: str, where: str) -> Device:
    for key in ("mac", "product_model", "product_type"):
        if not isinstance(raw.get(key), str):
            raise StateError(f"{where}.{key}: missing or not a string; every device needs it")
    mac = raw["mac"]
    is_camera = raw["product_type"] == "Camera"
    props = dict(CAMERA_PIDS if is_camera else OTHER_PIDS)
    online = bool(raw.get("online", True))
    props["P5"] = "1" if online else "0"
    props.update({str(k): str(v) for k, v in _mapping(raw.get("properties"), where).items()})
    params = _mapping(raw.get("device_params"), f"{where}.device_params")
    if raw["product_type"] in ("Light", "MeshLight") and "ip" not in params:
        params = {"ip": f"192.168.1.{100 + index}", **params}  # wyzeapy's local control
    return Device(mac=mac, product_model=raw["product_model"], product_type=raw["product_type"],
                  nickname=raw.get("nickname", raw["product_model"]),
                  owner=str(raw.get("owner", owner)).lower(), online=online,
                  firmware_ver=str(raw.get("firmware_ver", "4.36.11.8391")), properties=props,
                  parent_mac=str(raw.get("parent_device_mac", "")),
                  device_params=_camera_params(mac, index, params) if is_camera else params,
                  plugin=copy.deepcopy(_mapping(raw.get("plugin"), f"{where}.plugin")))


def load_state(data: dict[str, Any], source: str = "<state>") -> CloudState:
    """Build a CloudState from a parsed state mapping; raises StateError naming the key."""
    data = _mapping(data, source)
    clock_raw = _mapping(data.get("clock"), _where(source, "clock"))
    start = clock_raw.get("start")
    if start is not None and (isinstance(start, bool) or not isinstance(start, int | float)):
        raise StateError(f"{source}::clock.start: {start!r} is not epoch seconds; use a number "
                         "or null (real time)")
    clock = Clock(start=start)
    settings = Settings()
    for section in ("tokens", "lockout", "rate_limits"):
        for key, value in _mapping(data.get(section), _where(source, section)).items():
            if not hasattr(settings, key):
                allowed = ", ".join(vars(Settings()))
                raise StateError(
                    f"{source}::{section}.{key}: unknown setting; use one of {allowed}")
            try:
                setattr(settings, key, type(getattr(settings, key))(value))
            except (TypeError, ValueError):
                raise StateError(f"{source}::{section}.{key}: {value!r} is not a number; "
                                 "fix the value") from None
    accounts: dict[str, Account] = {}
    for i, raw in enumerate(data.get("accounts") or []):
        acc = _account(_mapping(raw, f"{source}::accounts[{i}]"), f"{source}::accounts[{i}]")
        accounts[acc.email] = acc
    if not accounts:
        raise StateError(f"{source}::accounts: no accounts; add at least one")
    first = next(iter(accounts))
    devices: dict[str, Device] = {}
    for i, raw in enumerate(data.get("devices") or []):
        where = f"{source}::devices[{i}]"
        dev = _device(_mapping(raw, where), i, first, where)
        if dev.owner not in accounts:
            raise StateError(f"{where}.owner: {dev.owner} is not an account email; fix owner")
        devices[dev.mac] = dev
    return CloudState(accounts=accounts, devices=devices, clock=clock, settings=settings)


def load_state_file(path: str | Path) -> CloudState:
    """Read a YAML state file with the safe loader and build a CloudState."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StateError(f"{path}: not valid YAML ({exc}); fix the file") from exc
    return load_state(data, source=str(path))
