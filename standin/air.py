"""The air purifier's air-quality calls on `wyze-earth-service` (Wyze cloud stand-in).

wyzeapy 0.8.0 `services/air_purifier_service.py` (CO_AP1): `get_air_prop` (GET `deviceId`,
`deviceModel`, `propNames`; reads `data.settings.aqi`) and `query_air_history` (GET
`device_id`, `begin_time`, `last_time` in epoch seconds; iterates `data` as a list of
samples with `max_aqi` and `avg`). The purifier's other properties go through the shared
earth get_iot_prop / set_iot_prop_by_topic (standin/olive.py). The values come from the
device's `properties.aqi` and `plugin.air_history` (standin/default_state.yaml): the
history is a cycle of readings, one per 5-minute slot of the asked window up to now, so any
window (wyzeapy asks for the hour so far) has samples. INFERRED, no public body: the
sample's `ts` label, the slot length and the settings' other names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.state import Account, CloudState, Device

Checked = Callable[[signed.OliveHandler], Callable[[Call], Reply]]
SLOT_S = 300
MAX_SAMPLES = 288  # a day of slots


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class AirPurifiers:
    """Handlers for the two air-quality paths of the earth host."""

    def __init__(self, state: CloudState) -> None:
        self.state = state

    def routes(self, checked: Checked) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler, each wrapped by `checked` (the olive signature check)."""
        return {"/plugin/earth/get_air_prop": checked(self.get_air_prop),
                "/plugin/earth/query_air_history": checked(self.query_air_history)}

    def _purifier(self, account: Account, did: object) -> Device | None:
        return self.state.owned_device(account, did)

    def get_air_prop(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The air-quality readings named in `propNames`, under `settings`."""
        device = self._purifier(account, params.get("deviceId", params.get("did")))
        if device is None:
            return signed.unknown_device()
        wanted = [k for k in str(params.get("propNames", "aqi")).split(",") if k]
        settings = {k: device.properties.get(k, "0") for k in wanted}
        return signed.olive({"deviceId": device.mac, "deviceModel": device.product_model,
                             "settings": settings})

    def query_air_history(self, account: Account, params: dict[str, Any],
                          call: Call) -> Reply:
        """Air-quality samples between `begin_time` and `last_time` (epoch seconds)."""
        device = self._purifier(account, params.get("device_id", params.get("did")))
        if device is None:
            return signed.unknown_device()
        now = int(self.state.clock.now())
        last = min(_int(params.get("last_time")) or now, now)
        begin = max(_int(params.get("begin_time")) or 0, last - SLOT_S * (MAX_SAMPLES - 1))
        cycle = device.plugin.get("air_history", [])
        first = -(-begin // SLOT_S) * SLOT_S  # the first slot at or after begin
        rows = [{**cycle[(ts // SLOT_S) % len(cycle)], "ts": ts}
                for ts in range(first, last + 1, SLOT_S)] if cycle else []
        return signed.olive(rows, total=len(rows))
