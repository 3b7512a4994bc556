"""The scale hosts of the Wyze cloud stand-in: `wyze-scale-service` and `wyze-pluto-service`.

Both are olive-signed (standin.signed.check_olive first) and share one set of handlers:
wyze-sdk `service/scale_service.py` and `pluto_service.py` call the same methods on
`/plugin/scale/*` and `/plugin/pluto/*` (pluto refuses get_token, add_record, delete_record,
delete_goal_weight and add_heart_rate_record client-side, so it serves none of them), plus
`/app/v2/platform/get_user_profile` and `update_user_profile` on the scale host
(standin/profile.py).

State lives in each scale's `plugin` mapping (standin/default_state.yaml): `settings`
(unit, broadcast), `family_members`, `records` (measurements), `goal_weights` and
`heart_rate_records`. The account owner is always a family member, under their user_id
(wyze-sdk passes its user_id as `family_member_id`). Shapes follow what wyze-sdk reads:
records are a list of ScaleRecord fields, a goal weight is one UserGoalWeight object (or
null), device members a list (models/devices/scales.py). Timestamps are epoch ms
(`datetime_to_epoch`). INFERRED, no public body: the labels of get_token,
get_user_device_relation, get_user_preference and a member's `is_owner`, and 1001 for a
malformed change.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from standin import profile, signed
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device

SCALE_HOST = "wyze-scale-service.wyzecam.com"
PLUTO_HOST = "wyze-pluto-service.wyzecam.com"
SCALE_TYPE = "WyzeScale"
PARAMETER_ERROR = 1001  # INFERRED: the app API's code, in the olive envelope
# The methods pluto_service.py raises WyzeFeatureNotSupportedError for before sending.
SCALE_ONLY = {"get_token", "add_record", "delete_record", "delete_goal_weight",
              "add_heart_rate_record"}
PLUTO_ONLY = {"device_info"}  # pluto_service.py get_device_info; scale_service.py has none


def _int(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _epoch_ms(value: object, now_s: float) -> int:
    """A measurement time in epoch ms: wyze-sdk add_weight_record sends `datetime.timestamp()`
    (seconds, a float), the app ms; a value below 10^11 can only be seconds."""
    ts = _int(value)
    if ts is None:
        return int(now_s * 1000)
    return ts * 1000 if ts < 10**11 else ts


class ScaleHosts:
    """Handlers for the scale and pluto hosts; `routes()` is host -> path -> handler."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Both scale hosts with their paths, each behind the olive signature check."""
        table = self._table()
        hosts: dict[str, dict[str, Callable[[Call], Reply]]] = {}
        for host, plugin in ((SCALE_HOST, "scale"), (PLUTO_HOST, "pluto")):
            left_out = PLUTO_ONLY if plugin == "scale" else SCALE_ONLY
            paths = {f"/plugin/{plugin}/{name}": handler for name, handler in table.items()
                     if name not in left_out}
            paths["/app/v2/platform/update_user_profile"] = profile.update_user_profile
            hosts[host] = {path: signed.olive_checked(self.sessions, handler)
                           for path, handler in paths.items()}
        hosts[SCALE_HOST]["/app/v2/platform/get_user_profile"] = signed.olive_checked(
            self.sessions, profile.get_user_profile)
        return hosts

    def _table(self) -> dict[str, signed.OliveHandler]:
        return {"get_device_setting": self.get_device_setting,
                "device_info": self.get_device_setting,
                "get_device_member": self.get_device_member,
                "get_family_member": self.get_family_member,
                "get_user_preference": self.get_user_preference,
                "get_token": self.get_token,
                "get_user_device_relation": self.get_user_device_relation,
                "update_device_setting": self.update_device_setting,
                "get_goal_weight": self.get_goal_weight,
                "delete_goal_weight": self.delete_goal_weight,
                "get_latest_record": self.get_latest_record,
                "get_record_range": self.get_record_range,
                "add_record": self.add_record,
                "delete_record": self.delete_record,
                "get_heart_rate_record_list": self.get_heart_rate_record_list,
                "add_heart_rate_record": self.add_heart_rate_record}

    # --- lookups -------------------------------------------------------------------------

    def _scales(self, account: Account) -> list[Device]:
        return [d for d in self.state.devices_of(account) if d.product_type == SCALE_TYPE]

    def _scale(self, account: Account, params: dict[str, Any]) -> Device | None:
        did = params.get("device_id", params.get("did"))
        return next((d for d in self._scales(account) if d.mac == did), None)

    def _member(self, account: Account, params: dict[str, Any]) -> str:
        return str(params.get("family_member_id") or account.user_id)

    def _members(self, account: Account) -> list[dict[str, Any]]:
        owner = {"family_member_id": account.user_id, "user_id": account.user_id,
                 "nickname": account.nickname, "is_owner": 1, **account.profile}
        found, seen = [owner], {account.user_id}
        for scale in self._scales(account):
            for member in scale.plugin.get("family_members", []):
                if member.get("family_member_id") not in seen:
                    seen.add(member.get("family_member_id"))
                    found.append({"user_id": account.user_id, "is_owner": 0, **member})
        return found

    def _records(self, account: Account, key: str, member: str) -> list[dict[str, Any]]:
        rows = [r for s in self._scales(account) for r in s.plugin.get(key, [])
                if str(r.get("family_member_id", account.user_id)) == member]
        return sorted(rows, key=lambda r: _int(r.get("measure_ts")) or 0, reverse=True)

    def _next_id(self) -> int:
        ids = [_int(r.get("data_id")) or 0 for d in self.state.devices.values()
               for key in ("records", "heart_rate_records") for r in d.plugin.get(key, [])]
        return max(ids, default=0) + 1

    # --- the scale itself ----------------------------------------------------------------

    def get_device_setting(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The scale's settings (`unit`, `broadcast`), which wyze-sdk merges into Scale."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        return signed.olive({"device_id": scale.mac, "device_model": scale.product_model,
                             "firmware_ver": scale.firmware_ver,
                             **scale.plugin.get("settings", {})})

    def get_device_member(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Who has weighed on this scale: a list (wyze-sdk Scale.device_members)."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        members = [{"device_id": scale.mac, "family_member_id": m["family_member_id"],
                    "user_id": m["user_id"], "nickname": m.get("nickname", "")}
                   for m in self._members(account)]
        return signed.olive(members, total=len(members))

    def get_family_member(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The account's family members, owner first."""
        members = self._members(account)
        return signed.olive(members, total=len(members))

    def get_user_preference(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The caller's scale preferences (INFERRED labels)."""
        scale = self._scale(account, params)
        settings = scale.plugin.get("settings", {}) if scale else {}
        return signed.olive({"family_member_id": account.user_id,
                             "weight_unit": settings.get("unit", "lb"),
                             "goal_reminder": 1, "measure_reminder": 0})

    def get_token(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """A binding token for the scale's Bluetooth pairing (INFERRED shape)."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        return signed.olive({"token": secrets.token_hex(16),
                             "expire_time": int(self.state.clock.now() * 1000) + 600_000})

    def get_user_device_relation(self, account: Account, params: dict[str, Any],
                                 call: Call) -> Reply:
        """How the user relates to the scale: 1 = owner (INFERRED)."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        return signed.olive({"device_id": scale.mac, "user_id": account.user_id,
                             "relation": 1 if scale.owner == account.email else 2})

    def update_device_setting(self, account: Account, params: dict[str, Any],
                              call: Call) -> Reply:
        """Change `unit` (kg or lb, as wyze-sdk checks) and `broadcast`."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        settings = scale.plugin.setdefault("settings", {})
        if params.get("unit") not in ("kg", "lb"):
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        settings["unit"] = params["unit"]
        if "broadcast" in params:
            settings["broadcast"] = _int(params["broadcast"]) or 0
        return signed.olive({})

    # --- goal weight ---------------------------------------------------------------------

    def _goals(self, account: Account) -> list[dict[str, Any]]:
        scales = self._scales(account)
        return scales[0].plugin.setdefault("goal_weights", []) if scales else []

    def get_goal_weight(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The member's goal weight, or `data: null` when none is set (wyze-sdk checks)."""
        member = self._member(account, params)
        goal = next((g for g in self._goals(account)
                     if str(g.get("family_member_id")) == member), None)
        return signed.olive(None if goal is None else {"user_id": account.user_id, **goal})

    def delete_goal_weight(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Remove the member's goal weight."""
        member = self._member(account, params)
        goals = self._goals(account)
        goals[:] = [g for g in goals if str(g.get("family_member_id")) != member]
        return signed.olive({})

    # --- measurements --------------------------------------------------------------------

    def get_latest_record(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """The member's newest measurement, as a one-item list (or empty)."""
        rows = self._records(account, "records", self._member(account, params))[:1]
        return signed.olive(rows, total=len(rows))

    def get_record_range(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Measurements between `start_time` and `end_time` (epoch ms), newest first."""
        start, end = _int(params.get("start_time")) or 0, _int(params.get("end_time"))
        rows = [r for r in self._records(account, "records", self._member(account, params))
                if start <= (_int(r.get("measure_ts")) or 0) <= (end or 1 << 62)]
        return signed.olive(rows, total=len(rows))

    def add_record(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Add a weight-only measurement (wyze-sdk add_weight_record)."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        try:
            weight = float(params["weight"])
        except (KeyError, TypeError, ValueError):
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        ts = _epoch_ms(params.get("measure_ts"), self.state.clock.now())
        scale.plugin.setdefault("records", []).append({
            "data_id": self._next_id(), "device_id": scale.mac,
            "mac": str(params.get("mac") or scale.mac.rsplit(".", 1)[-1]),
            "family_member_id": self._member(account, params), "measure_ts": ts,
            "measure_type": _int(params.get("measure_type")) or 1, "weight": weight,
            "timezone": "America/Los_Angeles"})
        return signed.olive({})

    def delete_record(self, account: Account, params: dict[str, Any], call: Call) -> Reply:
        """Delete measurements by id: `data_id_list` is a list or a comma-joined string."""
        raw = params.get("data_id_list", params.get("data_id"))
        items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
        wanted = {_int(i) for i in items} - {None}
        removed = 0
        for scale in self._scales(account):
            rows = scale.plugin.get("records", [])
            kept = [r for r in rows if _int(r.get("data_id")) not in wanted]
            removed += len(rows) - len(kept)
            rows[:] = kept
        if not removed:
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        return signed.olive({})

    def get_heart_rate_record_list(self, account: Account, params: dict[str, Any],
                                   call: Call) -> Reply:
        """The newest `record_number` heart-rate records, before `measure_ts` if given."""
        before = _int(params.get("measure_ts"))
        rows = [r for r in self._records(account, "heart_rate_records",
                                         self._member(account, params))
                if before is None or (_int(r.get("measure_ts")) or 0) < before]
        rows = rows[:max(_int(params.get("record_number")) or 1, 1)]
        return signed.olive(rows, total=len(rows))

    def add_heart_rate_record(self, account: Account, params: dict[str, Any],
                              call: Call) -> Reply:
        """Add a heart-rate record (beats per minute)."""
        scale = self._scale(account, params)
        if scale is None:
            return signed.unknown_device()
        rate = _int(params.get("heart_rate"))
        if rate is None:
            return signed.olive_error(PARAMETER_ERROR, "ParameterError")
        scale.plugin.setdefault("heart_rate_records", []).append({
            "data_id": self._next_id(), "device_id": scale.mac,
            "family_member_id": self._member(account, params),
            "measure_ts": _epoch_ms(params.get("measure_ts"), self.state.clock.now()),
            "heart_rate": rate})
        return signed.olive({})
