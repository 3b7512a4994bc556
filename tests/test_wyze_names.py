"""route_wyze_hosts: the Wyze names routed to loopback in this process, everything else
refused, everything restored afterwards."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import NoReturn

import pytest

from wyzeproto.loopback_front import process_ca
from wyzeproto.wyze_names import route_wyze_hosts

PROXY = "http://127.0.0.1:9"  # nothing is connected to it in these tests


@pytest.fixture
def ca(tmp_path: Path) -> str:
    path = tmp_path / "mitmproxy-ca-cert.pem"
    path.write_text("made-up CA file for the test (never loaded)\n")
    return str(path)


def test_through_a_proxy_the_wyze_names_resolve_to_loopback_and_clients_trust_its_ca(
        ca: str) -> None:
    with route_wyze_hosts(proxy=PROXY, ca=ca) as trusted:
        api = socket.getaddrinfo("api.wyzecam.com", 443)[0][4]
        auth = socket.getaddrinfo("auth-prod.api.wyze.com", "https")[0][4]
        assert api[0] == auth[0] == "127.0.0.1" and api[1] != auth[1]
        assert trusted == ca == os.environ["SSL_CERT_FILE"] == os.environ["REQUESTS_CA_BUNDLE"]


def test_for_a_server_the_names_resolve_to_a_tls_front_trusting_the_made_up_ca() -> None:
    with route_wyze_hosts("http://127.0.0.1:9") as trusted:
        assert socket.getaddrinfo("api.wyzecam.com", 443)[0][4][0] == "127.0.0.1"
        assert socket.getaddrinfo("api.wyzecam.com", 80)[0][4] == ("127.0.0.1", 9)
        assert trusted == str(process_ca().ca_path) == os.environ["SSL_CERT_FILE"]


def test_resolving_a_name_beyond_the_wyze_hosts_is_refused_naming_it(ca: str) -> None:
    with route_wyze_hosts(proxy=PROXY, ca=ca), \
            pytest.raises(OSError, match="tried to resolve example.org, not a Wyze host"):
        socket.getaddrinfo("example.org", 443)


def test_connecting_beyond_loopback_is_refused_before_any_packet_leaves(ca: str) -> None:
    with route_wyze_hosts(proxy=PROXY, ca=ca), socket.socket() as sock, \
            pytest.raises(OSError, match="tried to reach 192.0.2.1, not 127.0.0.1"):
        sock.connect(("192.0.2.1", 443))


def test_a_given_refuse_is_called_with_the_message(ca: str) -> None:
    class Refused(BaseException):
        pass

    def refuse(message: str) -> NoReturn:
        raise Refused(message)

    with route_wyze_hosts(proxy=PROXY, ca=ca, refuse=refuse), \
            pytest.raises(Refused, match="example.org"):
        socket.getaddrinfo("example.org", 443)


def test_the_environment_and_resolver_are_restored_when_the_block_ends(
        ca: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    real = socket.getaddrinfo
    with route_wyze_hosts(proxy=PROXY, ca=ca):
        assert "HTTPS_PROXY" not in os.environ  # the route, not an env proxy, carries Wyze
        assert socket.getaddrinfo is not real
    assert socket.getaddrinfo is real
    assert os.environ["HTTPS_PROXY"] == "http://127.0.0.1:3128"
    assert "SSL_CERT_FILE" not in os.environ


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "either server=URL or proxy=URL"),
    ({"proxy": PROXY}, "needs ca="),
    ({"proxy": "http://192.0.2.1:8080", "ca": __file__}, "http://127.0.0.1:PORT"),
    ({"proxy": PROXY, "ca": "/nonexistent/ca.pem"}, "no CA file there"),
])
def test_a_bad_route_is_refused_before_anything_is_patched(
        kwargs: dict[str, str], message: str) -> None:
    real = socket.getaddrinfo
    with pytest.raises((ValueError, OSError), match=message), route_wyze_hosts(**kwargs):
        pass
    assert socket.getaddrinfo is real
