"""The 2018 API's remaining calls, firmware updates and app telemetry in the Wyze cloud stand-in.

The 2018 calls (api.wyzecam.com:8443; nblavoie/wyzecam-api Charles-Session, iOS app 1.3.116)
use the app envelope with the access token in the body: `get_device_list` answers
`data.device_info_list[]` with the flat 2018 entry (camera connection fields at the top);
`set_app_info`, `use_app`, `get_share_info_list`, `get_alarm_info_list`,
`upload_device_connect_info` and `get_allow_binding_device_list` answer an empty `data`, because
no public text transcribes theirs. `upgrade-api.wyzecam.com` `get_upgrade_version_by_list.ashx`
(HclX/WyzeUpdater) answers the envelope with an empty `data` (its fields are not public) and
checks a token only when one is sent; `wyze-general-api` `/v1/user/event` (wyze-sdk
`general_api_service`, `apiKey`/`appId` in the body, no token) answers `{code: 1, msg}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import replies
from standin.app_api import AppApi
from standin.calls import Call
from standin.replies import Reply, _json_reply
from standin.state import Device

FIRMWARE_HOST = "upgrade-api.wyzecam.com"
GENERAL_HOST = "wyze-general-api.wyzecam.com"
EMPTY_2018 = ("/app/system/set_app_info", "/app/user/use_app",
              "/app/device/get_share_info_list", "/app/device/get_alarm_info_list",
              "/app/device/upload_device_connect_info",
              "/app/system/get_allow_binding_device_list")


class LegacyApi:
    """Handlers for the 2018 calls, firmware and telemetry; checks come from AppApi."""

    def __init__(self, app: AppApi) -> None:
        self.app = app
        self.state = app.state

    def app_routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler on the app API host."""
        table: dict[str, Callable[[Call], Reply]] = {path: self.acknowledge
                                                     for path in EMPTY_2018}
        table["/app/device/get_device_list"] = self.get_device_list
        return table

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Host -> path -> handler for the firmware and telemetry hosts."""
        return {FIRMWARE_HOST: {"/get_upgrade_version_by_list.ashx": self.upgrade_versions},
                GENERAL_HOST: {"/v1/user/event": self.user_event}}

    def acknowledge(self, call: Call) -> Reply:
        """A 2018 call whose answer carries no data: the token is checked, then success."""
        begun = self.app.begin(call)
        return begun if isinstance(begun, Reply) else replies.old_login(self.app.now(), {})

    @staticmethod
    def _entry(device: Device) -> dict[str, Any]:
        params = device.device_params
        return {"mac": device.mac, "nickname": device.nickname,
                "product_model": device.product_model, "p2p_id": params.get("p2p_id", ""),
                "p2p_type": params.get("p2p_type", 0), "ip": params.get("ip", ""),
                "ssid": params.get("ssid", ""), "role": 1,
                "device_logo": "https://d1fk93tz4plczb.cloudfront.net/logo/"
                               f"{device.product_model}.png",
                "device_timezone": "America/Los_Angeles",
                "power_switch": int(device.properties.get("P3", "1")),
                "conn_state": 1 if device.online else 0}

    def get_device_list(self, call: Call) -> Reply:
        """The 2018 device list: the account's cameras as flat entries."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        _, account = begun
        assert account is not None
        cameras = [d for d in self.state.devices_of(account) if d.product_type == "Camera"]
        return replies.old_login(self.app.now(),
                                 {"device_info_list": [self._entry(d) for d in cameras]})

    def upgrade_versions(self, call: Call) -> Reply:
        """Firmware versions for a device list; a token, when sent, must be live."""
        body = call.json_body()
        if body is None:
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if "access_token" in body:
            begun = self.app.begin(call)
            if isinstance(begun, Reply):
                return begun
        return replies.envelope(self.app.now(), {})

    def user_event(self, call: Call) -> Reply:
        """App telemetry: accepted when it names `appId` and `eventId`."""
        body = call.json_body() or {}
        if not body.get("appId") or not body.get("eventId"):
            # INFERRED: no public error body for this host.
            return _json_reply(200, {"code": int(replies.PARAMETER_ERROR),
                                     "msg": replies.MESSAGES[replies.PARAMETER_ERROR]})
        return _json_reply(200, {"code": 1, "msg": "success"})
