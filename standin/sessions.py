"""Token sessions, MFA challenges, lockouts and rate-limit windows of the Wyze cloud stand-in.

Every time here comes from the state's controllable clock, so tests expire an access token
(2 days), a refresh token (30 days), a lockout or a rate window by advancing it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from standin.state import Account, CloudState
from standin.tokens import opaque, real_looking


@dataclass
class TokenPair:
    """An issued access/refresh token pair for one account."""

    email: str
    access_token: str
    refresh_token: str
    access_expires: float
    refresh_expires: float
    logged_out: bool = False


@dataclass
class Challenge:
    """A pending MFA step: what `verification_id` must be and the code that was 'sent'."""

    email: str
    mfa_type: str
    verification_id: str
    code: str | None


@dataclass
class SentCode:
    """A code the stand-in 'sent' by SMS or email (tests read these from the outbox)."""

    email: str
    channel: str
    session_id: str
    code: str


@dataclass
class RateWindow:
    """A fixed window of `limit` requests per `window_s` seconds."""

    limit: int
    window_s: float
    started: float = 0.0
    count: int = 0

    def hit(self, now: float) -> tuple[bool, int, float]:
        """Count one request; returns (allowed, remaining, reset_by epoch seconds)."""
        if now >= self.started + self.window_s:
            self.started, self.count = now, 0
        self.count += 1
        return self.count <= self.limit, self.limit - self.count, self.started + self.window_s


@dataclass
class Sessions:
    """All mutable security state beside the accounts themselves."""

    state: CloudState
    by_access: dict[str, TokenPair] = field(default_factory=dict)
    by_refresh: dict[str, TokenPair] = field(default_factory=dict)
    challenges: dict[str, Challenge] = field(default_factory=dict)
    outbox: list[SentCode] = field(default_factory=list)
    auth_window: RateWindow = field(init=False)
    app_window: RateWindow = field(init=False)

    def __post_init__(self) -> None:
        s = self.state.settings
        self.auth_window = RateWindow(s.auth_limit, s.auth_window_s)
        self.app_window = RateWindow(s.app_limit, s.app_window_s)

    def issue(self, account: Account) -> TokenPair:
        """New tokens for an account (login or refresh)."""
        now, s = self.state.clock.now(), self.state.settings
        token = real_looking if s.real_looking_tokens else opaque
        session = TokenPair(account.email, token("access_token", "lvtx."),
                          token("refresh_token", "lvtx."), now + s.access_ttl_s,
                          now + s.refresh_ttl_s)
        self.by_access[session.access_token] = session
        self.by_refresh[session.refresh_token] = session
        return session

    def account_for_access(self, token: object) -> Account | None:
        """The account behind a live access token, or None (unknown, expired, logged out)."""
        session = self.by_access.get(token) if isinstance(token, str) else None
        if session is None or session.logged_out:
            return None
        if self.state.clock.now() >= session.access_expires:
            return None
        return self.state.account(session.email)

    def refresh(self, token: object) -> TokenPair | None:
        """Trade a live refresh token for a new pair; the old refresh token stops working."""
        old = self.by_refresh.get(token) if isinstance(token, str) else None
        if old is None or old.logged_out or self.state.clock.now() >= old.refresh_expires:
            return None
        account = self.state.account(old.email)
        if account is None:
            return None
        del self.by_refresh[old.refresh_token]
        return self.issue(account)

    def expire_access_tokens(self) -> int:
        """Every live access token expires now; returns how many were live."""
        now = self.state.clock.now()
        live = [pair for pair in self.by_access.values() if pair.access_expires > now]
        for pair in live:
            pair.access_expires = now
        return len(live)

    def logout(self, access_token: str) -> None:
        """End a session: its access and refresh tokens stop working."""
        session = self.by_access.get(access_token)
        if session is not None:
            session.logged_out = True

    def is_locked(self, account: Account) -> bool:
        """True while the account is locked after too many failures."""
        return self.state.clock.now() < account.locked_until

    def record_failure(self, account: Account) -> None:
        """Count a failed password or code; lock the account when the limit is reached."""
        now, s = self.state.clock.now(), self.state.settings
        account.failures = [t for t in account.failures if now - t < s.lockout_window_s]
        account.failures.append(now)
        if len(account.failures) >= s.lockout_max_failures:
            account.locked_until = now + s.lockout_duration_s
            account.failures.clear()

    def record_success(self, account: Account) -> None:
        """A correct login clears the failure count."""
        account.failures.clear()

    def challenge(self, account: Account, mfa_type: str, verification_id: str,
                  code: str | None) -> Challenge:
        """Register a pending MFA step under its verification id."""
        ch = Challenge(account.email, mfa_type, verification_id, code)
        self.challenges[verification_id] = ch
        return ch

    def send_code(self, account: Account, channel: str, fixed: str | None) -> SentCode:
        """'Send' an SMS or email code: a new session id, recorded in the outbox."""
        code = fixed if fixed is not None else f"{secrets.randbelow(10**6):06d}"
        session_id = opaque(f"{channel}_session_id")
        mfa_type = "PrimaryPhone" if channel == "sms" else "Email"
        self.challenge(account, mfa_type, session_id, code)
        sent = SentCode(account.email, channel, session_id, code)
        self.outbox.append(sent)
        return sent
