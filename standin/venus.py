"""The vacuum's maps, position, sweep history and actions on `wyze-venus-service-vn` (stand-in).

What wyze-sdk 2.2.0 `service/venus_service.py` sends and `api/devices/vacuums.py` reads:
`memory_map/list` (GET `did`; `data` is a list of VacuumMapSummary: map_id, user_map_name,
current_map, img_url, room_info_list[{room_id, room_name}]), `memory_map/current_map` (GET
`did`: one VacuumMap with mapId, mapName, createTime, updateTime; POST `device_id`, `map_id`
chooses it), `memory_map/current_position` (GET `did`), `sweep_record/query_data` (GET `did`,
`purpose`, `count`, `last_time`; `data.data` is a list of VacuumSweepRecord: create_time ms,
timeBegin s, cleanType, cleanTime, cleanSize, model, map_img_*_url), `set_iot_action` (POST
`did`, `model`, `cmd` set_mode / set_preference, `params` list) and `event_tracking` (POST,
the app's analytics event). Olive-signed with the venus appid (standin.signed.check_olive).
State: the vacuum's `plugin` mapping (maps, position, dock, sweep_records) in
standin/default_state.yaml; a sweep that ends in docking is added to the history
(`finish_sweep`, called by standin/olive.py). INFERRED, no public body: the position's
x/y/phi labels, the map image URL shape, and 1001 for a malformed action.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device

PARAMETER_ERROR = 1001
DEVICE_OFFLINE = 3019
# set_iot_action `set_preference` ctrltype -> the property it changes (wyze-sdk
# vacuums.py set_suction_level sends ctrltype 1; VacuumProps.clean_level is `cleanlevel`).
PREFERENCES = {1: "cleanlevel"}


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def map_image_url(device: Device, key: str) -> str:
    """A made-up signed image URL of a map render, in the S3 shape the cloud uses."""
    digest = hashlib.sha256(f"{device.mac}{key}".encode()).hexdigest()
    return (f"https://wyze-venus-map.s3.us-west-2.amazonaws.com/{device.mac}/{key}.png"
            f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature={digest}")


def finish_sweep(device: Device, now_s: float, started_s: float | None) -> None:
    """Record a finished sweep in the vacuum's history (newest first)."""
    began = int(started_s if started_s is not None else now_s - 600)
    minutes = max(int((now_s - began) // 60), 1)
    records = device.plugin.setdefault("sweep_records", [])
    records.insert(0, {"create_time": int(now_s * 1000), "timeBegin": began,
                       "cleanType": 1, "cleanTime": minutes,
                       "cleanSize": max(minutes // 2, 1), "model": device.product_model,
                       "map_img_big_url": map_image_url(device, f"sweep-{began}-big"),
                       "map_img_small_url": map_image_url(device, f"sweep-{began}-small")})
    if "dock" in device.plugin:
        device.plugin["position"] = dict(device.plugin["dock"])


class VenusMaps:
    """Handlers for the venus map, history and action paths (joined to the venus host)."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for the venus host, each behind the olive signature check."""
        table: dict[str, signed.OliveHandler] = {
            "memory_map/list": self.memory_map_list,
            "memory_map/current_position": self.current_position,
            "memory_map/current_map": self.current_map,
            "sweep_record/query_data": self.sweep_records,
            "set_iot_action": self.set_iot_action,
            "event_tracking": self.event_tracking}
        return {f"/plugin/venus/{name}": signed.olive_checked(self.sessions, handler)
                for name, handler in table.items()}

    def _vacuum(self, account: Account, params: dict[str, Any]) -> Device | None:
        did = params.get("did", params.get("device_id", params.get("deviceId")))
        return self.state.owned_device(account, did)

    def _summary(self, device: Device, entry: dict[str, Any]) -> dict[str, Any]:
        return {"map_id": entry["map_id"], "user_map_name": entry.get("user_map_name", ""),
                "current_map": entry["map_id"] == device.plugin.get("current_map_id"),
                "img_url": map_image_url(device, f"map-{entry['map_id']}"),
                "room_info_list": entry.get("room_info_list", [])}

    def memory_map_list(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The vacuum's saved maps, the current one flagged."""
        device = self._vacuum(account, params)
        if device is None:
            return signed.unknown_device()
        maps = [self._summary(device, m) for m in device.plugin.get("maps", [])]
        return signed.olive(maps, total=len(maps))

    def current_map(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """GET: the current map; POST: choose one by `map_id`."""
        device = self._vacuum(account, params)
        if device is None:
            return signed.unknown_device()
        maps = {m["map_id"]: m for m in device.plugin.get("maps", [])}
        if call.method == "POST":
            map_id = _int(params.get("map_id"))
            if map_id not in maps:
                return signed.olive_error(PARAMETER_ERROR, "ParameterError")
            device.plugin["current_map_id"] = map_id
            device.properties["current_mapid"] = str(map_id)
            return signed.olive({})
        entry = maps.get(device.plugin.get("current_map_id"))
        if entry is None:
            return signed.olive(None, total=0)
        return signed.olive({"mapId": entry["map_id"], "mapName": entry.get("user_map_name"),
                             "createTime": entry.get("create_time"),
                             "updateTime": entry.get("update_time"),
                             "roomInfoList": entry.get("room_info_list", [])})

    def current_position(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Where the vacuum is on its current map."""
        device = self._vacuum(account, params)
        if device is None:
            return signed.unknown_device()
        position = device.plugin.get("position") or device.plugin.get("dock") or {}
        return signed.olive({"map_id": device.plugin.get("current_map_id"), **position})

    def sweep_records(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The newest `count` sweeps that began before `last_time` (epoch ms)."""
        device = self._vacuum(account, params)
        if device is None:
            return signed.unknown_device()
        before = _int(params.get("last_time"))
        rows = [r for r in device.plugin.get("sweep_records", [])
                if before is None or r.get("create_time", 0) <= before]
        rows = rows[:max(_int(params.get("count")) or 20, 1)]
        return signed.olive({"data": rows, "count": len(rows)}, total=len(rows))

    def set_iot_action(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`set_preference` (suction level) and `set_mode` on the vacuum."""
        device = self._vacuum(account, params)
        if device is None:
            return signed.unknown_device()
        items = params.get("params")
        cmd = params.get("cmd")
        if cmd not in ("set_preference", "set_mode") or not isinstance(items, list) \
                or not all(isinstance(i, dict) for i in items):
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        if not device.online:
            return signed.olive_error(DEVICE_OFFLINE, "DeviceIsOffline")
        for item in items:
            if cmd == "set_preference":
                name = PREFERENCES.get(_int(item.get("ctrltype")) or 0)
                if name is None:
                    return signed.olive_error(PARAMETER_ERROR, "ParameterError")
                device.properties[name] = str(item.get("value"))
            else:
                device.properties["mode_type"] = str(item.get("type"))
        return signed.olive({})

    def event_tracking(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The app's analytics event after an action: accepted, nothing changes."""
        if self._vacuum(account, params) is None:
            return signed.unknown_device()
        return signed.olive({})
