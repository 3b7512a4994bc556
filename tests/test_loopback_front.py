"""The loopback fronts: the CONNECT tunnel through an upstream proxy and the TLS front."""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator

import pytest

from wyzeproto.loopback_front import TlsFront, TunnelFront, process_ca


class _Proxy(socketserver.ThreadingTCPServer):
    """A made-up HTTP proxy on 127.0.0.1: records each CONNECT line, answers ``status``,
    then echoes what the tunnel carries."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, status: bytes) -> None:
        self.status, self.connects = status, []
        super().__init__(("127.0.0.1", 0), _Tunnel)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Tunnel(socketserver.StreamRequestHandler):
    server: _Proxy

    def handle(self) -> None:
        self.server.connects.append(self.rfile.readline().decode().strip())
        while self.rfile.readline() not in (b"\r\n", b""):
            pass
        self.wfile.write(b"HTTP/1.1 " + self.server.status + b"\r\n\r\n")
        if self.server.status.startswith(b"200"):
            while data := self.request.recv(65536):
                self.request.sendall(data)


@pytest.fixture(params=[b"200 Connection established"])
def upstream(request: pytest.FixtureRequest) -> Iterator[_Proxy]:
    proxy = _Proxy(request.param)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        return sock.recv(65536)


def test_each_wyze_host_gets_its_own_port_tunnelled_with_connect_to_that_host(
        upstream: _Proxy) -> None:
    front = TunnelFront(upstream.url)
    try:
        api, auth = front.port_for("api.wyzecam.com", 443), \
            front.port_for("auth-prod.api.wyze.com", 443)
        assert api != auth and front.port_for("api.wyzecam.com", 443) == api
        assert _exchange(api, b"client hello, untouched") == b"client hello, untouched"
        assert _exchange(auth, b"x") == b"x"
    finally:
        front.stop()
    assert upstream.connects == ["CONNECT api.wyzecam.com:443 HTTP/1.1",
                                 "CONNECT auth-prod.api.wyze.com:443 HTTP/1.1"]


@pytest.mark.parametrize("upstream", [b"403 Forbidden"], indirect=True)
def test_a_proxy_that_refuses_the_tunnel_closes_the_clients_connection_and_says_why(
        upstream: _Proxy) -> None:
    front = TunnelFront(upstream.url)
    try:
        assert _exchange(front.port_for("api.wyzecam.com", 443), b"hello") == b""
    except ConnectionResetError:
        pass  # an abort may reach the client as a reset: closed either way
    finally:
        front.stop()
    assert "refused CONNECT api.wyzecam.com:443" in front.last_error


@pytest.mark.parametrize("url", ["http://192.0.2.1:8080", "https://127.0.0.1:8080",
                                 "http://127.0.0.1"])
def test_a_front_refuses_anything_but_a_plain_loopback_address(url: str) -> None:
    with pytest.raises(ValueError, match="http://127.0.0.1:PORT"):
        TunnelFront(url)
    with pytest.raises(ValueError, match="http://127.0.0.1:PORT"):
        TlsFront(url)


def test_the_tls_front_presents_the_wyze_names_from_the_made_up_ca(upstream: _Proxy) -> None:
    # The backend here is the echoing proxy: after TLS, the front passes bytes on as they are.
    front = TlsFront(upstream.url)
    client = ssl.create_default_context(cafile=str(process_ca().ca_path))
    try:
        with socket.create_connection(("127.0.0.1", front.port), timeout=5) as raw, \
                client.wrap_socket(raw, server_hostname="api.wyzecam.com") as tls:
            tls.sendall(b"CONNECT x:1 HTTP/1.1\r\n\r\n")
            assert tls.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        front.stop()
