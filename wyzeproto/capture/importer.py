"""Turn captures researchers already hold into redacted cassettes: HAR 1.2 and Charles .chlsj.

    wyze-toolkit import SESSION.har [MORE.chlsj ...] --out captures/NAME.yaml

Every entry to a Wyze host goes through the same path as a live capture (decode, redact,
write), so the result is as safe to share as one from ``make capture``. mitmproxy flow files
convert to HAR with mitmproxy itself: ``mitmdump -nr FLOWS --set hardump=FLOWS.har``.
Exit 0 written, 1 nothing matched, 2 unusable input.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlunsplit

from wyzeproto.capture import flowfiles
from wyzeproto.capture.recorder import Exchange, HostFilter, Recorder
from wyzeproto.cassette.files import CassetteWriter
from wyzeproto.constants import DEFAULT_HOSTS
from wyzeproto.hosts import join_authority
from wyzeproto.redact import default_redactor

Fields = list[tuple[bytes, bytes]]


class CaptureFileError(ValueError):
    """A file that is not a HAR or Charles session; str() says which file and why."""


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} is {type(value).__name__}, not text")
    return value


def _fields(pairs: Any) -> Fields:
    if not isinstance(pairs, list) or not all(isinstance(p, dict) for p in pairs):
        raise TypeError("headers are not a list of {name, value} objects")
    return [(str(p.get("name", "")).encode(), str(p.get("value", "")).encode()) for p in pairs]


def _text(text: str | None, encoding: str | None) -> bytes | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"a body text is {type(text).__name__}, not text")
    if encoding == "base64":
        return base64.b64decode(text, validate=True)
    return text.encode("utf-8", "surrogatepass")


def _without(fields: Fields, name: bytes) -> Fields:
    # HAR and Charles store bodies decoded; a Content-Encoding left in would lie about them.
    return [(k, v) for k, v in fields if k.lower() != name]


def har_exchanges(data: dict[str, Any]) -> Iterator[Exchange]:
    for entry in data["log"]["entries"]:
        yield har_exchange(entry)


def har_exchange(entry: dict[str, Any]) -> Exchange:
    """One HAR entry; raises KeyError/TypeError/ValueError when it is malformed."""
    request, response = entry["request"], entry["response"]
    post = request.get("postData") or {}
    content = response.get("content") or {}
    return Exchange(
        method=_str(request["method"], "request.method"),
        url=_str(request["url"], "request.url"),
        request_fields=_fields(request.get("headers", [])),
        request_raw=_text(post.get("text"), post.get("encoding")),
        status=int(response["status"]), reason=response.get("statusText", ""),
        response_fields=_without(_fields(response.get("headers", [])), b"content-encoding"),
        response_raw=_text(content.get("text"), content.get("encoding")) or b"",
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _charles_headers(part: dict[str, Any]) -> Fields:
    return _fields(((part.get("header") or {}).get("headers")) or [])


def charles_exchanges(entries: list[dict[str, Any]]) -> Iterator[Exchange]:
    for entry in entries:
        yield charles_exchange(entry)


def charles_exchange(entry: dict[str, Any]) -> Exchange:
    """One Charles entry; raises KeyError/TypeError/ValueError when it is malformed."""
    request, response = entry.get("request") or {}, entry.get("response") or {}
    scheme = entry.get("scheme", "https")
    netloc = join_authority(entry["host"], entry.get("port") or None, scheme)
    url = urlunsplit((scheme, netloc, entry.get("path", "/"),
                      entry.get("query") or "", ""))
    body = (request.get("body") or {})
    reply = (response.get("body") or {})
    status = int(response.get("status") or 0)
    return Exchange(
        method=_str(entry.get("method", "GET"), "method"), url=url,
        request_fields=_charles_headers(request),
        request_raw=_text(body.get("text"), body.get("encoding")),
        status=status, reason=_phrase(status),
        response_fields=_without(_charles_headers(response), b"content-encoding"),
        response_raw=_text(reply.get("text"), reply.get("encoding")) or b"",
    )


def exchanges(path: str) -> Iterator[Exchange]:
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/zero, a folder, a FIFO
        raise CaptureFileError(f"{path}: not a regular file; pass a .har or .chlsj file")
    if flowfiles.is_flow_file(path):  # mitmproxy's own format, read by mitmproxy (lazily)
        return (yield from flowfiles.exchanges(path))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaptureFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CaptureFileError(f"{path}: not a JSON capture ({exc})") from None
    if isinstance(data, dict) and "log" in data:
        entries = data["log"].get("entries") if isinstance(data["log"], dict) else None
        if not isinstance(entries, list):
            raise CaptureFileError(f"{path}: log.entries is not a list of entries; is it HAR?")
        convert, where = har_exchange, "log.entries"
    elif isinstance(data, list):
        entries, convert, where = data, charles_exchange, "entry"
    else:
        raise CaptureFileError(f"{path}: neither HAR (a 'log' object) nor a Charles session "
                               "(a list of entries)")
    for index, entry in enumerate(entries):
        try:
            if not isinstance(entry, dict):
                raise TypeError(f"an entry is an object, not {type(entry).__name__}")
            exchange = convert(entry)
        except KeyError as exc:
            raise CaptureFileError(f"{path}: {where}[{index}]: no {exc}; skip or fix that "
                                   "entry") from None
        except (TypeError, ValueError, AttributeError, binascii.Error) as exc:
            raise CaptureFileError(f"{path}: {where}[{index}]: {exc}; skip or fix that "
                                   "entry") from None
        yield exchange


def import_files(paths: list[str], out: str, hosts: list[str] | None = None) -> Recorder:
    recorder = Recorder(CassetteWriter(out), default_redactor(),
                        HostFilter(hosts or DEFAULT_HOSTS), max_body=10_000_000)
    try:
        for path in paths:
            for index, exchange in enumerate(exchanges(path)):
                try:
                    if recorder.wants(exchange.url):
                        recorder.record(exchange)
                except OSError:
                    raise  # the --out file: the CLI names it and the OS error
                except Exception as exc:  # fail closed: nothing of this file is half kept
                    # the type only: the message of a redaction error may quote a value
                    raise CaptureFileError(f"{path}: entry {index}: cannot be recorded "
                                           f"({type(exc).__name__}); fix or drop that "
                                           "entry") from None
    finally:
        recorder.close()
    return recorder
