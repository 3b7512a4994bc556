"""The olive-signed plugin hosts of the Wyze cloud stand-in: earth, sirius, venus, platform.

`wyze-earth-service` (thermostats), `wyze-sirius-service` (wall switches) and
`wyze-venus-service-vn` (vacuums) share one shape: `get_iot_prop` (GET `did`, `keys`),
`device_info` (GET `device_id`, `keys`), `get_sub_device`, `set_iot_prop` and
`set_iot_prop_by_topic` (POST `did`, `model`, `props`), per wyze-sdk `service/earth_service.py`
and `sirius_service.py`; answers in the olive envelope with the fields of ha-wyzeapi issue
#830's thermostat body. The vacuum's `/plugin/venus/{did}/control` starts, pauses and docks
(wyze-sdk `venus_service.py`: `type` 0 global sweep, `value` 1 start / 2 pause / 3 dock;
INFERRED from the client's enums). `wyze-platform-service` answers `get_user_profile`.
The batch reads (`get_iot_prop/batch`, `device_info/batch`) and `get_sub_device` answer lists,
as wyze-sdk `api/devices/thermostats.py` get_sensors reads them, for a parent's
`plugin.sub_devices` (a thermostat's room sensor) or, without a parent, the account's own
devices. The air purifier's calls are standin/air.py's, the vacuum's maps and history
standin/venus.py's.
Every request passes standin.signed.check_olive first; a change asked of an offline device
answers code 3019 (INFERRED: the app API's offline code in the olive envelope).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from standin import signed
from standin.air import AirPurifiers
from standin.calls import Call
from standin.profile import user_profile
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device
from standin.venus import VenusMaps, finish_sweep

EARTH_HOST = "wyze-earth-service.wyzecam.com"
SIRIUS_HOST = "wyze-sirius-service.wyzecam.com"
VENUS_HOST = "wyze-venus-service-vn.wyzecam.com"
PLATFORM_HOST = "wyze-platform-service.wyzecam.com"
DEVICE_OFFLINE = 3019
# Integer-valued properties in ha-wyzeapi issue #830's body, and the vacuum's `mode` (wyze-sdk
# models/devices/vacuums.py: VacuumProps.mode is an int and Vacuum.mode parses only an int);
# the rest are strings there.
INT_PROPS = {"cool_sp", "heat_sp", "mode"}
VENUS_CONTROL = re.compile(r"^/plugin/venus/(?P<did>[^/]+)/(?P<verb>control|status)$")
# venus control `value` -> the vacuum's (`mode`, `vacuum_work_status`) afterwards, as codes of
# wyze-sdk models/devices/vacuums.py VacuumMode (1 cleaning, 4 paused, 0 idle) and
# VacuumStatus (2 cleaning, 6 paused, 4 docked); the stand-in docks at once.
VACUUM_MODES = {1: (1, 2), 2: (4, 6), 3: (0, 4)}
VACUUM_DOCKED = 4
Handler = Callable[[Account, dict[str, Any], Call], Reply]


def _prop_value(name: str, value: str) -> Any:
    return int(value) if name in INT_PROPS and value.lstrip("-").isdigit() else value


def _wanted(params: dict[str, Any]) -> list[str]:
    """The names in a request's comma-separated `keys` (none: every one is wanted)."""
    return [k for k in str(params.get("keys", "")).split(",") if k]


