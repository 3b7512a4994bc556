"""Typed results of the Wyze client, and the one error it raises.

Results keep the decoded JSON they came from in ``raw``, so a caller never loses a field the
dataclass does not name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class WyzeApiError(Exception):
    """The API answered with an error: ``code`` and ``message`` are the API's own.

    ``code`` is the app API's string code (``"2001"``, ``"1001"``...) or the auth host's
    integer ``errorCode`` (``1000``); None when the answer had no code (HTTP 429, not JSON).
    """

    def __init__(
        self, endpoint: str, code: str | int | None, message: str, status: int = 200
    ) -> None:
        self.endpoint = endpoint
        self.code = code
        self.message = message
        self.status = status
        shown = f"code {code}" if code is not None else f"HTTP {status}"
        super().__init__(f"{endpoint}: the API answered {shown}: {message or '(no message)'}")

    @property
    def is_access_token_error(self) -> bool:
        """True for 2001: the access token expired or is invalid; refresh, then retry."""
        return str(self.code) == "2001"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    user_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class MfaChallenge:
    """A login that needs a second step (``access_token`` empty, ``mfa_options`` a list)."""

    user_id: str | None
    mfa_options: tuple[str, ...]
    sms_session_id: str | None = None
    email_session_id: str | None = None
    totp_app_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MfaChallenge:
        details = data.get("mfa_details") or {}
        apps = details.get("totp_apps") or []
        app_id = apps[0].get("app_id") if apps and isinstance(apps[0], dict) else None
        return cls(
            user_id=data.get("user_id"),
            mfa_options=tuple(data.get("mfa_options") or ()),
            sms_session_id=data.get("sms_session_id"),
            email_session_id=data.get("email_session_id"),
            totp_app_id=app_id,
            raw=data,
        )


LoginResult = Tokens | MfaChallenge


@dataclass(frozen=True)
class Device:
    """One ``device_list[]`` entry of ``get_object_list``."""

    mac: str
    product_model: str
    product_type: str
    nickname: str = ""
    firmware_ver: str | None = None
    conn_state: int | None = None
    device_params: dict[str, Any] = field(default_factory=dict, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Device:
        return cls(
            mac=str(data.get("mac", "")),
            product_model=str(data.get("product_model", "")),
            product_type=str(data.get("product_type", "")),
            nickname=str(data.get("nickname", "")),
            firmware_ver=data.get("firmware_ver"),
            conn_state=data.get("conn_state"),
            device_params=dict(data.get("device_params") or {}),
            raw=data,
        )

    @property
    def is_camera(self) -> bool:
        return self.product_type == "Camera"


@dataclass(frozen=True)
class ObjectList:
    """``get_object_list``'s ``data``: devices, plus the groups kept as JSON."""

    devices: tuple[Device, ...]
    device_group_list: tuple[Any, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Property:
    """One ``property_list[]`` entry: ``pid`` (e.g. ``P3`` power), ``value``, ``ts``."""

    pid: str
    value: str
    ts: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Property:
        return cls(pid=str(data.get("pid", "")), value=str(data.get("value", "")),
                   ts=data.get("ts"))
