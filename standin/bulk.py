"""Bulk device endpoints of the Wyze cloud stand-in: several devices in one request.

`/app/v2/device_list/set_property_list` (wyzeapy uses it for bulbs' P3) and
`/app/v2/auto/run_action_list` with `set_mesh_property` (mesh lights), per
wyze-protocol-facts.md section 8. All-or-nothing: a bad item answers 1001, a device the
account does not own 3005, an offline device 3019, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import replies
from standin.app_api import AppApi
from standin.calls import Call
from standin.devices import PID
from standin.replies import Reply
from standin.state import Account, Device

Change = tuple[Device, list[tuple[str, str]]]


class BulkApi:
    """Handlers for the bulk endpoints; checks come from AppApi.begin."""

    def __init__(self, app: AppApi) -> None:
        self.app = app

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for the bulk endpoints."""
        return {
            "/app/v2/device_list/set_property_list": self.set_property_list_bulk,
            "/app/v2/auto/run_action_list": self.run_action_list,
        }

    def _pairs(self, plist: Any, key: str = "pvalue") -> list[tuple[str, str]] | None:
        if not isinstance(plist, list) or not plist:
            return None
        pairs = []
        for item in plist:
            if not isinstance(item, dict) or not isinstance(item.get("pid"), str) \
                    or not PID.match(item["pid"]) or not isinstance(item.get(key), str | int):
                return None
            pairs.append((item["pid"], str(item[key])))
        return pairs

    def _apply(self, account: Account, wanted: list[tuple[Any, Any]]) -> Reply:
        """Check every (mac, pairs) first, then change them all."""
        now = self.app.now()
        changes: list[Change] = []
        for mac, pairs in wanted:
            if not isinstance(mac, str) or pairs is None:
                return replies.app_error(now, replies.PARAMETER_ERROR)
            device = self.app.state.devices.get(mac)
            if device is None or device.owner != account.email:
                return replies.app_error(now, replies.UNAUTHORIZED)
            if not device.online:
                return replies.app_error(now, replies.DEVICE_OFFLINE)
            changes.append((device, pairs))
        for device, pairs in changes:
            device.properties.update(pairs)
        return replies.envelope(now, {})

    def set_property_list_bulk(self, call: Call) -> Reply:
        """`device_list[{device_mac, device_model, property_list[{pid, pvalue}]}]`."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        items = body.get("device_list")
        if not isinstance(items, list) or not items or not all(isinstance(i, dict)
                                                                for i in items):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        return self._apply(account, [(i.get("device_mac"), self._pairs(i.get("property_list")))
                                     for i in items])

    def run_action_list(self, call: Call) -> Reply:
        """`action_list[{action_key: set_mesh_property, action_params: {list: [...]}}]`."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        actions = body.get("action_list")
        if not isinstance(actions, list) or not actions:
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        wanted: list[tuple[Any, Any]] = []
        for action in actions:
            if not isinstance(action, dict):
                return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
            params = action.get("action_params")
            targets = params.get("list") if isinstance(params, dict) else None
            if action.get("action_key") != "set_mesh_property" or not isinstance(targets, list) \
                    or not targets:
                return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
            for target in targets:
                if not isinstance(target, dict):
                    return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
                wanted.append((target.get("mac"), self._pairs(target.get("plist"))))
        return self._apply(account, wanted)