def _asked(values: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``values`` limited to the request's `keys`."""
    wanted = _wanted(params)
    return {k: v for k, v in values.items() if not wanted or k in wanted}


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
            hosts[host][f"/plugin/{plugin}/get_iot_prop/batch"] = self._checked(
                self.get_iot_prop_batch)
            hosts[host][f"/plugin/{plugin}/device_info/batch"] = self._checked(
                self.device_info_batch)
        hosts[EARTH_HOST].update(AirPurifiers(self.state).routes(self._checked))
        # wyze-sdk venus_service: reads through get_iot_prop and device_info; changes go
        # through /plugin/venus/{did}/control (venus_route).
        hosts[VENUS_HOST] = {f"/plugin/venus/{name}": self._checked(handler)
                             for name, handler in self._iot_table().items()
                             if name in ("get_iot_prop", "device_info")}
        hosts[VENUS_HOST].update(VenusMaps(self.state, self.sessions).routes())
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
        return signed.olive_checked(self.sessions, handler)

    def _device(self, account: Account, did: object) -> Device | None:
        return self.state.owned_device(account, did)

    def get_iot_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The device's properties named in `keys` (all of them when `keys` is empty)."""
        device = self._device(account, params.get("did"))
        if device is None:
            return signed.unknown_device()
        wanted = _wanted(params)
        props = {k: _prop_value(k, v) for k, v in _asked(device.properties, params).items()}
        if not wanted or "iot_state" in wanted:  # only what was asked (wyze-sdk get_sensors
            # json-decodes every returned prop of its sensor_* query)
            props["iot_state"] = "connected" if device.online else "disconnected"
        return signed.olive({
            "did": device.mac, "model": device.product_model, "props": props,
            "is_online_send": False, "is_sub_device": False, "is_update_shadow": False,
            "parent_did": None, "parent_model": None, "shadow_name": None})

    def device_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The device's settings (`device_info` keys live in its device_params)."""
        device = self._device(account, params.get("device_id"))
        if device is None:
            return signed.unknown_device()
        return signed.olive({"deviceId": device.mac, "deviceModel": device.product_model,
                             "deviceName": device.nickname,
                             "settings": _asked(device.device_params, params)})

    def get_sub_device(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Room sensors of a thermostat, a list (wyze-sdk thermostats.py get_sensors sends
        `device_id` and iterates `data`); each from the parent's `plugin.sub_devices`."""
        device = self._device(account, params.get("device_id", params.get("did")))
        if device is None:
            return signed.unknown_device()
        subs = [{k: v for k, v in sub.items() if k not in ("props", "settings")}
                for sub in device.plugin.get("sub_devices", [])]
        return signed.olive(subs, total=len(subs))

    def _sub_devices(self, account: Account, params: dict[str, Any],
                     name: str) -> list[dict[str, Any]] | None:
        """The devices named (comma-joined) by `name`: sub-devices of the parent in
        `parent_did`/`parent_device_id`, else the account's own devices; None when one is
        not the account's."""
        parent_id = params.get("parent_did", params.get("parent_device_id"))
        if parent_id:
            parent = self._device(account, parent_id)
            if parent is None:
                return None
            known = {sub.get("device_id"): sub for sub in parent.plugin.get("sub_devices", [])}
        else:
            known = {d.mac: {"device_id": d.mac, "device_model": d.product_model,
                             "device_name": d.nickname, "props": d.properties,
                             "settings": d.device_params}
                     for d in self.state.devices_of(account)}
        wanted = [d for d in str(params.get(name, params.get("device_ids", ""))).split(",")
                  if d]
        if not wanted or any(d not in known for d in wanted):
            return None
        return [known[d] for d in wanted]

    def get_iot_prop_batch(self, account: Account, params: dict[str, Any],
                           call: Call) -> Reply:
        """Properties of several room sensors: a list of {did, props} (get_sensors)."""
        subs = self._sub_devices(account, params, "did")
        if subs is None:
            return signed.unknown_device()
        rows = [{"did": sub["device_id"], "model": sub.get("device_model"),
                 "props": _asked(sub.get("props", {}), params)} for sub in subs]
        return signed.olive(rows, total=len(rows))

    def device_info_batch(self, account: Account, params: dict[str, Any],
                          call: Call) -> Reply:
        """Settings of several room sensors: a list of {deviceId, settings} (get_sensors)."""
        subs = self._sub_devices(account, params, "device_id")
        if subs is None:
            return signed.unknown_device()
        rows = [{"deviceId": sub["device_id"], "deviceModel": sub.get("device_model"),
                 "deviceName": sub.get("device_name"),
                 "settings": _asked(sub.get("settings", {}), params)} for sub in subs]
        return signed.olive(rows, total=len(rows))

    def set_iot_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`set_iot_prop` and `set_iot_prop_by_topic`: `props` are written as strings."""
        device = self._device(account, params.get("did"))
        props = params.get("props")
        if device is None:
            return signed.unknown_device()
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
            return signed.unknown_device()
        if not device.online:
            return signed.olive_error(DEVICE_OFFLINE, "DeviceIsOffline")
        try:
            mode, work_status = VACUUM_MODES[int(params.get("value", 0))]
        except (KeyError, TypeError, ValueError):
            return signed.olive_error(1001, "ParameterError")  # INFERRED: app API's code
        if work_status == 2:
            device.plugin["sweep_started"] = self.state.clock.now()
        elif work_status == VACUUM_DOCKED and "sweep_started" in device.plugin:
            finish_sweep(device, self.state.clock.now(), device.plugin.pop("sweep_started"))
        device.properties["mode"] = str(mode)
        device.properties["vacuum_work_status"] = str(work_status)
        return signed.olive({})

    def vacuum_status(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The vacuum's mode, battery and fault, as the status call reads them."""
        match = VENUS_CONTROL.match(call.path)
        device = self._device(account, match["did"] if match else None)
        if device is None:
            return signed.unknown_device()
        props = device.properties
        return signed.olive({"heartBeat": {"mode": int(props.get("mode", "0")),
                                           "vacuum_work_status": int(props.get(
                                               "vacuum_work_status", str(VACUUM_DOCKED))),
                                           "battery": int(props.get("battery", "100")),
                                           "fault_code": 0},
                             "eventFlag": {"fault_code": 0}})

    def get_user_profile(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The platform profile: who the token belongs to."""
        return signed.olive(user_profile(account))
