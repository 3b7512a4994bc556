"""A small keep-alive HTTP/1.1 load generator, for the load test and the benchmarks.

``concurrency`` connections each send their share of ``total`` requests one after another
(no pipelining), cycling through prepared raw requests; every answer is read in full
(``Content-Length`` bodies only, which is what the replay servers send).

``tunnel`` (a host and a TLS context) makes each connection go through an HTTP proxy the way
a phone's does: ``CONNECT host:443``, then TLS to that host inside the tunnel. The benchmarks
use it instead of an HTTP client library, whose own per-request cost would take CPU from the
proxy being measured on a small machine.
"""

from __future__ import annotations

import asyncio
import ssl

Reply = tuple[int, bytes]


def raw_request(method: str, host: str, path: str, body: bytes, proxy: bool = False) -> bytes:
    """One request's bytes; ``proxy`` uses the absolute form a plain-HTTP proxy expects."""
    target = f"http://{host}{path}" if proxy else path
    head = (f"{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


async def _read_reply(reader: asyncio.StreamReader) -> Reply:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


Tunnel = tuple[str, ssl.SSLContext]


async def _open(host: str, port: int, tunnel: Tunnel | None
                ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    if tunnel is None:
        return reader, writer
    target, context = tunnel
    writer.write(f"CONNECT {target}:443 HTTP/1.1\r\nHost: {target}:443\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if head.split(b" ", 2)[1] != b"200":
        writer.close()
        raise ConnectionError(f"{host}:{port}: CONNECT {target} refused: {head[:80]!r}")
    await writer.start_tls(context, server_hostname=target)
    return reader, writer


async def _worker(host: str, port: int, requests: list[bytes], start: int, count: int,
                  out: list[Reply | None], tunnel: Tunnel | None = None) -> None:
    reader, writer = await _open(host, port, tunnel)
    try:
        for n in range(start, start + count):
            writer.write(requests[n % len(requests)])
            out[n] = await _read_reply(reader)
    finally:
        writer.close()
        await writer.wait_closed()


async def hammer(host: str, port: int, requests: list[bytes], total: int,
                 concurrency: int, tunnel: Tunnel | None = None) -> list[Reply]:
    """Send ``total`` requests over ``concurrency`` connections; replies in request order
    (reply ``n`` answers ``requests[n % len(requests)]``). With ``tunnel``, ``host:port`` is
    a proxy and each connection is a TLS tunnel through it to ``tunnel[0]``."""
    out: list[Reply | None] = [None] * total
    share, extra = divmod(total, concurrency)
    tasks, start = [], 0
    for worker in range(concurrency):
        count = share + (1 if worker < extra else 0)
        tasks.append(_worker(host, port, requests, start, count, out, tunnel))
        start += count
    await asyncio.gather(*tasks)
    return [reply for reply in out if reply is not None]


async def interleave(proxies: list[tuple[int, Tunnel | None]], requests: list[bytes],
                     total: int, per_connection: int) -> list[list[Reply]]:
    """Send ``total`` requests (cycling through ``requests``) to each proxy (a port on
    127.0.0.1, and its tunnel or None), one request at a time, taking turns flow by flow:
    proxy 1, 2, ..., 1, 2, ... Each proxy gets a new connection every ``per_connection``
    requests. Replies per proxy, in request order.

    Turns this short share whatever the machine does meanwhile, so the proxies' CPU over
    one call compares them with the machine's drift cancelled (bench/capture_bench.py).
    """
    out: list[list[Reply]] = [[] for _ in proxies]
    sent = 0
    while sent < total:
        streams = [await _open("127.0.0.1", port, tunnel) for port, tunnel in proxies]
        for n in range(sent, min(sent + per_connection, total)):
            for (reader, writer), replies in zip(streams, out, strict=True):
                writer.write(requests[n % len(requests)])
                replies.append(await _read_reply(reader))
        for _, writer in streams:
            writer.close()
            await writer.wait_closed()
        sent += per_connection
    return out
