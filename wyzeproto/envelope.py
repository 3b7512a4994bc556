"""The app API's request envelope, and the app builds whose constants fill it.

Every JSON POST to ``api.wyzecam.com/app/...`` carries the same fields: ``access_token``,
``phone_id``, ``ts`` and the build fields ``sc``, ``sv``, ``app_ver``, ``app_name``,
``app_version``, ``phone_system_type`` (protocol facts 3 and 4). An :class:`AppIdentity` holds
one build's values, so the client can speak as wyze-sdk, wyzeapy, or whatever a recording
shows (:meth:`AppIdentity.from_body`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BUILD_FIELDS = ("sc", "sv", "app_ver", "app_name", "app_version", "phone_system_type")


@dataclass(frozen=True)
class AppIdentity:
    """One app build: which constants it sends and how it writes ``ts``."""

    name: str
    sc: str
    app_ver: str
    sv_by_path: Mapping[str, str] = field(default_factory=dict)
    default_sv: str | None = None
    app_name: str | None = None
    app_version: str | None = None
    phone_system_type: str | None = None
    ts_unit: str = "ms"  # wyzeapy sends seconds
    user_agent: str | None = None

    def sv(self, path: str) -> str | None:
        return self.sv_by_path.get(path, self.default_sv)

    def sv_values(self) -> set[str]:
        """Every ``sv`` this build sends, on any path."""
        values = set(self.sv_by_path.values())
        if self.default_sv is not None:
            values.add(self.default_sv)
        return values

    def ts(self) -> int:
        now = time.time()
        return int(now) if self.ts_unit == "s" else int(now * 1000)

    def envelope(self, path: str, access_token: str | None, phone_id: str) -> dict[str, Any]:
        """The envelope fields for one call (``access_token`` omitted when None)."""
        body: dict[str, Any] = {"sc": self.sc}
        sv = self.sv(path)
        if sv is not None:
            body["sv"] = sv
        body["app_ver"] = self.app_ver
        if self.app_name is not None:
            body["app_name"] = self.app_name
        if self.app_version is not None:
            body["app_version"] = self.app_version
        if self.phone_system_type is not None:
            body["phone_system_type"] = self.phone_system_type
        body["ts"] = self.ts()
        if access_token is not None:
            body["access_token"] = access_token
        body["phone_id"] = phone_id
        return body

    @classmethod
    def from_body(cls, body: Mapping[str, Any], path: str) -> AppIdentity:
        """The build that sent a recorded envelope (its ``ts`` unit guessed by magnitude)."""
        ts = body.get("ts")
        seconds = isinstance(ts, int | float) and ts < 10_000_000_000
        return cls(
            name="recorded",
            sc=str(body.get("sc", "")),
            app_ver=str(body.get("app_ver", "")),
            sv_by_path={path: str(body["sv"])} if "sv" in body else {},
            app_name=body.get("app_name"),
            app_version=body.get("app_version"),
            phone_system_type=body.get("phone_system_type"),
            ts_unit="s" if seconds else "ms",
        )


# wyze-sdk 2.2.0 (Android-style family, protocol facts 4 and 11a).
WYZE_SDK = AppIdentity(
    name="wyze-sdk",
    sc="a626948714654991afd3c0dbd7cdb901",
    app_ver="com.hualai___2.19.14",
    app_name="com.hualai",
    app_version="2.19.14",
    phone_system_type="2",
    user_agent="okhttp/4.7.2",
    sv_by_path={
        "/app/v2/home_page/get_object_list": "c417b62d72ee44bf933054bdca183e77",
        "/app/user/refresh_token": "d91914dd28b7492ab9dd17f7707d35a3",
        "/app/user/get_user_info": "6e054e04b7144c90af3b1281b6533492",
        "/app/user/logout": "759245b61abd49128585e95f30e61add",
        "/app/v2/device/get_property_list": "1df2807c63254e16a06213323fe8dec8",
        "/app/v2/device_list/get_property_list": "be9e90755d3445d0a4a583c8314972b6",
        "/app/v2/device/set_property_list": "a8290b86080a481982b97045b8710611",
        "/app/v2/auto/run_action_list": "5e02224ae0c64d328154737602d28833",
        "/app/v2/device/get_device_Info": "81d1abc794ba45a39fdd21233d621e84",
        "/app/v2/device/set_property": "44b6d5640c4d4978baba65c8ab9a6d6e",
        "/app/v2/auto/run_action": "011a6b42d80a4f32b4cc24bb721c9c96",
        "/app/v2/device/get_event_list": "bdcb412e230049c0be0916e75022d3f3",
    },
)

# wyzeapy 0.8.0 (iOS-style family, one generic sv, ts in seconds; protocol facts 4 and 11b).
WYZEAPY = AppIdentity(
    name="wyzeapy",
    sc="9f275790cab94a72bd206c8876429f3c",
    app_ver="com.hualai.WyzeCam___2.18.43",
    app_name="com.hualai.WyzeCam",
    app_version="2.18.43",
    phone_system_type="1",
    ts_unit="s",
    default_sv="9d74946e652647e9b6c9d59326aef104",
    sv_by_path={
        "/app/v2/device/get_event_list": "782ced6909a44d92a1f70d582bbe88be",
        "/app/v2/device/get_device_Info": "c86fa16fc99d4d6580f82ef3b942e586",
    },
)

# The 2018 app's login (protocol facts 2a): no app_name/app_version/phone_system_type.
APP_2018 = AppIdentity(
    name="app-2018",
    sc="f5609af3fa9541fd82a486df5fd9965a",
    app_ver="com.hualai___2.0.18",
    sv_by_path={"/app/user/login": "1ee66ee1fe03403b9ded3fe2fa869f2a"},
    user_agent="HLHome/1.3.116 (iPhone; iOS 11.3; Scale/3.00)",
)

# The builds the client can speak as; their sc/sv are public values (wyzeproto/constants.py).
IDENTITIES = (WYZE_SDK, WYZEAPY, APP_2018)
