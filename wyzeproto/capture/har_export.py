"""Cassettes out as HAR 1.2, for the tools that read it (browser devtools, Charles, HAR viewers).

    wyze-toolkit export CAPTURES... --out session.har

Cassettes are already redacted, so the HAR is as safe to share as they are. Text bodies stay
text; bytes go out base64-encoded, as HAR says.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from wyzeproto import __version__
from wyzeproto.cassette import bodies
from wyzeproto.cassette.files import Interaction

CREATOR = {"name": "wyze-cloud-toolkit", "version": __version__}


def _headers(headers: dict[str, list[str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, values in headers.items() for value in values]


def _content(body: Any, headers: dict[str, list[str]]) -> dict[str, Any]:
    mime = bodies.header(headers, "content-type") or ""
    if body is None:
        return {"size": 0, "mimeType": mime, "text": ""}
    if isinstance(body, bytes):
        return {"size": len(body), "mimeType": mime, "encoding": "base64",
                "text": base64.b64encode(body).decode("ascii")}
    return {"size": bodies.encoded_length(body, mime), "mimeType": mime, "text": body}


def entry(interaction: Interaction) -> dict[str, Any]:
    request, response = interaction["request"], interaction["response"]
    req_headers = request["headers"]
    post = None
    if request.get("body") is not None:
        content = _content(request["body"], req_headers)
        post = {key: content[key] for key in ("mimeType", "text", "encoding") if key in content}
    har_request: dict[str, Any] = {
        "method": request["method"], "url": request["uri"], "httpVersion": "HTTP/1.1",
        "cookies": [], "headers": _headers(req_headers),
        "queryString": [{"name": k, "value": v}
                        for k, v in parse_qsl(urlsplit(request["uri"]).query,
                                              keep_blank_values=True)],
        "headersSize": -1, "bodySize": bodies.encoded_length(request.get("body"), None),
    }
    if post is not None:
        har_request["postData"] = post
    status = response["status"]
    return {
        "startedDateTime": "1970-01-01T00:00:00.000Z",  # cassettes do not record when
        "time": 0,
        "request": har_request,
        "response": {
            "status": status["code"], "statusText": status.get("message", ""),
            "httpVersion": "HTTP/1.1", "cookies": [], "headers": _headers(response["headers"]),
            "content": _content(response["body"]["string"], response["headers"]),
            "redirectURL": "", "headersSize": -1,
            "bodySize": bodies.encoded_length(response["body"]["string"], None),
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }


def to_har(interactions: list[Interaction]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": CREATOR,
                    "entries": [entry(i) for i in interactions]}}
