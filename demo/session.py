"""The phone-like sessions `make demo` drives through the capture proxy.

Each step is one or two real HTTPS calls through mitmdump to the stand-in cloud; a step
passes when the cloud answers as the protocol says it should (an expected error is a pass).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests

from replay.client import WyzeClient
from replay.results import MfaChallenge, WyzeApiError
from standin import StandIn
from standin.tokens import totp

THREE_DAYS = 3 * 86400  # past the access token's 2 days, inside the refresh token's 30


@dataclass
class Step:
    name: str
    ok: bool
    detail: str


class StepRunner:
    """Runs named steps, printing one line each as it goes."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.steps: list[Step] = []
        self.say = say

    def step(self, name: str, action: Callable[[], str]) -> None:
        try:
            step = Step(name, True, action())
        except Exception as exc:  # a failed step is reported, and the demo goes on
            step = Step(name, False, f"{type(exc).__name__}: {exc}")
        self.steps.append(step)
        self.say(f"      {'ok ' if step.ok else 'FAIL'} {name}: {step.detail}")


def proxied(proxy_url: str, ca_cert: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"https": proxy_url, "http": proxy_url}
    session.verify = ca_cert
    return session


def _expect_error(call: Callable[[], Any], code: object) -> str:
    try:
        call()
    except WyzeApiError as exc:
        if str(exc.code) != str(code):
            raise
        return f"refused as the real cloud does (code {exc.code}: {exc.message})"
    raise AssertionError(f"expected error {code}, got success")


def app_session(cloud: StandIn, proxy_url: str, ca_cert: str, run: StepRunner) -> None:
    """Alice (developer key pair) and Bob (TOTP) use the app's calls."""
    alice = next(a for a in cloud.state.accounts.values() if a.key_id)
    bob = next(a for a in cloud.state.accounts.values() if a.mfa and a.mfa.totp_secret)
    client = WyzeClient(session=proxied(proxy_url, ca_cert))
    keys = {"key_id": alice.key_id or "", "api_key": alice.api_key or ""}

    run.step("login, wrong password", lambda: _expect_error(
        lambda: client.login(alice.email, "not-the-password", **keys), 1000))
    def login() -> str:
        result = client.login(alice.email, alice.password, **keys)
        if isinstance(result, MfaChallenge):
            raise AssertionError("a key-pair login was asked for MFA")
        return "tokens issued"

    run.step("login (/api/user/login, keyid/apikey)", login)
    devices: list[Any] = []

    def device_list() -> str:
        devices[:] = client.get_object_list().devices
        return f"{len(devices)} devices"

    run.step("device list (get_object_list)", device_list)

    def properties() -> str:
        cameras = [d for d in devices if d.product_type == "Camera"][:2]
        counts = [len(client.get_property_list(d.mac, d.product_model)) for d in cameras]
        return f"{sum(counts)} properties from {len(cameras)} cameras"

    run.step("property lists (get_property_list)", properties)

    mfa = WyzeClient(session=proxied(proxy_url, ca_cert))

    def totp_login() -> str:
        challenge = mfa.login_with_app_key(bob.email, bob.password)
        if not isinstance(challenge, MfaChallenge):
            raise AssertionError("no MFA challenge for a TOTP account")
        assert bob.mfa and bob.mfa.totp_secret
        mfa.verify_mfa(bob.email, bob.password, mfa_type="TotpVerificationCode",
                       verification_id=challenge.totp_app_id or "",
                       verification_code=totp(bob.mfa.totp_secret, cloud.clock.now()))
        return f"challenge {list(challenge.mfa_options)}, then TOTP code accepted"

    run.step("MFA login (/user/login, TOTP)", totp_login)
    run.step("device list as the MFA user", lambda: f"{len(mfa.get_object_list().devices)} devices")

    def expiry() -> str:
        cloud.clock.advance(THREE_DAYS)
        refused = _expect_error(client.get_object_list, 2001)
        client.refresh()
        count = len(client.get_object_list().devices)
        return f"after 3 days: {refused}; refreshed, {count} devices"

    run.step("token expiry and refresh", expiry)
    run.step("logout", lambda: (client.call("/app/user/logout"), "token ended")[1])
    run.step("call after logout", lambda: _expect_error(client.get_object_list, 2001))


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def wyze_sdk_session(cloud: StandIn, proxy_url: str, ca_cert: str, run: StepRunner) -> bool:
    """wyze-sdk, unmodified: Client(...) logs in, then devices_list(). False if not installed."""
    try:
        from wyze_sdk import Client
    except ImportError:
        return False
    alice = next(a for a in cloud.state.accounts.values() if a.key_id)

    def login_and_list() -> str:
        with _environment(HTTPS_PROXY=proxy_url, REQUESTS_CA_BUNDLE=ca_cert, NO_PROXY=""):
            client = Client(email=alice.email, password=alice.password,
                            key_id=alice.key_id, api_key=alice.api_key)
            devices = client.devices_list()
        return f"{len(devices)} devices parsed: " + ", ".join(
            sorted({type(d).__name__ for d in devices}))

    run.step("wyze-sdk 2.2.0: Client(...) + devices_list()", login_and_list)

    def lock_and_unlock() -> str:
        lock = next(d for d in cloud.state.devices.values() if d.product_type == "Lock")
        with _environment(HTTPS_PROXY=proxy_url, REQUESTS_CA_BUNDLE=ca_cert, NO_PROXY=""):
            client = Client(email=alice.email, password=alice.password,
                            key_id=alice.key_id, api_key=alice.api_key)
            client.locks.unlock(device_mac=lock.mac)
            unlocked = lock.properties.get("hardlock") == "2"
            client.locks.lock(device_mac=lock.mac)
        if not unlocked or lock.properties.get("hardlock") != "1":
            raise AssertionError("the lock did not unlock and lock again")
        return f"unlocked, locked again; {len(lock.events)} events in its history " \
               "(Ford sign checked by the stand-in)"

    run.step("wyze-sdk: lock and unlock (signed Ford service)", lock_and_unlock)
    return True
