"""A pytest plugin: the stand-in Wyze cloud (``wyze_standin``) or recorded sessions
(``wyze_replay``) on 127.0.0.1 for an integration's own tests.

Installed with the toolkit (entry point ``pytest11``) and off until a test asks for a
fixture: nothing starts, nothing is patched otherwise. While a fixture is active, the Wyze
host names resolve to it in the test's process, over TLS with a certificate the clients
trust (:func:`wyzeproto.wyze_names.route_wyze_hosts`), so clients that hard-code the real
hosts need nothing; resolving any other name, or connecting outside loopback, fails the test
naming the host.

    def test_devices(wyze_standin):
        client = wyze_sdk.Client(**wyze_standin.wyze_sdk_kwargs())
        assert client.devices_list()

Override ``wyze_standin_state`` (a YAML path or a dict in ``standin/default_state.yaml``'s
shape) to give a scenario, and ``wyze_replay_cassettes`` for the cassettes to serve.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from wyzeproto.loopback_front import process_ca
from wyzeproto.wyze_names import route_wyze_hosts

# The made-up account of standin/default_state.yaml that logs in with a key pair, no MFA.
HOSTS = ("auth-prod.api.wyze.com", "api.wyzecam.com", "yd-saas-toc.wyzecam.com",
         "wyze-platform-service.wyzecam.com", "wyze-earth-service.wyzecam.com")
_WYZE_URL = r"^https?://([A-Za-z0-9.-]+\.)?(wyze|wyzecam)\.com(:\d+)?/"


@dataclass(frozen=True)
class Credentials:
    """One made-up account: what a client's login needs (``password`` in plain text)."""

    email: str
    password: str
    key_id: str | None
    api_key: str | None
    totp_key: str | None = None


class _Proxy:
    """A mitmdump in front of a loopback server (for clients that cannot take a base URL),
    started on first use: ``--map-remote`` from every Wyze host, never any other host."""

    def __init__(self, target: str, extra: list[str] | None = None) -> None:
        self.target = target.rstrip("/")
        self.extra = extra or []
        self._dir: Path | None = None
        self._mitmdump: Any = None

    def _started(self) -> Any:
        if self._mitmdump is None:
            from wyzeproto.mitmdump import Mitmdump

            self._dir = Path(tempfile.mkdtemp(prefix="wyze-pytest-proxy-"))
            args = [*self.extra, "--map-remote", f"!{_WYZE_URL}!{self.target}/"]
            self._mitmdump = Mitmdump(self._dir / "conf", args, self._dir / "mitmdump.log")
            self._mitmdump.start()
        return self._mitmdump

    @property
    def url(self) -> str:
        return str(self._started().proxy_url)

    @property
    def ca_path(self) -> str:
        return str(self._started().ca_cert)

    def env(self) -> dict[str, str]:
        """Environment for a client process: the proxy and its CA (requests reads them;
        wyzeapy does not: run it inside ``route_wyze_hosts(proxy=url, ca=ca_path)``)."""
        return {"HTTPS_PROXY": self.url, "HTTP_PROXY": self.url, "NO_PROXY": "",
                "REQUESTS_CA_BUNDLE": self.ca_path, "SSL_CERT_FILE": self.ca_path}

    def stop(self) -> str:
        log = self._mitmdump.stop() if self._mitmdump is not None else ""
        self._mitmdump = None
        if self._dir is not None:
            import shutil

            shutil.rmtree(self._dir, ignore_errors=True)
        return str(log)


class _Served:
    """Where both fixtures' server is reached: its base URL per host, its proxy, its CAs."""

    base_url: str
    _proxy: _Proxy

    @property
    def wyze_names_ca_path(self) -> str:
        """The CA of the certificate presented for the Wyze host names (already trusted
        through ``SSL_CERT_FILE`` and ``REQUESTS_CA_BUNDLE`` while the fixture is active)."""
        return str(process_ca().ca_path)

    @property
    def base_urls(self) -> dict[str, str]:
        """The base URL for each Wyze host (one server answers them all, routed by path)."""
        return {host: self.base_url for host in HOSTS}

    @property
    def proxy_url(self) -> str:
        """An HTTP(S) proxy that sends every Wyze host to the server (mitmdump, started on
        first use); trust :attr:`ca_path`."""
        return self._proxy.url

    @property
    def ca_path(self) -> str:
        return self._proxy.ca_path

    def proxy_env(self) -> dict[str, str]:
        return self._proxy.env()


