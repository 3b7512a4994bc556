"""HTTP bodies as cassettes store them: decoded, readable, with honest headers.

Compressed bodies (gzip, deflate, br, zstd, in any stacked order) are undone, and the
``Content-Encoding`` header goes with them; text stays a ``str`` (JSON stays a readable
string); bytes that are not text in their declared charset stay ``bytes`` and are written as
``!!binary``. ``Content-Length`` is made to match what is stored.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import brotli
import zstandard

Headers = dict[str, list[str]]


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:  # servers send raw DEFLATE under 'deflate' too
        return zlib.decompress(data, -zlib.MAX_WBITS)


def _unzstd(data: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


_DECODERS = {
    "gzip": gzip.decompress,
    "x-gzip": gzip.decompress,
    "deflate": _inflate,
    "br": brotli.decompress,
    "zstd": _unzstd,
    "identity": lambda data: data,
}


def header(headers: Headers, name: str) -> str | None:
    """First value of a header, case-insensitively."""
    lname = name.lower()
    for key, values in headers.items():
        if key.lower() == lname and values:
            return values[0]
    return None


def _drop(headers: Headers, name: str) -> None:
    lname = name.lower()
    for key in [k for k in headers if k.lower() == lname]:
        del headers[key]


def charset(content_type: str | None) -> str:
    if content_type:
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
    return "utf-8"


def decompress(data: bytes, content_encoding: str | None) -> bytes:
    """Undo every listed coding, last applied first. Raises ValueError when one fails."""
    if not content_encoding:
        return data
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise ValueError(f"unknown content-encoding {coding!r}")
        try:
            data = decoder(data)
        except Exception as exc:  # each library raises its own error type
            raise ValueError(f"{coding} body does not decompress: {exc}") from None
    return data


def as_text_or_bytes(data: bytes, content_type: str | None) -> str | bytes:
    try:
        return data.decode(charset(content_type))
    except (UnicodeDecodeError, LookupError):
        return data


def decode(raw: bytes, headers: Headers) -> tuple[str | bytes, Headers, str | None]:
    """Decode a body for storage. Returns (body, adjusted headers copy, problem or None).

    When the body does not decompress, the raw bytes are kept with their
    ``Content-Encoding`` header, and the problem is returned for the caller to report.
    """
    headers = {k: list(v) for k, v in headers.items()}
    problem = None
    encoding = header(headers, "content-encoding")
    if encoding:
        try:
            raw = decompress(raw, encoding)
            _drop(headers, "content-encoding")
        except ValueError as exc:
            problem = str(exc)
    body: str | bytes = raw
    if not problem:
        body = as_text_or_bytes(raw, header(headers, "content-type"))
    return body, headers, problem


def encoded_length(body: Any, content_type: str | None) -> int:
    if body is None:
        return 0
    if isinstance(body, bytes):
        return len(body)
    try:
        return len(body.encode(charset(content_type)))
    except (UnicodeEncodeError, LookupError):
        return len(body.encode("utf-8"))


def fix_content_length(headers: Headers, body: Any) -> None:
    """Make an existing Content-Length header match the stored body (in place)."""
    for key in headers:
        if key.lower() == "content-length":
            headers[key] = [str(encoded_length(body, header(headers, "content-type")))]
