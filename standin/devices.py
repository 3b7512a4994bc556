"""Device endpoints of the Wyze cloud stand-in's app API host (api.wyzecam.com).

`get_object_list`, `get_property_list`, `set_property`, `set_property_list`,
`device_list/get_property_list`, `get_device_Info` and `auto/run_action`, with 1001 for a
malformed request, 3005 for a device the account does not own, 3019 for a change asked of an
offline device (wyze-protocol-facts.md section 8; fields of a device_list entry from its union
of wyze-sdk, nprail/wyze-cam-status and go2rtc).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from standin import replies
from standin.app_api import AppApi
from standin.calls import Call
from standin.events import camera_switched
from standin.replies import Reply
from standin.state import Account, Device

PID = re.compile(r"^P\d{1,5}$")
BOUND_MS = 1_700_000_000_000
# action_key -> (pid, value) it sets; None means accepted without a property change.
ACTIONS: dict[str, tuple[str, str] | None] = {
    "power_on": ("P3", "1"), "power_off": ("P3", "0"),
    "siren_on": ("P1049", "1"), "siren_off": ("P1049", "0"),
    "floodlight_on": ("P1056", "1"), "floodlight_off": ("P1056", "0"),
    "restart": None, "garage_door_trigger": None,
}


def device_enr(mac: str) -> str:
    """A made-up 16-character `enr` (the camera's P2P key), stable per MAC."""
    return base64.b64encode(hashlib.sha256(b"enr" + mac.encode()).digest()).decode()[:16]


def device_entry(device: Device, owner: Account) -> dict[str, Any]:
    """One `device_list[]` item as get_object_list returns it."""
    params = dict(device.device_params)
    if device.product_type == "Camera":
        params["power_switch"] = int(device.properties.get("P3", "1"))
    if device.product_type == "Lock":
        # wyze-sdk `LockProps`: switch_state 1 = unlocked, open_close_state 1 = closed; the
        # Ford host's hardlock (1 locked, 2 unlocked) and door (2 closed) are the same facts.
        props = device.properties
        params.update({"switch_state": 1 if props.get("hardlock") == "2" else 0,
                       "open_close_state": 0 if props.get("door") == "1" else 1,
                       "power": int(props.get("power", "87"))})
    return {
        "mac": device.mac, "nickname": device.nickname, "product_model": device.product_model,
        "product_type": device.product_type,
        # Made up: a CDN URL per model, as the cloud returns one per product.
        "product_model_logo_url": f"https://d1fk93tz4plczb.cloudfront.net/logo/{device.product_model}.png",
        "firmware_ver": device.firmware_ver, "hardware_ver": "0.0.0.0",
        "enr": device_enr(device.mac),
        "conn_state": 1 if device.online else 0, "conn_state_ts": BOUND_MS,
        "user_role": 1, "binding_user_nickname": owner.nickname, "binding_ts": BOUND_MS,
        "first_binding_ts": BOUND_MS, "first_activation_ts": BOUND_MS, "push_switch": 1,
        "event_master_switch": 1, "is_in_auto": 0, "parent_device_mac": device.parent_mac,
        "parent_device_enr": device_enr(device.parent_mac) if device.parent_mac else "",
        "timezone_name": "Etc/UTC", "timezone_gmt_offset": 0.0,
        "device_params": params,
    }


class DeviceApi:
    """Handlers for the device endpoints; token and rate checks come from AppApi.begin."""

    def __init__(self, app: AppApi) -> None:
        self.app = app
        self.state = app.state

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for the device endpoints."""
        return {
            "/app/v2/home_page/get_object_list": self.get_object_list,
            "/app/v2/device/get_property_list": self.get_property_list,
            "/app/v2/device_list/get_property_list": self.get_property_list_bulk,
            "/app/v2/device/set_property": self.set_property,
            "/app/v2/device/set_property_list": self.set_property_list,
            "/app/v2/device/get_device_Info": self.get_device_info,
            "/app/v2/auto/run_action": self.run_action,
        }

    def _device(self, call: Call, mac_key: str = "device_mac", model_key: str = "device_model"
                ) -> tuple[dict[str, Any], Device] | Reply:
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        mac, model = body.get(mac_key), body.get(model_key)
        if not isinstance(mac, str) or not isinstance(model, str):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        device = self.state.devices.get(mac)
        if device is None or device.owner != account.email or device.product_model != model:
            return replies.app_error(self.app.now(), replies.UNAUTHORIZED)
        return body, device

    def _properties(self, device: Device, wanted: Any) -> list[dict[str, Any]]:
        ts = int(self.app.now() * 1000)
        # Only the P-numbered pids: a device's olive properties (an air purifier's `aqi`,
        # standin/air.py) share `properties` but the app API never lists them.
        pids = wanted if isinstance(wanted, list) and wanted else \
            [pid for pid in device.properties if pid[:1] == "P" and pid[1:].isdigit()]
        return [{"pid": pid, "value": device.properties[pid], "ts": ts}
                for pid in pids if pid in device.properties]

    def get_object_list(self, call: Call) -> Reply:
        """`/app/v2/home_page/get_object_list`: device_list, device_group_list, sort list."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        _, account = begun
        assert account is not None
        devices = self.state.devices_of(account)
        return replies.envelope(self.app.now(), {
            "device_list": [device_entry(d, account) for d in devices],
            "device_group_list": [],
            "device_sort_list": [{"device_id": d.mac, "product_model": d.product_model}
                                 for d in devices]})

    def get_property_list(self, call: Call) -> Reply:
        """`/app/v2/device/get_property_list`: `property_list[{pid, value, ts}]`."""
        found = self._device(call)
        if isinstance(found, Reply):
            return found
        body, device = found
        return replies.envelope(self.app.now(), {
            "property_list": self._properties(device, body.get("target_pid_list"))})

    def get_property_list_bulk(self, call: Call) -> Reply:
        """`/app/v2/device_list/get_property_list`: several devices' properties at once."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        macs = body.get("device_list")
        if not isinstance(macs, list) or not all(isinstance(m, str) for m in macs):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        items = []
        for mac in macs:
            device = self.state.devices.get(mac)
            if device is None or device.owner != account.email:
                return replies.app_error(self.app.now(), replies.UNAUTHORIZED)
            items.append({"device_mac": mac, "device_model": device.product_model,
                          "property_list": self._properties(device,
                                                            body.get("target_pid_list"))})
        return replies.envelope(self.app.now(), {"device_list": items})

    def _set(self, device: Device, pairs: list[tuple[Any, Any]]) -> Reply:
        if not pairs or not all(isinstance(p, str) and PID.match(p) and isinstance(v, str | int)
                                for p, v in pairs):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if not device.online:
            return replies.app_error(self.app.now(), replies.DEVICE_OFFLINE)
        for pid, value in pairs:
            device.properties[pid] = str(value)
        return replies.envelope(self.app.now(), {})

    def set_property(self, call: Call) -> Reply:
        """`/app/v2/device/set_property`: one `pid` / `pvalue`."""
        found = self._device(call)
        if isinstance(found, Reply):
            return found
        body, device = found
        return self._set(device, [(body.get("pid"), body.get("pvalue"))])

    def set_property_list(self, call: Call) -> Reply:
        """`/app/v2/device/set_property_list`: `property_list[{pid, pvalue}]`."""
        found = self._device(call)
        if isinstance(found, Reply):
            return found
        body, device = found
        plist = body.get("property_list")
        if not isinstance(plist, list) or not all(isinstance(p, dict) for p in plist):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        return self._set(device, [(p.get("pid"), p.get("pvalue")) for p in plist])

    def get_device_info(self, call: Call) -> Reply:
        """`/app/v2/device/get_device_Info` (capital I): identity plus property_list."""
        found = self._device(call)
        if isinstance(found, Reply):
            return found
        _, device = found
        return replies.envelope(self.app.now(), {
            "mac": device.mac, "nickname": device.nickname,
            "product_model": device.product_model, "product_type": device.product_type,
            "firmware_ver": device.firmware_ver, "hardware_ver": "0.0.0.0",
            "ip": device.device_params.get("ip", ""), "conn_state": 1 if device.online else 0,
            "property_list": self._properties(device, None)})

    def run_action(self, call: Call) -> Reply:
        """`/app/v2/auto/run_action`: provider_key (model), instance_id (MAC), action_key."""
        found = self._device(call, mac_key="instance_id", model_key="provider_key")
        if isinstance(found, Reply):
            return found
        body, device = found
        action = body.get("action_key")
        if not isinstance(action, str) or action not in ACTIONS:
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if not device.online:
            return replies.app_error(self.app.now(), replies.DEVICE_OFFLINE)
        effect = ACTIONS[action]
        if effect is not None:
            device.properties[effect[0]] = effect[1]
            if device.product_type == "Camera" and effect[0] == "P3":
                camera_switched(device, self.app.now())
        return replies.envelope(self.app.now(), {"result": 1})
