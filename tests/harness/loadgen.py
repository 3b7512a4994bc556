"""A small keep-alive HTTP/1.1 load generator, for the load test and the benchmarks.

``concurrency`` connections each send their share of ``total`` requests one after another
(no pipelining), cycling through prepared raw requests; every answer is read in full
(``Content-Length`` bodies only, which is what the replay servers send).
"""

from __future__ import annotations

import asyncio

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


async def _worker(host: str, port: int, requests: list[bytes], start: int, count: int,
                  out: list[Reply | None]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for n in range(start, start + count):
            writer.write(requests[n % len(requests)])
            out[n] = await _read_reply(reader)
    finally:
        writer.close()
        await writer.wait_closed()


async def hammer(host: str, port: int, requests: list[bytes], total: int,
                 concurrency: int) -> list[Reply]:
    """Send ``total`` requests over ``concurrency`` connections; replies in request order
    (reply ``n`` answers ``requests[n % len(requests)]``)."""
    out: list[Reply | None] = [None] * total
    share, extra = divmod(total, concurrency)
    tasks, start = [], 0
    for worker in range(concurrency):
        count = share + (1 if worker < extra else 0)
        tasks.append(_worker(host, port, requests, start, count, out))
        start += count
    await asyncio.gather(*tasks)
    return [reply for reply in out if reply is not None]
