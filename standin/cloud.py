"""Routing of the Wyze cloud stand-in: one object answers every Wyze host, no sockets here.

A request is routed by its Host header when that names a Wyze host; otherwise by a leading
`/<wyze host>/` path segment (handy for `--map-remote` rules that keep the host in the path);
otherwise by path alone, because the auth host's and the app API's paths do not overlap.
This matters because mitmproxy's `--map-remote` rewrites the Host header to the stand-in's.

Paths under `/__standin__/` control the stand-in itself (they are not part of Wyze):
`GET health`, `POST clock` with `{"advance": seconds}`, `GET outbox` (codes 'sent' by SMS or
email), so a stand-in run by `wyze-toolkit standin` can be driven from another process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict

from standin import replies
from standin.app_api import AppApi
from standin.auth import AuthHost
from standin.bulk import BulkApi
from standin.calls import Call
from standin.devicemgmt import MARS_HOST, MARS_PREFIX, DeviceMgmtApi
from standin.devices import DeviceApi
from standin.events import EventApi, record_event
from standin.ford import FordHost
from standin.hms import HmsApi
from standin.irrigation import IrrigationHost
from standin.legacy import LegacyApi
from standin.olive import VENUS_HOST, OliveHosts
from standin.replies import Reply
from standin.scale import ScaleHosts
from standin.sessions import Sessions
from standin.state import CloudState
from standin.streams import SIGNALING_PREFIX, WEBRTC_HOST, StreamApi
from standin.timers import TimerApi
from standin.v4 import V4Api
from wyzeproto.hosts import split_authority

AUTH_HOST = "auth-prod.api.wyze.com"
APP_HOST = "api.wyzecam.com"
FORD_HOST = "yd-saas-toc.wyzecam.com"
# The auth host and the app API take POST only; the signed services use their own verbs.
POST_ONLY = {AUTH_HOST, APP_HOST}
CONTROL_PREFIX = "/__standin__/"
Handler = Callable[[Call], Reply]


def _bare_host(host: str) -> str:
    try:
        return split_authority(host)[0]
    except ValueError:  # not host[:port] (a path segment such as "a:b"): no Wyze host
        return host.strip().lower()


def _is_wyze(host: str) -> bool:
    return host.endswith((".wyze.com", ".wyzecam.com"))


class Cloud:
    """The stand-in's behaviour: `handle(Call) -> Reply`, serialised by one lock."""

    def __init__(self, state: CloudState) -> None:
        self.state = state
        self.sessions = Sessions(state)
        app = AppApi(state, self.sessions)
        self.olive = OliveHosts(state, self.sessions)
        for index, device in enumerate(state.devices.values()):
            if device.product_type == "Camera" and not device.events:
                for minutes in (95, 20):  # two motion events before the session starts
                    record_event(device, int(state.clock.now() * 1000) - minutes * 60_000
                                 - index * 7_000)
        self.routes: dict[str, dict[str, Handler]] = {
            AUTH_HOST: AuthHost(state, self.sessions).routes(),
            APP_HOST: {**app.routes(), **DeviceApi(app).routes(), **BulkApi(app).routes(),
                       **EventApi(app).routes()},
            FORD_HOST: FordHost(state, self.sessions).routes(),
            **self.olive.routes(),
            **ScaleHosts(state, self.sessions).routes(),
            **IrrigationHost(state, self.sessions).routes(),
        }
        v4 = V4Api(state, self.sessions)
        streams = StreamApi(app, v4)
        legacy = LegacyApi(app)
        devicemgmt = DeviceMgmtApi(state, self.sessions)
        # Merged host by host: several modules serve paths of one host (api.wyzecam.com).
        for table in (v4.routes(), streams.routes(), legacy.routes(), devicemgmt.routes(),
                      HmsApi(state, self.sessions).routes(),
                      {APP_HOST: {**legacy.app_routes(), **TimerApi(app).routes()}}):
            for host, paths in table.items():
                self.routes.setdefault(host, {}).update(paths)
        # Paths that carry an id after a fixed prefix (signed.webrtc.signaling, mars).
        self.prefix_routes: dict[str, tuple[str, Handler]] = {
            WEBRTC_HOST: (SIGNALING_PREFIX, streams.signaling),
            MARS_HOST: (MARS_PREFIX, devicemgmt.regist_gw_user),
        }
        # Handlers and StandIn's state changes hold it (an RLock so a handler may nest).
        self.lock = threading.RLock()

    def resolve(self, host_header: str, path: str) -> tuple[str, str]:
        """The Wyze host and path a request is for (see the module docstring)."""
        host = _bare_host(host_header)
        # A client joining a base URL ending in "/" with "/openapi/..." sends "//openapi/...".
        path = "/" + path.lstrip("/")
        segments = path.split("/", 2)
        if len(segments) > 1 and _is_wyze(_bare_host(segments[1])):
            rest = segments[2] if len(segments) > 2 else ""
            return _bare_host(segments[1]), "/" + rest.lstrip("/")
        if host in self.routes:
            return host, path
        for known, table in self.routes.items():
            if path in table:
                return known, path
        if path.startswith("/plugin/venus/"):
            return VENUS_HOST, path
        return host, path

    def handle(self, call: Call) -> Reply:
        """Answer one request; unknown endpoints get a 404 that names them."""
        if call.path.startswith(CONTROL_PREFIX):
            return self._control(call)
        handler = self.routes.get(call.host, {}).get(call.path)
        if handler is None and call.host == VENUS_HOST:
            with self.lock:
                reply = self.olive.venus_route(call)
            if reply is not None:
                return reply
        prefixed = self.prefix_routes.get(call.host)
        if handler is None and prefixed is not None and call.path.startswith(prefixed[0]) \
                and len(call.path) > len(prefixed[0]):
            handler = prefixed[1]
        if handler is None or (call.host in POST_ONLY and call.method != "POST"):
            return replies.not_found(call.host, call.path)
        with self.lock:
            return handler(call)

    def _control(self, call: Call) -> Reply:
        name = call.path[len(CONTROL_PREFIX):]
        with self.lock:
            if name == "clock" and call.method == "POST":
                body = call.json_body() or {}
                advance = body.get("advance", 0)
                if not isinstance(advance, int | float):
                    return replies.not_found(call.host, call.path)
                payload: object = {"now": self.state.clock.advance(float(advance))}
            elif name == "clock":
                payload = {"now": self.state.clock.now()}
            elif name == "outbox":
                payload = [asdict(sent) for sent in self.sessions.outbox]
            elif name == "health":
                payload = {"ok": True}
            else:
                return replies.not_found(call.host, call.path)
        return Reply(200, json.dumps(payload).encode(), {"Content-Type": replies.JSON_TYPE})
