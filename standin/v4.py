"""The v4 app API of the Wyze cloud stand-in (app.wyzecam.com /app/v4, app-core.cloud.wyze.com).

Every v4 request is a JSON body signed with `signature2` (wyzeproto/signing.py): the olive
appid 9319141212m2ik, or the web appid strv_e7f78e9e7738dc50 that wyzeapy
`_get_camera_stream` uses; the token travels in the `access_token` header (or
`authorization`). Answers use the v4 envelope `{code: "1", ts, msg: "SUCCESS", data,
traceId}` (ha-wyzeapi commit 44b6fc9 iot3_api.md). A bad signature, an unknown appid or a
dead token answer code "2001" in that envelope (INFERRED: no public v4 error body but
app-core's 1011; wyze-sdk and wyzeapy read 2001 as "refresh the token"); a change asked of an
offline device answers "3019" (INFERRED, the app API's offline code).

Served here: the iot3 calls of the Lock Bolt v2 (`get-property`, `run-action`,
`get-app-setting`, `event-history`), `home/get-favorites` and app-core's signed
`device/get_event_list` (docker-wyze-bridge `get_events`). The camera stream calls on this
host live in standin/streams.py and use :func:`check_v4`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import replies
from standin.calls import Call
from standin.replies import Reply, _json_reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device
from standin.tokens import hex32
from wyzeproto import signing

V4_HOST = "app.wyzecam.com"
APP_CORE_HOST = "app-core.cloud.wyze.com"
Handler = Callable[[Account, dict[str, Any], Call], Reply]


def v4_reply(now: float, data: Any, code: str = replies.SUCCESS, msg: str | None = None
             ) -> Reply:
    """The v4 envelope; `data` may be an object, a list or None (run-action)."""
    if msg is None:
        msg = "SUCCESS" if code == replies.SUCCESS else replies.MESSAGES.get(code, "")
    return _json_reply(200, {"code": code, "ts": int(now * 1000), "msg": msg, "data": data,
                             "traceId": hex32()})


def check_v4(call: Call, sessions: Sessions) -> tuple[Account, dict[str, Any]] | Reply:
    """The account and JSON body of a correctly signed v4 request, or the 2001 Reply."""
    now = sessions.state.clock.now()
    denied = v4_reply(now, None, replies.ACCESS_TOKEN_ERROR)
    secret = signing.SECRETS_BY_APP_ID.get(call.header("appid") or "")
    token = call.header("access_token") or signing.bearer_token(call.header("authorization"))
    if secret is None or not token:
        return denied
    if not signing.signature2_matches(call.header("signature2"), token, call.body, secret):
        return denied
    account = sessions.account_for_access(token)
    body = call.json_body()
    if account is None:
        return denied
    if body is None:
        return v4_reply(now, None, replies.PARAMETER_ERROR)
    return account, body


def _iot3_value(value: str) -> Any:
    if value in ("true", "false"):
        return value == "true"
    return int(value) if value.lstrip("-").isdigit() else value


class V4Api:
    """Handlers of the v4 hosts; each runs after :func:`check_v4`."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Host -> path -> handler."""
        iot3: dict[str, Handler] = {
            "/app/v4/iot3/get-property": self.get_property,
            "/app/v4/iot3/run-action": self.run_action,
            "/app/v4/iot3/get-app-setting": self.get_app_setting,
            "/app/v4/iot3/event-history": self.event_history,
            "/app/v4/home/get-favorites": self.get_favorites,
        }
        return {V4_HOST: {p: self.checked(h) for p, h in iot3.items()},
                APP_CORE_HOST: {"/app/v4/device/get_event_list":
                                self.checked(self.get_event_list)}}

    def checked(self, handler: Handler) -> Callable[[Call], Reply]:
        """`handler` behind the v4 signature and token check."""
        def run(call: Call) -> Reply:
            checked = check_v4(call, self.sessions)
            if isinstance(checked, Reply):
                return checked
            return handler(checked[0], checked[1], call)
        return run

    def now(self) -> float:
        """The stand-in clock."""
        return self.state.clock.now()

    def _target(self, account: Account, body: dict[str, Any]) -> Device | Reply:
        target = body.get("targetInfo")
        if not isinstance(target, dict) or not isinstance(target.get("id"), str):
            return v4_reply(self.now(), None, replies.PARAMETER_ERROR)
        device = self.state.devices.get(target["id"])
        if device is None or device.owner != account.email:
            return v4_reply(self.now(), None, replies.UNAUTHORIZED)
        return device

    def get_property(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """`iot3/get-property`: `payload.props` ("lock::lock-status", ...) -> `data.props`."""
        device = self._target(account, body)
        if isinstance(device, Reply):
            return device
        wanted = (body.get("payload") or {}).get("props") or list(device.properties)
        props = {name: _iot3_value(device.properties[name]) for name in wanted
                 if name in device.properties}
        return v4_reply(self.now(), {"props": props})

    def run_action(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """`iot3/run-action`: `lock::lock` / `lock::unlock` change the lock; data is null."""
        device = self._target(account, body)
        if isinstance(device, Reply):
            return device
        action = (body.get("payload") or {}).get("action")
        if action not in ("lock::lock", "lock::unlock"):
            return v4_reply(self.now(), None, replies.PARAMETER_ERROR)
        if not device.online:
            return v4_reply(self.now(), None, replies.DEVICE_OFFLINE)
        # INFERRED: lock-status true means locked (the iot3 write-up's get-property example).
        device.properties["lock::lock-status"] = "true" if action == "lock::lock" else "false"
        return v4_reply(self.now(), None)

    def get_app_setting(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """`iot3/get-app-setting`: no public body names a field, so an empty object."""
        device = self._target(account, body)
        return device if isinstance(device, Reply) else v4_reply(self.now(), {})

    def event_history(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """`iot3/event-history`: no public body names a field, so an empty object."""
        device = self._target(account, body)
        return device if isinstance(device, Reply) else v4_reply(self.now(), {})

    def get_favorites(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """`home/get-favorites`: the account has no favourites (item shape unknown)."""
        return v4_reply(self.now(), [])

    def get_event_list(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """app-core `get_event_list`: the v2 events of the cameras in `device_id_list`."""
        wanted = body.get("device_id_list")
        count = body.get("count", 20)
        if not isinstance(wanted, list) or not isinstance(count, int):
            return v4_reply(self.now(), None, replies.PARAMETER_ERROR)
        begin, end = body.get("begin_time", 0), body.get("end_time", 2**62)
        events = [e for d in self.state.devices_of(account) if not wanted or d.mac in wanted
                  for e in d.events if "event_id" in e
                  and int(begin) <= e["event_ts"] <= int(end)]
        events.sort(key=lambda e: e["event_ts"], reverse=body.get("order_by", 2) == 2)
        return v4_reply(self.now(), {"event_list": events[:count]})
