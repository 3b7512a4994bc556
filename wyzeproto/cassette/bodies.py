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


_ASCII_SUPERSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1",
                              "latin1"})


def encoded_length(body: Any, content_type: str | None) -> int:
    if body is None:
        return 0
    if isinstance(body, bytes):
        return len(body)
    name = charset(content_type)
    if body.isascii() and name.lower() in _ASCII_SUPERSETS:
        return len(body)  # one byte a character: no 20 kB copy to count them (isascii is O(1))
    try:
        return len(body.encode(name))
    except (UnicodeEncodeError, LookupError):
        return len(body.encode("utf-8"))


def fix_content_length(headers: Headers, body: Any) -> None:
    """Make an existing Content-Length header match the stored body (in place)."""
    for key in headers:
        if key.lower() == "content-length":
            headers[key] = [str(encoded_length(body, header(headers, "content-type")))]


# Compressed data announces itself: a body is undone by its magic whatever the headers say
# (a gzip file uploaded as application/gzip, an importer that lost Content-Encoding).
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\x78\x01", "deflate"),
    (b"\x78\x5e", "deflate"),
    (b"\x78\x9c", "deflate"),
    (b"\x78\xda", "deflate"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D} | frozenset(range(0x7F, 0xA0))


def sniff_decompress(data: bytes) -> tuple[bytes, str] | None:
    """(inflated bytes, coding) when ``data`` starts with a compression magic and inflates."""
    for magic, coding in _MAGIC:
        if data.startswith(magic):
            try:
                return decompress(data, coding), coding
            except ValueError:
                return None
    return None


def sniff_text(data: bytes, content_type: str | None) -> str | None:
    """``data`` as text when it is text in some charset (BOM, declared, UTF-8, UTF-16, Latin-1)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    for codec in dict.fromkeys((charset(content_type), "utf-8")):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    if len(data) >= 2 and len(data) % 2 == 0:
        odd, even = data[1::2], data[0::2]
        for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if zeros.count(0) == len(zeros):
                try:
                    return data.decode(codec)
                except UnicodeDecodeError:
                    return None
    if not _CONTROL.intersection(data):
        return data.decode("latin-1")
    return None


def multipart_boundary(content_type: str | None) -> str | None:
    if not content_type or not content_type.lower().startswith("multipart/"):
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip("\"'")
    return None
