"""Camera events, plug usage records and push settings on the stand-in's app API host.

`/app/v2/device/get_event_list` (wyze-sdk `api_service.get_event_list`: `device_mac_list`,
`begin_time`, `end_time`, `count`, `order_by`; wyzeapy `_get_event_list`), whose list grows
when a camera is turned off and on (`power_off`/`power_on` through `run_action` or P3 record
an event, as the app's timeline shows them); `/app/v2/plug/usage_record_list` (`device_mac`,
`date_begin`, `date_end`); `/app/user/set_push_info` (wyzeapy `set_push_info`) and
`/app/v2/device_event/set_read_state_list`. Field names follow the catalog schemas, which cite
wyze-sdk and wyzeapy; values are made up but raw (signed S3 URLs, 32-hex ids).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from standin import replies
from standin.app_api import AppApi
from standin.calls import Call
from standin.replies import Reply
from standin.state import Device, thumbnail_url

DAY_MS = 86_400_000
# The hourly watt-hours of a plug that runs a lamp in the evening (made up).
EVENING_LAMP = [0] * 17 + [9, 9, 9, 9, 9, 4, 0]


def record_event(device: Device, ts_ms: int, value: str = "1") -> dict[str, Any]:
    """Append one camera event (motion, `event_value` 1 by default) and return it."""
    event_id = secrets.token_hex(16)
    event = {
        "event_id": event_id, "device_mac": device.mac, "device_model": device.product_model,
        "event_category": 1, "event_value": value, "event_ts": ts_ms,
        "file_list": [{"file_id": secrets.token_hex(16), "type": 1,
                       "url": thumbnail_url(device.mac, ts_ms), "status": 1,
                       "en_algorithm": 0, "en_password": "", "is_ai": 0,
                       "ai_tag_list": [], "ai_url": ""}],
        "event_params": {}, "tag_list": [], "read_state": 0}
    device.events.append(event)
    return event


class EventApi:
    """Handlers for events, usage records and push settings; checks come from AppApi."""

    def __init__(self, app: AppApi) -> None:
        self.app = app
        self.state = app.state

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler."""
        return {
            "/app/v2/device/get_event_list": self.get_event_list,
            "/app/v2/plug/usage_record_list": self.usage_record_list,
            "/app/user/set_push_info": self.set_push_info,
            "/app/v2/device_event/set_read_state_list": self.set_read_state_list,
            "/app/device/get_device_info": self.device_identity,
            "/app/v2/device/get_device_info": self.device_identity,
        }

    def device_identity(self, call: Call) -> Reply:
        """`/app/device/get_device_info` (v1; wyze-sdk bulbs.info) and the lower-case v2
        `get_device_info` (wyze-node): the device's identity and connection state."""
        owned = self.app.begin_owned(call)
        if isinstance(owned, Reply):
            return owned
        _, device = owned
        return replies.envelope(self.app.now(), {
            "mac": device.mac, "nickname": device.nickname,
            "product_model": device.product_model, "product_type": device.product_type,
            "firmware_ver": device.firmware_ver, "conn_state": 1 if device.online else 0})

    def get_event_list(self, call: Call) -> Reply:
        """Events of the account's cameras (all, or those in `device_mac_list`)."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        wanted = body.get("device_mac_list") or []
        count = body.get("count", 20)
        if not isinstance(wanted, list) or not isinstance(count, int):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        cameras = [d for d in self.state.devices_of(account) if d.product_type == "Camera"
                   and (not wanted or d.mac in wanted)]
        events = [e for d in cameras for e in d.events if "event_id" in e]
        events.sort(key=lambda e: e["event_ts"], reverse=body.get("order_by", 2) == 2)
        return replies.envelope(self.app.now(), {"event_list": events[:count]})

    def usage_record_list(self, call: Call) -> Reply:
        """One record per day between `date_begin` and `date_end` for a plug."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        device = self.state.devices.get(str(body.get("device_mac")))
        begin, end = body.get("date_begin"), body.get("date_end")
        if not isinstance(begin, int) or not isinstance(end, int) or end < begin:
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if device is None or device.owner != account.email or device.product_type != "Plug":
            return replies.app_error(self.app.now(), replies.UNAUTHORIZED)
        days = range(begin - begin % DAY_MS, min(end, begin + 31 * DAY_MS), DAY_MS)
        # wyze-sdk PlugUsageRecord reads date_ts as epoch ms and data as a JSON list text.
        records = [{"date_ts": day, "data": str(EVENING_LAMP).replace(" ", "")}
                   for day in days]
        return replies.envelope(self.app.now(), {"usage_record_list": records})

    def set_push_info(self, call: Call) -> Reply:
        """Turn the account's push notifications on or off (`push_switch` "1"/"2")."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        return replies.envelope(self.app.now(), {})

    def set_read_state_list(self, call: Call) -> Reply:
        """Mark events read (`event_list[{device_mac, event_id_list}]`)."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, _ = begun
        for item in body.get("event_list") or []:
            device = self.state.devices.get(str(item.get("device_mac")))
            ids = set(item.get("event_id_list") or [])
            for event in device.events if device is not None else []:
                if event.get("event_id") in ids:
                    event["read_state"] = 1
        return replies.envelope(self.app.now(), {})


def camera_switched(device: Device, now_s: float) -> None:
    """A camera turned off or on: its timeline gains an event (INFERRED: the app shows one)."""
    seed = hashlib.sha256(f"{device.mac}{now_s}".encode()).digest()[0]
    record_event(device, int(now_s * 1000), value=str(1 + seed % 2))
