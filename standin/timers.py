"""Device timers, device settings and the password change on the stand-in's app API host.

wyze-sdk `service/api_service.py`: `/app/v2/device/timer/set` (`device_mac`, `action_type` 1,
`action_value` 0 off / 1 on, `delay_time` seconds, `plan_execute_ts` ms; plugs and bulbs
`turn_on(after=...)`), `/timer/get` (its docstring's `data {action_value, delay_time,
plan_execute_ts}`), `/timer/cancel` (`clear_timer`), `/app/v2/device_group/timer/get`
(`group_id`); `/app/user/change_password` (`old_password`, `new_password` as double MD5, wyze-sdk
`Client.change_password`); `/app/device/set_device_Info` (docker-wyze-bridge
`set_device_info`, `switch_state`). The lower-case `get_device_info` is standin/events.py's.
A timer or setting asked of an offline device answers 3019.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import replies
from standin.app_api import HEX32, AppApi
from standin.calls import Call
from standin.replies import Reply
from standin.tokens import account_double_md5

NO_TIMER = {"action_value": "", "delay_time": 0, "plan_execute_ts": 0}


class TimerApi:
    """Handlers for timers and settings; checks come from AppApi."""

    def __init__(self, app: AppApi) -> None:
        self.app = app
        self.state = app.state

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler."""
        return {
            "/app/v2/device/timer/get": self.timer_get,
            "/app/v2/device/timer/set": self.timer_set,
            "/app/v2/device/timer/cancel": self.timer_cancel,
            "/app/v2/device_group/timer/get": self.group_timer_get,
            "/app/device/set_device_Info": self.set_device_info,
            "/app/user/change_password": self.change_password,
        }

    @staticmethod
    def _action_type(body: dict[str, Any]) -> int | None:
        value = body.get("action_type")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def timer_get(self, call: Call) -> Reply:
        """The device's timer for `action_type`, or an empty one."""
        owned = self.app.begin_owned(call)
        if isinstance(owned, Reply):
            return owned
        body, device = owned
        return replies.envelope(self.app.now(),
                                device.timers.get(self._action_type(body) or 1, NO_TIMER))

    def timer_set(self, call: Call) -> Reply:
        """Schedule the device to turn on or off `delay_time` seconds from now."""
        owned = self.app.begin_owned(call)
        if isinstance(owned, Reply):
            return owned
        body, device = owned
        action_type, delay = self._action_type(body), body.get("delay_time")
        if action_type is None or not isinstance(delay, int) or delay < 0 \
                or body.get("action_value") not in (0, 1, "0", "1"):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if not device.online:
            return replies.app_error(self.app.now(), replies.DEVICE_OFFLINE)
        device.timers[action_type] = {
            "action_value": str(body["action_value"]), "delay_time": delay,
            "plan_execute_ts": int(body.get("plan_execute_ts")
                                   or (self.app.now() + delay) * 1000)}
        return replies.envelope(self.app.now(), {})

    def timer_cancel(self, call: Call) -> Reply:
        """Drop the device's timer for `action_type`."""
        owned = self.app.begin_owned(call)
        if isinstance(owned, Reply):
            return owned
        body, device = owned
        device.timers.pop(self._action_type(body) or 1, None)
        return replies.envelope(self.app.now(), {})

    def group_timer_get(self, call: Call) -> Reply:
        """A device group's timer: the account has no groups (get_object_list's is empty)."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, _ = begun
        if body.get("group_id") in (None, ""):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        return replies.envelope(self.app.now(), dict(NO_TIMER))

    def set_device_info(self, call: Call) -> Reply:
        """`set_device_Info` with `switch_state` "1"/"0": the camera's power (P3)."""
        owned = self.app.begin_owned(call)
        if isinstance(owned, Reply):
            return owned
        body, device = owned
        state = str(body.get("switch_state", ""))
        if state not in ("0", "1"):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        if not device.online:
            return replies.app_error(self.app.now(), replies.DEVICE_OFFLINE)
        device.properties["P3"] = state
        return replies.envelope(self.app.now(), {})

    def change_password(self, call: Call) -> Reply:
        """The new password works from the next login; a wrong old one answers 1001."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        old, new = body.get("old_password"), body.get("new_password")
        # INFERRED: no public body of a refused change; the app API's parameter error.
        if old != account_double_md5(account) or not isinstance(new, str) \
                or not HEX32.match(new):
            return replies.app_error(self.app.now(), replies.PARAMETER_ERROR)
        account.password_double_md5 = new
        return replies.envelope(self.app.now(), {})
