"""In-process replay for ``requests``: a transport adapter that answers from the matcher.

    session = requests.Session()
    session.mount("https://", ReplayAdapter(Matcher(Index.load(["captures/"]))))
    WyzeClient(session=session).login(...)   # nothing leaves the process

A miss is answered like the servers answer it (``404 Not Recorded`` with the explanation);
with ``raise_on_miss=True`` it raises :class:`ReplayMiss` instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from wyzeproto.match.answer import Answer, miss_answer, recorded_answer
from wyzeproto.match.matcher import Matcher, Miss, Recorded


class ReplayMiss(requests.ConnectionError):
    """No recording answers the request; ``str()`` is the miss explanation."""


class ReplayAdapter(BaseAdapter):
    def __init__(self, matcher: Matcher, raise_on_miss: bool = False) -> None:
        super().__init__()
        self.matcher = matcher
        self.raise_on_miss = raise_on_miss

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        found = match_request(self.matcher, request)
        if isinstance(found, Miss):
            if self.raise_on_miss:
                raise ReplayMiss(found.message(), request=request)
            answer = miss_answer(found)
        else:
            answer = recorded_answer(found)
        return to_response(request, answer)

    def close(self) -> None:
        pass


def match_request(matcher: Matcher, request: requests.PreparedRequest) -> Recorded | Miss:
    """``matcher``'s answer to a prepared request (a ``Host`` header overrides the URL's)."""
    parts = urlsplit(request.url or "")
    return matcher.match(request.method or "GET", request_host(request) or parts.netloc,
                         parts.path, parts.query, request_body(request), parts.scheme or "https")


def request_body(request: requests.PreparedRequest) -> str | bytes | None:
    return request.body if isinstance(request.body, str | bytes) else None


def request_host(request: requests.PreparedRequest) -> str | None:
    host = request.headers.get("Host")
    return host if isinstance(host, str) else None


def to_response(request: requests.PreparedRequest, answer: Answer) -> requests.Response:
    response = requests.Response()
    response.status_code, response.reason = answer.status, answer.reason
    response.headers = CaseInsensitiveDict(dict(answer.headers))
    response._content = answer.body
    response.request, response.url = request, request.url or ""
    response.encoding = requests.utils.get_encoding_from_headers(response.headers) or "utf-8"
    return response
