"""Home Monitoring (hms.api.wyze.com) and the membership service of the Wyze cloud stand-in.

wyzeapy `HMSService`: the HMS id comes from
`GET wyze-membership-service.wyzecam.com/platform/v2/membership/get_plan_binding_list_by_user`
(`group_id=hms`, olive-signed query; `data[].deviceList[].device_id`), the mode from
`GET /api/v1/monitoring/v1/profile/state-status?hms_id=` (`{"message": "disarm"|"home"|"away"}`),
and arming is `PATCH /api/v1/monitoring/v1/profile/active?hms_id=` with the body
`[{"state": "home", "active": 0|1}, {"state": "away", "active": 0|1}]`; disarming also sends
`DELETE /api/v1/reme-alarm` `{hms_id, remediation_id: "emergency"}` with only Authorization.
The GET and PATCH are signed over the sorted query (wyzeapy `olive_create_signature` of the
query dict, which for the PATCH holds `hms_id` alone). A bad signature or a dead token answers
`{"message": null}`, the one answer wyzeapy `check_for_errors_hms` reads as "refresh the
token" (INFERRED body); membership answers the olive token error (standin/signed.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from standin import signed
from standin.calls import Call
from standin.replies import Reply, _json_reply
from standin.sessions import Sessions
from standin.state import Account, CloudState
from wyzeproto import signing

HMS_HOST = "hms.api.wyze.com"
MEMBERSHIP_HOST = "wyze-membership-service.wyzecam.com"
PROFILE = "/api/v1/monitoring/v1/profile/"


def _token_expired() -> Reply:
    return _json_reply(200, {"message": None})


class HmsApi:
    """Handlers for the HMS and membership hosts."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Host -> path -> handler."""
        return {
            HMS_HOST: {PROFILE + "state-status": self.state_status,
                       PROFILE + "active": self.profile_active,
                       "/api/v1/reme-alarm": self.reme_alarm},
            MEMBERSHIP_HOST: {
                "/platform/v2/membership/get_plan_binding_list_by_user": self.plan_bindings},
        }

    def _signed_query(self, call: Call) -> Account | None:
        token = call.header("access_token") or signing.bearer_token(call.header("authorization"))
        secret = signing.SECRETS_BY_APP_ID.get(call.header("appid") or "")
        if not token or secret is None:
            return None
        message = signing.sorted_params(call.query)
        if not signing.signature2_matches(call.header("signature2"), token, message, secret):
            return None
        return self.sessions.account_for_access(token)

    def _hms_account(self, account: Account | None, hms_id: str | None) -> Account | None:
        if account is None or account.hms_id is None or account.hms_id != hms_id:
            return None
        return account

    def state_status(self, call: Call) -> Reply:
        """The HMS mode: `{"message": "disarm"}` (wyzeapy `HMSMode(message)`)."""
        account = self._hms_account(self._signed_query(call), call.query.get("hms_id"))
        if account is None:
            return _token_expired()
        return _json_reply(200, {"message": account.hms_mode})

    def profile_active(self, call: Call) -> Reply:
        """Arm home or away, or disarm (both inactive), from the `[{state, active}]` body."""
        account = self._hms_account(self._signed_query(call), call.query.get("hms_id"))
        if account is None:
            return _token_expired()
        try:
            states = json.loads(call.body or b"[]")
        except ValueError:
            states = None
        if not isinstance(states, list) or not all(isinstance(s, dict) for s in states):
            return _json_reply(400, {"message": "Bad Request"})  # INFERRED
        active = {s.get("state"): s.get("active") for s in states}
        account.hms_mode = "home" if active.get("home") == 1 else \
            "away" if active.get("away") == 1 else "disarm"
        # wyzeapy check_for_errors_hms reads `message`; its text on success is INFERRED.
        return _json_reply(200, {"message": "success"})

    def reme_alarm(self, call: Call) -> Reply:
        """`DELETE reme-alarm`: end an alarm's remediation (Authorization only, unsigned)."""
        account = self.sessions.account_for_access(
            signing.bearer_token(call.header("authorization")))
        body = call.json_body() or {}
        if self._hms_account(account, body.get("hms_id")) is None:
            return _token_expired()
        return _json_reply(200, {"message": "success"})  # text INFERRED, as above

    def plan_bindings(self, call: Call) -> Reply:
        """The account's plans; an HMS plan lists the HMS id as `deviceList[].device_id`."""
        account = signed.check_olive(call, self.sessions)
        if isinstance(account, Reply):
            return account
        plans = []
        if account.hms_id is not None and call.query.get("group_id", "hms") == "hms":
            plans.append({"deviceList": [{"device_id": account.hms_id}]})
        return signed.olive(plans, total=len(plans))
