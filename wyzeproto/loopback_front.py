"""Loopback fronts for the Wyze host names: a made-up CA and the TCP servers clients reach.

:mod:`wyzeproto.wyze_names` resolves the Wyze names to one of these, on 127.0.0.1 only:

- :class:`TlsFront` ends TLS with a certificate for the Wyze names, issued by a made-up CA
  made once per process (:func:`process_ca`, so a client that builds its TLS context once,
  as wyzeapy does, keeps trusting it; it lives in a private temporary folder removed at
  exit), and forwards the plain bytes, Host header and all, to a plain-HTTP server (the
  stand-in or the replay server), which tells the Wyze hosts apart by that header.
- :class:`TunnelFront` keeps the client's TLS intact: each Wyze host gets a port of its own,
  and a connection to it is tunnelled with ``CONNECT host:port`` through an HTTP proxy on
  loopback (a mitmdump with the capture or serve addon), which the client then talks TLS with
  exactly as if it had been configured to use that proxy.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime
import functools
import ipaddress
import shutil
import ssl
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
# What the certificate names: every Wyze host a public client calls is one label below these.
_CERT_NAMES = ("wyzecam.com", "*.wyzecam.com", "wyze.com", "*.wyze.com", "*.api.wyze.com")


class _CA:
    """A made-up CA for this process and a server certificate for the Wyze names."""

    def __init__(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        self.folder = Path(tempfile.mkdtemp(prefix="wyze-names-ca-"))
        atexit.register(shutil.rmtree, self.folder, True)
        now = datetime.datetime.now(datetime.UTC)
        ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), \
            ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(
            NameOID.COMMON_NAME, "wyze-cloud-toolkit test CA (made up, this process only)")])
        usage = {k: False for k in ("content_commitment", "key_encipherment",
                                    "data_encipherment", "key_agreement", "encipher_only",
                                    "decipher_only")}
        ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
              .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(hours=1))
              .not_valid_after(now + datetime.timedelta(days=7))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True,
                                           crl_sign=True, **usage), critical=True)
              .add_extension(ca_ski, critical=False)
              .sign(ca_key, hashes.SHA256()))
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                            "api.wyzecam.com")]))
                .issuer_name(ca_name).public_key(leaf_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=7))
                .add_extension(x509.SubjectAlternativeName(
                    [x509.DNSName(n) for n in _CERT_NAMES]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False,
                                             crl_sign=False, **usage), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                    ca_ski), critical=False)
                .sign(ca_key, hashes.SHA256()))
        pem = serialization.Encoding.PEM
        self.ca_path = self.folder / "ca.pem"
        self.ca_path.write_bytes(ca.public_bytes(pem))
        chain, key = self.folder / "server.pem", self.folder / "server-key.pem"
        chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
        key.write_bytes(leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        key.chmod(0o600)
        self.server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_context.load_cert_chain(chain, key)


@functools.cache
def process_ca() -> _CA:
    """The one made-up CA of this process (made on first use)."""
    return _CA()


def loopback_http(url: str, what: str) -> tuple[str, int]:
    """``(host, port)`` of a ``http://127.0.0.1:PORT`` URL; anything else is a ValueError
    (a front never reaches beyond loopback)."""
    parts = urlsplit(url)
    try:
        on_loopback = ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        on_loopback = parts.hostname == "localhost"
    if parts.scheme != "http" or not on_loopback or not parts.port:
        raise ValueError(f"{url}: {what} must be a plain http://127.0.0.1:PORT address")
    return str(parts.hostname), int(parts.port)


class _Front:
    """TCP servers on 127.0.0.1 in one event loop thread (started on first listen); each
    connection's bytes are pumped both ways to what :meth:`_upstream` opens."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._servers: list[asyncio.base_events.Server] = []
        self._live: set[asyncio.StreamWriter] = set()
        self.last_error = ""  # why the last connection could not be passed on, if one failed

    def _listen(self, target: Any, context: ssl.SSLContext | None) -> int:
        """A new server on a free 127.0.0.1 port whose connections go to ``target``."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever,
                                            name="wyze-names-front", daemon=True)
            self._thread.start()

        async def listen() -> int:
            server = await asyncio.start_server(
                functools.partial(self._forward, target), LOOPBACK, 0, ssl=context)
            self._servers.append(server)
            return int(server.sockets[0].getsockname()[1])

        started: Future[int] = asyncio.run_coroutine_threadsafe(listen(), self._loop)
        return started.result(timeout=10)

    async def _upstream(self, target: Any
                        ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        raise NotImplementedError

    async def _forward(self, target: Any, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> None:
        self._live.add(writer)
        try:
            up_reader, up_writer = await self._upstream(target)
        except (OSError, ValueError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as exc:
            self.last_error = str(exc) or type(exc).__name__
            writer.transport.abort()  # the client sees the connection fail, not a hang
            self._live.discard(writer)
            return
        self._live.add(up_writer)
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        self._live.discard(writer)
        self._live.discard(up_writer)

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, ssl.SSLError):
            pass  # the other side went away; closing below ends the pair
        finally:
            writer.close()

    def stop(self) -> None:
        """Close every server and connection and end the loop thread."""
        loop, thread = self._loop, self._thread
        if loop is None:
            return

        async def close() -> None:
            for server in self._servers:
                server.close()
            for writer in list(self._live):
                writer.transport.abort()
            for server in self._servers:
                await server.wait_closed()

        try:
            asyncio.run_coroutine_threadsafe(close(), loop).result(timeout=5)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=5)
            if not loop.is_running():
                loop.close()
            self._loop, self._thread, self._servers = None, None, []
            self._forgotten()

    def _forgotten(self) -> None:
        """What a subclass remembers about its ports, dropped on stop."""


class TlsFront(_Front):
    """A TLS server on 127.0.0.1 that forwards every connection's bytes to ``backend`` (a
    ``http://127.0.0.1:PORT`` URL), presenting the Wyze names' certificate; started on first
    use of :attr:`port`."""

    def __init__(self, backend: str) -> None:
        super().__init__()
        self.backend = loopback_http(backend, "the TLS front's backend")
        self._port: int | None = None

    @property
    def port(self) -> int:
        with self._lock:
            if self._port is None:
                self._port = self._listen(None, process_ca().server_context)
            return self._port

    async def _upstream(self, target: Any
                        ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(*self.backend)

    def _forgotten(self) -> None:
        self._port = None


class TunnelFront(_Front):
    """One 127.0.0.1 port per Wyze host (opened on first use of :meth:`port_for`); each
    connection is tunnelled through the HTTP proxy at ``proxy`` (``http://127.0.0.1:PORT``)
    with ``CONNECT host:port`` and its bytes passed through untouched, so the client's TLS
    is with the proxy. A proxy that refuses the tunnel closes the client's connection."""

    def __init__(self, proxy: str) -> None:
        super().__init__()
        self.proxy = loopback_http(proxy, "the upstream proxy")
        self._ports: dict[tuple[str, int], int] = {}

    def port_for(self, host: str, port: int) -> int:
        """The loopback port whose connections are tunnelled to ``host:port``."""
        with self._lock:
            found = self._ports.get((host, port))
            if found is None:
                found = self._ports[(host, port)] = self._listen((host, port), None)
            return found

    async def _upstream(self, target: Any
                        ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        host, port = target
        reader, writer = await asyncio.open_connection(*self.proxy)
        authority = f"{host}:{port}"
        writer.write(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0].split()
        if len(status) < 2 or status[1] != b"200":
            writer.transport.abort()
            raise ValueError(f"{self.proxy}: the proxy refused CONNECT {authority}: "
                             f"{head[:80]!r}")
        return reader, writer

    def _forgotten(self) -> None:
        self._ports = {}
