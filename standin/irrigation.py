"""The sprinkler host of the Wyze cloud stand-in: `wyze-lockwood-service` (`/plugin/irrigation/*`).

What wyzeapy 0.8.0 `services/irrigation_service.py` sends and reads: `get_iot_prop` (GET
`did`, `keys`; `data.props` with RSSI, IP, sn, ssid, iot_state), `device_info` (GET
`device_id`, `keys`; the controller's settings), `zone` (GET `device_id`; `data.zones[]`
with zone_number, name, enabled, zone_id, smart_duration), `quickrun` (POST `device_id`,
`zone_runs: [{zone_number, duration}]`), `runningschedule` (POST `device_id`, `action:
"STOP"`) and `schedule_runs` (GET `device_id`, `limit`; `data.schedules[]` with
schedule_state "running" and `zone_runs[]` carrying epoch-second start_ts/end_ts).
Olive-signed (standin.signed.check_olive first). A quick run shows in schedule_runs as
running until its end, or until runningschedule stops it; the controller's `plugin.zones`
and `plugin.runs` (standin/default_state.yaml) hold the state. INFERRED, no public body:
the `schedule_type` "QUICK_RUN" label, past runs' "past" state, 1001 for a malformed request
and 3019 for an offline controller (the app API's codes in the olive envelope).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device

LOCKWOOD_HOST = "wyze-lockwood-service.wyzecam.com"
IRRIGATION_MODEL = "BS_WK1"
PARAMETER_ERROR = 1001
DEVICE_OFFLINE = 3019


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _end(run: dict[str, Any]) -> int:
    return max((_int(z.get("end_ts")) or 0 for z in run.get("zone_runs", [])), default=0)


class IrrigationHost:
    """Handlers for the lockwood host; `routes()` is host -> path -> handler."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """The irrigation paths, each behind the olive signature check."""
        table: dict[str, signed.OliveHandler] = {
            "get_iot_prop": self.get_iot_prop, "device_info": self.device_info,
            "zone": self.zone, "quickrun": self.quickrun,
            "runningschedule": self.runningschedule, "schedule_runs": self.schedule_runs}
        return {LOCKWOOD_HOST: {f"/plugin/irrigation/{name}":
                                signed.olive_checked(self.sessions, handler)
                                for name, handler in table.items()}}

    def _controller(self, account: Account, params: dict[str, Any]) -> Device | None:
        did = params.get("device_id", params.get("did"))
        device = self.state.owned_device(account, did)
        return device if device and IRRIGATION_MODEL in device.product_model else None

    def _now(self) -> int:
        return int(self.state.clock.now())

    def _zone_name(self, device: Device, number: int) -> str | None:
        return next((z.get("name") for z in device.plugin.get("zones", [])
                     if z.get("zone_number") == number), None)

    def _running(self, device: Device) -> dict[str, Any] | None:
        now = self._now()
        return next((run for run in device.plugin.get("runs", [])
                     if run.get("schedule_state") == "running" and _end(run) > now), None)

    def get_iot_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The controller's properties named in `keys`, with iot_state and zone_state."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        wanted = [k for k in str(params.get("keys", "")).split(",") if k]
        running = self._running(device)
        named = {k: v for k, v in device.properties.items()  # not the app API's P-pids
                 if not (k[:1] == "P" and k[1:].isdigit())}
        props: dict[str, Any] = {**named,
                                 "iot_state": "connected" if device.online else "disconnected",
                                 "zone_state": 1 if running else 0,
                                 "device_model": device.product_model}
        props = {k: v for k, v in props.items() if not wanted or k in wanted}
        return signed.olive({"did": device.mac, "model": device.product_model, "props": props})

    def device_info(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The controller's settings named in `keys` (kept in its device_params)."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        wanted = [k for k in str(params.get("keys", "")).split(",") if k]
        settings = {k: v for k, v in device.device_params.items() if not wanted or k in wanted}
        return signed.olive({"device_id": device.mac, "device_model": device.product_model,
                             "props": settings})

    def zone(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The controller's zones."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        return signed.olive({"zones": device.plugin.get("zones", [])})

    def quickrun(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Water the asked zones now, one after the other, for their `duration` seconds."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        runs = params.get("zone_runs")
        numbers = {z.get("zone_number") for z in device.plugin.get("zones", [])}
        if not isinstance(runs, list) or not runs or any(
                not isinstance(r, dict) or r.get("zone_number") not in numbers
                or (_int(r.get("duration")) or 0) <= 0 for r in runs):
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        if not device.online:
            return signed.olive_error(DEVICE_OFFLINE, "DeviceIsOffline")
        self._stop(device)
        start, zone_runs = self._now(), []
        for run in runs:
            end = start + int(run["duration"])
            zone_runs.append({"zone_number": run["zone_number"],
                              "zone_name": self._zone_name(device, run["zone_number"]),
                              "start_ts": start, "end_ts": end,
                              "duration": int(run["duration"])})
            start = end
        device.plugin.setdefault("runs", []).insert(0, {
            "schedule_id": secrets.token_hex(8), "schedule_name": "Quick Run",
            "schedule_type": "QUICK_RUN", "schedule_state": "running",
            "zone_runs": zone_runs})
        return signed.olive({})

    def _stop(self, device: Device) -> bool:
        running = self._running(device)
        if running is None:
            return False
        now = self._now()
        running["schedule_state"] = "past"
        running["zone_runs"] = [{**z, "end_ts": min(z["end_ts"], now)}
                                for z in running["zone_runs"] if z["start_ts"] <= now]
        return True

    def runningschedule(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """`action: STOP` ends the running schedule (a no-op when nothing runs)."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        if params.get("action") != "STOP":
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        self._stop(device)
        return signed.olive({})

    def schedule_runs(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The newest `limit` runs; a run whose last zone has ended reads as past."""
        device = self._controller(account, params)
        if device is None:
            return signed.unknown_device()
        now, schedules = self._now(), []
        for run in device.plugin.get("runs", [])[:max(_int(params.get("limit")) or 2, 1)]:
            state = run.get("schedule_state")
            if state == "running" and _end(run) <= now:
                state = run["schedule_state"] = "past"
            schedules.append({**run, "schedule_state": state})
        return signed.olive({"schedules": schedules})
