"""The app API host (api.wyzecam.com) of the Wyze cloud stand-in: accounts and tokens.

`/app/user/login` is the 2018 login (double-MD5 password, string errors
`UserNameOrPasswordError` / `UserIsLocked`, 1001 for a malformed hash); the rest use the
common envelope with the access token in the body: `/app/user/refresh_token` (2002 when the
refresh token is bad or expired), `/app/user/get_user_info`, `/app/user/logout`. Facts:
wyze-protocol-facts.md sections 2a, 2d, 3, 5 and 6.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from standin import replies
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState, Device
from standin.tokens import account_double_md5

HEX32 = re.compile(r"^[0-9a-f]{32}$")


class AppApi:
    """Shared checks of the app API plus the account and token endpoints."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for the account endpoints of this host."""
        return {
            "/app/user/login": self.old_login,
            "/app/user/refresh_token": self.refresh_token,
            "/app/user/get_user_info": self.get_user_info,
            "/app/user/logout": self.logout,
        }

    def now(self) -> float:
        """The stand-in clock."""
        return self.state.clock.now()

    def begin(self, call: Call, *, token: bool = True
              ) -> tuple[dict[str, Any], Account | None] | Reply:
        """Rate limit (1011), JSON body (1001) and access token (2001) checks, in that order.

        Returns the body and the token's account, or the error Reply to send instead.
        """
        allowed, _, _ = self.sessions.app_window.hit(self.now())
        if not allowed:
            return replies.app_error(self.now(), replies.RATE_LIMITED)
        body = call.json_body()
        if body is None:
            return replies.app_error(self.now(), replies.PARAMETER_ERROR)
        if not token:
            return body, None
        account = self.sessions.account_for_access(body.get("access_token"))
        if account is None:
            return replies.app_error(self.now(), replies.ACCESS_TOKEN_ERROR)
        return body, account

    def begin_owned(self, call: Call, mac_key: str = "device_mac"
                    ) -> tuple[dict[str, Any], Device] | Reply:
        """:meth:`begin`, then the device ``body[mac_key]`` names, which the token's account
        must own (3005 otherwise, as the cloud answers for someone else's device)."""
        begun = self.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        device = self.state.owned_device(account, body.get(mac_key))
        if device is None:
            return replies.app_error(self.now(), replies.UNAUTHORIZED)
        return body, device

    def old_login(self, call: Call) -> Reply:
        """The 2018 `/app/user/login`: `user_name` and double-MD5 `password` in the envelope."""
        begun = self.begin(call, token=False)
        if isinstance(begun, Reply):
            return begun
        body, _ = begun
        name, password = body.get("user_name"), body.get("password")
        if not isinstance(name, str) or not isinstance(password, str) \
                or not HEX32.match(password):
            # nblavoie/wyzecam-api issue #4: a bad hash gave code 1001 with msg "".
            return replies.old_login(self.now(), {}, replies.PARAMETER_ERROR)
        account = self.state.account(name)
        if account is not None and self.sessions.is_locked(account):
            return replies.old_login(self.now(), {}, replies.OLD_LOGIN_ERROR_CODE, "UserIsLocked")
        if account is None or password != account_double_md5(account):
            if account is not None:
                self.sessions.record_failure(account)
                if self.sessions.is_locked(account):
                    return replies.old_login(self.now(), {}, replies.OLD_LOGIN_ERROR_CODE,
                                             "UserIsLocked")
            return replies.old_login(self.now(), {}, replies.OLD_LOGIN_ERROR_CODE,
                                     "UserNameOrPasswordError")
        self.sessions.record_success(account)
        session = self.sessions.issue(account)
        return replies.old_login(self.now(), {
            "access_token": session.access_token, "refresh_token": session.refresh_token,
            "user_center_id": account.user_id})

    def refresh_token(self, call: Call) -> Reply:
        """`/app/user/refresh_token`: a new pair, or 2002 `refresh token is error`."""
        begun = self.begin(call, token=False)
        if isinstance(begun, Reply):
            return begun
        body, _ = begun
        if not isinstance(body.get("refresh_token"), str):
            return replies.app_error(self.now(), replies.PARAMETER_ERROR)
        session = self.sessions.refresh(body["refresh_token"])
        if session is None:
            return replies.app_error(self.now(), replies.REFRESH_TOKEN_ERROR)
        return replies.envelope(self.now(), {"access_token": session.access_token,
                                             "refresh_token": session.refresh_token})

    def get_user_info(self, call: Call) -> Reply:
        """`/app/user/get_user_info`: the fields docker-wyze-bridge's WyzeAccount reads."""
        begun = self.begin(call)
        if isinstance(begun, Reply):
            return begun
        _, account = begun
        assert account is not None
        return replies.envelope(self.now(), {
            "user_id": account.user_id, "email": account.email, "nickname": account.nickname,
            "logo": "", "user_code": account.user_id[-6:], "user_center_id": account.user_id,
            "open_user_id": account.user_id})

    def logout(self, call: Call) -> Reply:
        """`/app/user/logout`: the session's tokens stop working."""
        begun = self.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, _ = begun
        self.sessions.logout(body["access_token"])
        return replies.envelope(self.now(), {})
