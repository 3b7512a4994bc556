"""The Wyze host names routed to loopback in this process: name resolution and trust.

Clients that hard-code the real hosts (wyzeapy; wyze-sdk without ``base_url``) reach a
loopback server unmodified inside :func:`route_wyze_hosts`: the Wyze names resolve to
127.0.0.1 and the port of a front (:mod:`wyzeproto.loopback_front`), and the clients trust
the certificate that front leads to through ``SSL_CERT_FILE`` and ``REQUESTS_CA_BUNDLE``:

- ``route_wyze_hosts(server="http://127.0.0.1:PORT")``: a TLS front with a made-up CA ends
  TLS and forwards the bytes to a plain-HTTP server (the stand-in or the replay server);
  what the ``wyze_standin`` and ``wyze_replay`` fixtures use.
- ``route_wyze_hosts(proxy="http://127.0.0.1:PORT", ca=PEM)``: every connection is tunnelled
  with ``CONNECT`` through an HTTP proxy (the mitmdump of ``make capture`` or
  ``make serve-proxy``), so the client talks TLS with mitmproxy, trusting its CA ``ca``.

Resolution is patched where clients resolve: :func:`socket.getaddrinfo` (requests/urllib3,
aiohttp's threaded resolver: both connect to the port it returns) and aiohttp's aiodns
resolver (the default when aiodns is installed; it never calls getaddrinfo). Resolving any
other name that is not loopback, or connecting outside loopback, is refused before anything
leaves the machine.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, NoReturn
from unittest import mock

from wyzeproto.constants import DEFAULT_HOSTS
from wyzeproto.loopback_front import LOOPBACK, TlsFront, TunnelFront, loopback_http, process_ca

# Memoised TLS contexts of known clients, rebuilt so they read SSL_CERT_FILE again (module,
# function): wyzeapy builds one per process with functools.cache.
_CLIENT_CONTEXTS = (("wyzeapy.wyze_auth_lib", "get_ssl_context"),)


def is_wyze_host(host: str) -> bool:
    """Whether ``host`` is one of the Wyze hosts the toolkit records (``DEFAULT_HOSTS``)."""
    name = host.lower().rstrip(".")
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DEFAULT_HOSTS)


def is_loopback_name(host: str) -> bool:
    """An address literal on loopback, or ``localhost``: what a test may resolve."""
    name = host.strip("[]").split("%")[0].lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


Refuse = Callable[[str], NoReturn]


def _raise(message: str) -> NoReturn:
    raise OSError(message)


def _port_number(port: Any) -> int:
    """The port a client asked to resolve (a number, a service name or None) as a number."""
    if port in (None, 0, "", b"", "https", b"https"):
        return 443
    if port in ("http", b"http"):
        return 80
    return int(port)


@contextmanager
def route_wyze_hosts(server: str | None = None, *, proxy: str | None = None,
                     ca: str | os.PathLike[str] | None = None, refuse: Refuse = _raise
                     ) -> Iterator[str]:
    """While the block runs, in this process, the Wyze host names reach a loopback server
    (``server``, plain ``http://127.0.0.1:PORT``: a TLS front with a made-up CA ends TLS for
    it) or an HTTP proxy (``proxy``, ``http://127.0.0.1:PORT``, trusting its CA file ``ca``, ``~``
expanded:
    every connection is a ``CONNECT`` tunnel to the Wyze host through it). Yields the CA file
    clients now trust (``SSL_CERT_FILE``, ``REQUESTS_CA_BUNDLE``; proxy variables are unset
    so nothing bypasses the route).

    Resolving a name that is neither a Wyze host nor loopback, or connecting anywhere but
    loopback, calls ``refuse(message)`` (default: raise OSError), before any packet leaves.
    Everything is restored, and the fronts stopped, when the block ends."""
    if (server is None) == (proxy is None):
        raise ValueError("route_wyze_hosts: give either server=URL or proxy=URL (and ca=)")
    if proxy is not None and ca is None:
        raise ValueError(f"{proxy}: route_wyze_hosts(proxy=...) needs ca=, the proxy's CA file "
                         "(mitmproxy: CONFDIR/mitmproxy-ca-cert.pem)")
    if server is not None:
        backend_port = loopback_http(server, "the server")[1]
        tls, ca_path = TlsFront(server), str(process_ca().ca_path)

        def to_front(host: str, port: int) -> int:
            return backend_port if port == 80 else tls.port
        front: TlsFront | TunnelFront = tls
    else:
        tunnel = TunnelFront(str(proxy))
        ca_path = os.path.expanduser(os.fspath(ca))  # type: ignore[arg-type]
        if not os.path.isfile(ca_path):
            raise FileNotFoundError(f"{ca_path}: no CA file there (start the proxy once to "
                                    "make it, or give its confdir's mitmproxy-ca-cert.pem)")
        to_front, front = tunnel.port_for, tunnel

    def route(host: str, port: Any) -> int | None:
        if is_wyze_host(host):
            return to_front(host.lower().rstrip("."), _port_number(port))
        if not is_loopback_name(host) and not _is_address(host):
            refuse(f"the client tried to resolve {host}, not a Wyze host; only the Wyze "
                   "hosts and loopback are reachable while they are routed")
        return None

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0,
                    flags: int = 0) -> Any:
        name = host.decode("idna") if isinstance(host, bytes) else host
        target = route(name, port) if isinstance(name, str) else None
        if target is None:
            return real_getaddrinfo(host, port, family, type, proto, flags)
        return [(socket.AF_INET, type or socket.SOCK_STREAM, proto or socket.IPPROTO_TCP, "",
                 (LOOPBACK, target))]

    trust = {"SSL_CERT_FILE": ca_path, "REQUESTS_CA_BUNDLE": ca_path}
    with ExitStack() as stack:
        stack.callback(front.stop)
        stack.callback(forget_client_contexts)
        stack.enter_context(mock.patch.dict(os.environ, trust))
        for name in [k for k in os.environ if k.lower() in _PROXY_VARIABLES]:
            del os.environ[name]  # restored with the rest of the environment
        stack.enter_context(mock.patch.object(socket, "getaddrinfo", getaddrinfo))
        _patch_aiodns_resolver(stack, route)
        _refuse_beyond_loopback(stack, refuse)
        forget_client_contexts()
        yield ca_path


_PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


def _refuse_beyond_loopback(stack: ExitStack, refuse: Refuse) -> None:
    """``refuse`` anything that connects outside loopback (an address the route missed)."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0] if isinstance(address, tuple) else address)
            if not is_loopback_name(host):
                refuse(f"the client tried to reach {host}, not 127.0.0.1; only loopback is "
                       "reachable while the Wyze hosts are routed")

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    stack.enter_context(mock.patch.object(socket.socket, "connect", connect))
    stack.enter_context(mock.patch.object(socket.socket, "connect_ex", connect_ex))


def _patch_aiodns_resolver(stack: ExitStack, route: Callable[[str, Any], int | None]
                           ) -> None:
    """aiohttp's aiodns resolver answers without getaddrinfo: route the Wyze names there too
    (only when aiohttp is already imported or importable; nothing otherwise)."""
    try:
        from aiohttp import resolver
    except ImportError:
        return
    real_resolve = resolver.AsyncResolver.resolve

    async def resolve(self: Any, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> Any:
        target = route(host, port)
        if target is None:
            return await real_resolve(self, host, port, family)
        return [{"hostname": host, "host": LOOPBACK, "port": target, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV}]

    stack.enter_context(mock.patch.object(resolver.AsyncResolver, "resolve", resolve))


def forget_client_contexts() -> None:
    """Rebuild the memoised TLS contexts of known clients on their next call, so they read
    ``SSL_CERT_FILE`` as it is now (a context built before a fixture would not trust its CA,
    one built during it should not outlive it)."""
    for module, name in _CLIENT_CONTEXTS:
        builder = getattr(sys.modules.get(module), name, None)
        clear = getattr(builder, "cache_clear", None)
        if callable(clear):
            clear()