@dataclass
class StandInHandle(_Served):
    """What ``wyze_standin`` yields: where the cloud is, who may log in, and how to change
    its state between a client's calls."""

    cloud: Any  # standin.StandIn
    base_url: str
    credentials: Credentials
    mfa_credentials: Credentials
    _proxy: _Proxy = field(repr=False)

    def wyze_sdk_kwargs(self, mfa: bool = False) -> dict[str, Any]:
        """``wyze_sdk.Client(**...)``: the made-up account and the stand-in's base URL."""
        who = self.mfa_credentials if mfa else self.credentials
        kwargs: dict[str, Any] = {"email": who.email, "password": who.password,
                                  "key_id": who.key_id, "api_key": who.api_key,
                                  "base_url": f"{self.base_url}/"}
        if mfa:
            kwargs["totp_key"] = who.totp_key
        return kwargs

    # State changes between calls: the stand-in's own handles (standin.server.StandIn).
    def advance_clock(self, seconds: float) -> None:
        self.cloud.advance_clock(seconds)

    def expire_tokens(self) -> None:
        """Every access token issued so far expires now (a refresh still works)."""
        self.cloud.expire_tokens()

    def lock_account(self, email: str | None = None, seconds: float = 900) -> None:
        """The account (default: :attr:`credentials`) refuses logins, as after too many
        failed attempts."""
        self.cloud.lock_account(email or self.credentials.email, seconds)

    def take_offline(self, mac: str, online: bool = False) -> None:
        """The device answers as offline (``P5`` 0, code 3019 on a change)."""
        self.cloud.set_online(mac, online)


@dataclass
class ReplayHandle(_Served):
    """What ``wyze_replay`` yields: the replay server's base URL and a proxy to it."""

    base_url: str
    matcher: Any  # wyzeproto.match.matcher.Matcher
    _proxy: _Proxy = field(repr=False)


def _routed(fixture: str, base_url: str) -> AbstractContextManager[str]:
    """The Wyze names answered by the fixture's server; anything else fails the test."""

    def refuse(message: str) -> NoReturn:
        pytest.fail(f"{fixture}: {message}", pytrace=False)

    return route_wyze_hosts(base_url, refuse=refuse)


@pytest.fixture(scope="module")
def wyze_standin_state() -> Any:
    """The stand-in's scenario: None (the built-in made-up state), a YAML path, or a dict in
    ``standin/default_state.yaml``'s shape. Override it in a test module or conftest (with
    ``scope="module"`` where ``wyze_standin_module`` uses it)."""
    return None


@contextmanager
def running_standin(state: Any = None) -> Iterator[StandInHandle]:
    """The stand-in on a free 127.0.0.1 port for a ``with`` block: what ``wyze_standin``
    yields, without the loopback guard (for benchmarks and scripts)."""
    from standin import StandIn
    from standin.scenarios import PLAIN, TOTP, TOTP_SECRET

    if state is None:
        cloud = StandIn.default()
    elif isinstance(state, dict):
        cloud = StandIn(state)
    else:
        cloud = StandIn.from_yaml(state)
    base_url = cloud.start(host="127.0.0.1")
    proxy = _Proxy(base_url)
    try:
        yield StandInHandle(
            cloud, base_url,
            Credentials(PLAIN.email, PLAIN.password, PLAIN.key_id, PLAIN.api_key),
            Credentials(TOTP.email, TOTP.password, TOTP.key_id, TOTP.api_key, TOTP_SECRET),
            proxy)
    finally:
        proxy.stop()
        cloud.stop()


@pytest.fixture
def wyze_standin(wyze_standin_state: Any) -> Iterator[StandInHandle]:
    """The stand-in Wyze cloud on a free 127.0.0.1 port for one test."""
    with running_standin(wyze_standin_state) as handle, \
            _routed("wyze_standin", handle.base_url):
        yield handle


@pytest.fixture(scope="module")
def wyze_standin_module(wyze_standin_state: Any) -> Iterator[StandInHandle]:
    """One stand-in shared by a module's tests (state carries over between them)."""
    with running_standin(wyze_standin_state) as handle, \
            _routed("wyze_standin_module", handle.base_url):
        yield handle


@pytest.fixture
def wyze_replay_cassettes() -> list[str]:
    """The cassettes ``wyze_replay`` serves (files or folders). Override it; there is no
    default, so a test that forgets gets a clear error."""
    raise pytest.UsageError("wyze_replay: override the wyze_replay_cassettes fixture with "
                            "the cassette files or folders to serve")


@pytest.fixture
def wyze_replay(wyze_replay_cassettes: list[str]) -> Iterator[ReplayHandle]:
    """The recorded sessions in ``wyze_replay_cassettes``, answered on 127.0.0.1 by the
    replay server (sessions chosen per login, as ``wyze-toolkit serve`` does)."""
    from replay.server import ReplayServer
    from wyzeproto.match.matcher import Index, Matcher

    paths = [str(p) for p in wyze_replay_cassettes]
    matcher = Matcher(Index.load(paths))
    server = ReplayServer(matcher)
    base_url = server.start_in_thread("127.0.0.1")
    proxy = _Proxy(base_url)
    try:
        with _routed("wyze_replay", base_url):
            yield ReplayHandle(base_url, matcher, proxy)
    finally:
        proxy.stop()
        server.stop()
