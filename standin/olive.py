"""The olive-signed plugin hosts of the Wyze cloud stand-in: earth, sirius, venus, platform.

`wyze-earth-service` (thermostats), `wyze-sirius-service` (wall switches) and
`wyze-venus-service-vn` (vacuums) share one shape: `get_iot_prop` (GET `did`, `keys`),
`device_info` (GET `device_id`, `keys`), `get_sub_device`, `set_iot_prop` and
`set_iot_prop_by_topic` (POST `did`, `model`, `props`), per wyze-sdk `service/earth_service.py`
and `sirius_service.py`; answers in the olive envelope with the fields of ha-wyzeapi issue
#830's thermostat body. The vacuum's `/plugin/venus/{did}/control` starts, pauses and docks
(wyze-sdk `venus_service.py`: `type` 0 global sweep, `value` 1 start / 2 pause / 3 dock;
INFERRED from the client's enums). `wyze-platform-service` answers `get_user_profile`.
Every request passes standin.signed.check_olive first; a change asked of an offline device
answers code 3019 (INFERRED: the app API's offline code in the olive envelope).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device

EARTH_HOST = "wyze-earth-service.wyzecam.com"
SIRIUS_HOST = "wyze-sirius-service.wyzecam.com"
VENUS_HOST = "wyze-venus-service-vn.wyzecam.com"
PLATFORM_HOST = "wyze-platform-service.wyzecam.com"
DEVICE_OFFLINE = 3019
# Integer-valued properties in ha-wyzeapi issue #830's body; the rest are strings there.
INT_PROPS = {"cool_sp", "heat_sp"}
VENUS_CONTROL = re.compile(r"^/plugin/venus/(?P<did>[^/]+)/(?P<verb>control|status)$")
# venus control `value` -> the vacuum's `mode` afterwards (INFERRED labels).
VACUUM_MODES = {1: "sweeping", 2: "paused", 3: "docked"}
Handler = Callable[[Account, dict[str, Any], Call], Reply]


def _prop_value(name: str, value: str) -> Any:
    return int(value) if name in INT_PROPS and value.lstrip("-").isdigit() else value


class OliveHosts:
    """Handlers for the olive-signed hosts; `routes()` is host -> path -> handler."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Every olive host this stand-in serves, with its paths."""
        hosts: dict[str, dict[str, Callable[[Call], Reply]]] = {}
        for host, plugin in ((EARTH_HOST, "earth"), (SIRIUS_HOST, "sirius")):
            hosts[host] = {f"/plugin/{plugin}/{name}": self._checked(handler)
                           for name, handler in self._iot_table().items()}
        # wyze-sdk venus_service: reads through get_iot_prop and device_info; changes go
        # through /plugin/venus/{did}/control (venus_route).
        hosts[VENUS_HOST] = {f"/plugin/venus/{name}": self._checked(handler)
                             for name, handler in self._iot_table().items()
                             if name in ("get_iot_prop", "device_info")}
        hosts[PLATFORM_HOST] = {
            "/app/v2/platform/get_user_profile": self._checked(self.get_user_profile)}
        return hosts

    def _iot_table(self) -> dict[str, Handler]:
        return {"get_iot_prop": self.get_iot_prop, "device_info": self.device_info,
                "get_sub_device": self.get_sub_device, "set_iot_prop": self.set_iot_prop,
                "set_iot_prop_by_topic": self.set_iot_prop}

    def venus_route(self, call: Call) -> Reply | None:
        """`/plugin/venus/{did}/control` and `/status`, whose path names the device."""
        match = VENUS_CONTROL.match(call.path)
        if match is None:
            return None
        handler = self.vacuum_control if match["verb"] == "control" else self.vacuum_status
        return self._checked(handler)(call)

    def _checked(self, handler: Handler) -> Callable[[Call], Reply]:
        def run(call: Call) -> Reply:
            checked = signed.check_olive(call, self.sessions)
            if isinstance(checked, Reply):
                return checked
            return handler(checked, signed.olive_params(call), call)
        return run

    def _device(self, account: Account, did: object) -> Device | None:
        device = self.state.devices.get(str(did))
        if device is None or device.owner != account.email.lower():
            return None
        return device

    def _unknown(self) -> Reply:
        # INFERRED: no public body for a device the account does not own; the app API's 3005.
        return signed.olive_error(3005, "unauthorized operation")

    def get_iot_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The device's properties named in `keys` (all of them when `keys` is empty)."""
        device = self._device(account, params.get("did"))
        if device is None:
            return self._unknown()
        wanted = [k for k in str(params.get("keys", "")).split(",") if k]
        props = {k: _prop_value(k, v) for k, v in device.properties.items()
                 if not wanted or k in wanted}
        props["iot_state"] = "connected" if device.online else "disconnected"
        return signed.olive({
            "did": device.mac, "model": device.product_model, "props": props,
            "is_online_send": False, "is_sub_device": False, "is_update_shadow": False,
            "parent_did": None, "parent_model": None, "shadow_name": None})

    def device_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The device's settings (`device_info` keys live in its device_params)."""
        device = self._device(account, params.get("device_id"))
        if device is None:
            return self._unknown()
        wanted = [k for k in str(params.get("keys", "")).split(",") if k]
        settings = {k: v for k, v in device.device_params.items() if not wanted or k in wanted}
        return signed.olive({"deviceId": device.mac, "deviceModel": device.product_model,
                             "deviceName": device.nickname, "settings": settings})

    def get_sub_device(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Room sensors of a thermostat: none in the seed state."""
        if self._device(account, params.get("did")) is None:
            return self._unknown()
        return signed.olive([], total=0)

    def set_iot_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`set_iot_prop` and `set_iot_prop_by_topic`: `props` are written as strings."""
        device = self._device(account, params.get("did"))
        props = params.get("props")
        if device is None:
            return self._unknown()
        if not isinstance(props, dict) or not props:
            return signed.olive_error(1001, "ParameterError")  # INFERRED: app API's code
        if not device.online:
            return signed.olive_error(DEVICE_OFFLINE, "DeviceIsOffline")
        device.properties.update({str(k): str(v) for k, v in props.items()})
        return signed.olive({})

    def vacuum_control(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Start (1), pause (2) or dock (3) the vacuum named in the path."""
        match = VENUS_CONTROL.match(call.path)
        device = self._device(account, match["did"] if match else None)
        if device is None:
            return self._unknown()
        if not device.online:
            return signed.olive_error(DEVICE_OFFLINE, "DeviceIsOffline")
        try:
            mode = VACUUM_MODES[int(params.get("value", 0))]
        except (KeyError, TypeError, ValueError):
            return signed.olive_error(1001, "ParameterError")  # INFERRED: app API's code
        device.properties["mode"] = mode
        return signed.olive({})

    def vacuum_status(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The vacuum's mode, battery and fault, as the status call reads them."""
        match = VENUS_CONTROL.match(call.path)
        device = self._device(account, match["did"] if match else None)
        if device is None:
            return self._unknown()
        props = device.properties
        return signed.olive({"heartBeat": {"mode": props.get("mode", "docked"),
                                           "battery": int(props.get("battery", "100")),
                                           "fault_code": 0},
                             "eventFlag": {"fault_code": 0}})

    def get_user_profile(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The platform profile: who the token belongs to."""
        return signed.olive({"user_id": account.user_id, "email": account.email,
                             "nickname": account.nickname, "logo_url": "",
                             "height": 175, "height_unit": "cm", "weight": 70.0,
                             "weight_unit": "kg", "gender": "", "birth_date": "",
                             "notification": False, "subscription": {}})
