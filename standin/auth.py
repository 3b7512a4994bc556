"""The auth host (auth-prod.api.wyze.com) of the Wyze cloud stand-in: logins and MFA.

Paths (wyze-protocol-facts.md sections 2b and 2c): `/api/user/login` (developer key pair in
`keyid`/`apikey` headers; MFA skipped unless the account says otherwise), `/user/login`,
`/v2/user/login`, `/v3/user/login` (the app's `X-API-Key`; also the MFA second step),
`/user/login/sendSmsCode` and `/v2/user/login/sendEmailCode`. Passwords are triple MD5.
Every answer, 200 or 400, carries the rate-limit headers; past the limit the answer is 429.
The v3 login's signature2 secret is unpublished, so v3 is answered like v2 without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standin import replies
from standin.calls import Call
from standin.replies import Reply
from standin.sessions import Sessions
from standin.state import Account, CloudState
from standin.tokens import account_triple_md5, opaque, totp_matches
from wyzeproto.constants import APP_API_KEYS

Headers = dict[str, str]


class AuthHost:
    """Handlers for the auth host; each takes a Call and returns a Reply."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, Callable[[Call], Reply]]:
        """Path -> handler for this host."""
        return {
            "/api/user/login": self.login_with_key_pair,
            "/user/login": self.login_with_app_key,
            "/v2/user/login": self.login_with_app_key,
            "/v3/user/login": self.login_with_app_key,
            "/user/login/sendSmsCode": self.send_sms_code,
            "/v2/user/login/sendEmailCode": self.send_email_code,
        }

    def _limit(self) -> tuple[bool, Headers]:
        allowed, remaining, reset_by = self.sessions.auth_window.hit(self.state.clock.now())
        return allowed, replies.rate_headers(remaining, reset_by)

    def _credentials(self, call: Call) -> tuple[Account | None, dict[str, Any] | None]:
        body = call.json_body()
        if body is None or not isinstance(body.get("email"), str) \
                or not isinstance(body.get("password"), str):
            return None, None
        return self.state.account(body["email"]), body

    def _begin(self, call: Call) -> tuple[Account | None, dict[str, Any], Headers] | Reply:
        """What every login does first: the rate window, then a well-formed body."""
        allowed, hdrs = self._limit()
        if not allowed:
            return replies.too_many_requests(hdrs)
        account, body = self._credentials(call)
        if body is None:
            return replies.auth_error(replies.BAD_PARAMETER, hdrs, error_code=1001)
        return account, body, hdrs

    def _tokens(self, account: Account, hdrs: Headers) -> Reply:
        self.sessions.record_success(account)
        session = self.sessions.issue(account)
        return replies.auth_ok({
            "access_token": session.access_token, "refresh_token": session.refresh_token,
            "user_id": account.user_id, "mfa_options": None, "mfa_details": None,
            "sms_session_id": None, "email_session_id": None}, hdrs)

    def _mfa_needed(self, account: Account, hdrs: Headers) -> Reply:
        mfa = account.mfa
        assert mfa is not None
        details: dict[str, Any] = {"primary_option": mfa.primary_option}
        if mfa.totp_app_id:
            details["totp_apps"] = [{"app_id": mfa.totp_app_id}]
        sms_sid = email_sid = None
        if mfa.sms_code is not None:
            sms_sid = opaque("sms_session_id")
            self.sessions.challenge(account, "login-sms", sms_sid, None)
        if mfa.email_code is not None:
            email_sid = opaque("email_session_id")
            self.sessions.challenge(account, "login-email", email_sid, None)
        return replies.auth_ok({
            "access_token": None, "refresh_token": None, "user_id": account.user_id,
            "mfa_options": mfa.options, "mfa_details": details,
            "sms_session_id": sms_sid, "email_session_id": email_sid}, hdrs)

    def _check(self, account: Account | None, body: dict[str, Any], ok: bool, hdrs: Headers,
               wrong: str) -> Reply | None:
        """Common lockout and password checks; None means the caller may go on."""
        if account is None:
            return replies.auth_error(wrong, hdrs)
        if self.sessions.is_locked(account):
            return replies.auth_error(replies.LOCKED, hdrs)
        if body["password"] != account_triple_md5(account) or not ok:
            self.sessions.record_failure(account)
            locked = self.sessions.is_locked(account)
            return replies.auth_error(replies.LOCKED if locked else wrong, hdrs)
        return None

    def login_with_key_pair(self, call: Call) -> Reply:
        """`/api/user/login`: email, triple-MD5 password and the account's keyid/apikey."""
        begun = self._begin(call)
        if not isinstance(begun, tuple):
            return begun
        account, body, hdrs = begun
        keys_ok = account is not None and account.key_id is not None \
            and call.header("keyid") == account.key_id and call.header("apikey") == account.api_key
        failed = self._check(account, body, keys_ok, hdrs, replies.BAD_KEY)
        if failed is not None:
            return failed
        assert account is not None
        if account.mfa is not None and account.mfa.on_api_key_login:
            return self._mfa_needed(account, hdrs)
        return self._tokens(account, hdrs)

    def login_with_app_key(self, call: Call) -> Reply:
        """`/user/login` and its v2/v3 twins: app X-API-Key, password, or the MFA step."""
        begun = self._begin(call)
        if not isinstance(begun, tuple):
            return begun
        account, body, hdrs = begun
        app_key_ok = call.header("x-api-key") in APP_API_KEYS
        failed = self._check(account, body, app_key_ok, hdrs, replies.BAD_PASSWORD)
        if failed is not None:
            return failed
        assert account is not None
        if "verification_code" in body or "mfa_type" in body:
            return self._verify(account, body, hdrs)
        if account.mfa is not None:
            return self._mfa_needed(account, hdrs)
        return self._tokens(account, hdrs)

    def _verify(self, account: Account, body: dict[str, Any], hdrs: Headers) -> Reply:
        mfa_type, vid = body.get("mfa_type"), body.get("verification_id")
        code = str(body.get("verification_code", ""))
        mfa, now = account.mfa, self.state.clock.now()
        ok = False
        if mfa is not None and mfa_type == "TotpVerificationCode" and mfa.totp_secret:
            ok = vid == mfa.totp_app_id and totp_matches(mfa.totp_secret, code, now)
        elif mfa is not None and isinstance(vid, str):
            ch = self.sessions.challenges.get(vid)
            ok = (ch is not None and ch.email == account.email and ch.mfa_type == mfa_type
                  and ch.code == code)
            if ok:
                del self.sessions.challenges[vid]
        if not ok:
            self.sessions.record_failure(account)
            locked = self.sessions.is_locked(account)
            return replies.auth_error(replies.LOCKED if locked else replies.BAD_CODE, hdrs)
        return self._tokens(account, hdrs)

    def _send(self, call: Call, channel: str) -> Reply:
        allowed, hdrs = self._limit()
        if not allowed:
            return replies.too_many_requests(hdrs)
        params = call.params()
        ch = self.sessions.challenges.get(params.get("sessionId", ""))
        account = self.state.account(ch.email) if ch is not None else None
        if ch is None or account is None or ch.mfa_type != f"login-{channel}" \
                or params.get("userId") != account.user_id or account.mfa is None:
            return replies.auth_error(replies.BAD_PARAMETER, hdrs, error_code=1001)
        fixed = account.mfa.sms_code if channel == "sms" else account.mfa.email_code
        sent = self.sessions.send_code(account, channel, fixed)
        return replies.auth_ok({"session_id": sent.session_id}, hdrs)

    def send_sms_code(self, call: Call) -> Reply:
        """`/user/login/sendSmsCode`: query or form `mfaPhoneType`, `sessionId`, `userId`."""
        return self._send(call, "sms")

    def send_email_code(self, call: Call) -> Reply:
        """`/v2/user/login/sendEmailCode?userId=...&sessionId=...`."""
        return self._send(call, "email")
