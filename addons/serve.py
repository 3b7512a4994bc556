"""Serve the recorded Wyze cloud from cassettes to any client behind the proxy; never forward.

    mitmdump -s addons/serve.py --set serve_captures=DIR --set connection_strategy=lazy --set upstream_cert=false

``connection_strategy=lazy`` and ``upstream_cert=false`` keep mitmproxy from opening any
connection to the real host. A request that matches no recording is answered with
``404 Not Recorded`` and a JSON body naming the closest recorded request and the fields that
differ (never their values), and logged. Matching (``wyzeproto.match.matcher``) ignores the
volatile fields (``wyzeproto.match.fields.VOLATILE``: ``ts`` and the like), headers and, unless
``serve_strict_client_fields`` is set, the client-build fields, so one recorded session
answers wyze-sdk, wyzeapy and the app alike. Other hosts get the miss answer too.

Each cassette is a session: a login picks one (``wyzeproto.match.sessions``: the recorded
credentials once redacted with your key, else the first plain login that succeeded;
``serve_session=NAME`` pins one) and the log names it; the requests carrying the tokens it
issued are answered from it only. Each login's answer hands out tokens of its own (shaped
like the recorded ones), so two clients logged in at once each walk the session in order.
"""  # noqa: E501

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time
from collections.abc import Set

from mitmproxy import ctx, exceptions, hooks, http
from mitmproxy.net.http import status_codes

# Run from a checkout without installing: the core package sits beside addons/. (Installed,
# this file is wyzeproto/addons/serve.py and the core is already importable.)
_CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.isdir(os.path.join(_CHECKOUT, "wyzeproto", "cassette")) and _CHECKOUT not in sys.path:
    sys.path.insert(0, _CHECKOUT)

from wyzeproto.cassette.files import CassetteError  # noqa: E402
from wyzeproto.hosts import join_authority  # noqa: E402
from wyzeproto.match.answer import Answer, miss_answer, recorded_answer  # noqa: E402
from wyzeproto.match.matcher import REPEAT_MODES, Index, Matcher, MatchOptions, Miss  # noqa: E402
from wyzeproto.mitmdump import no_other_hooks  # noqa: E402
from wyzeproto.redact.pseudonym import load_key  # noqa: E402

log = logging.getLogger(__name__)
_OPTIONS = {"serve_captures", "serve_repeat", "serve_strict_client_fields", "serve_session"}


def _parts(answer: Answer) -> tuple[int, bytes, tuple[tuple[bytes, bytes], ...], bytes]:
    fields = tuple((k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers)
    reason = (answer.reason or status_codes.RESPONSES.get(answer.status, "")).encode("latin-1")
    return answer.status, reason, fields, answer.body


def _prepared(parts: tuple[int, bytes, tuple[tuple[bytes, bytes], ...], bytes]
              ) -> http.Response:
    """The response to copy for every answer: built, and so type-checked, once."""
    # Built directly rather than with Response.make, which re-parses headers on every call.
    status, reason, fields, body = parts
    now = time.time()
    return http.Response(b"HTTP/1.1", status, reason, http.Headers(fields), body, None, now, now)


_new = object.__new__
_HOSTS: dict[tuple[bytes | None, str, int, bytes], str] = {}
_HOSTS_MAX = 4096  # bounded: the Host header is whatever the client sent
_HTTP1 = (b"HTTP/1.1", b"HTTP/1.0")


def _host_and_content(request: http.Request) -> tuple[str, bytes | None]:
    """``host[:port]`` as the client addressed it (``pretty_host``, the port unless default)
    and the body (``get_content(strict=False)``), read in one pass over the headers and the
    host remembered per Host header: mitmproxy's properties look each header up by a scan
    and parse the authority anew on every call. Anything unusual (not HTTP/1, a repeated
    Host header, a Content-Encoding) takes mitmproxy's own properties."""
    data = request.data
    if data.http_version in _HTTP1:
        host_header: bytes | None = None
        usual = True
        for name, value in data.headers.fields:
            lowered = name.lower()
            if lowered == b"host":
                usual = host_header is None
                host_header = value
            elif lowered == b"content-encoding":
                usual = False
            if not usual:
                break
        if usual:
            key = (host_header, data.host, data.port, data.scheme)
            host = _HOSTS.get(key)
            if host is None:
                host = join_authority(request.pretty_host, request.port, request.scheme)
                if len(_HOSTS) < _HOSTS_MAX:
                    _HOSTS[key] = host
            return host, data.content
    return (join_authority(request.pretty_host, request.port, request.scheme),
            request.get_content(strict=False))


def _response(prepared: http.Response) -> http.Response:
    """A fresh copy of ``prepared`` stamped now, for one flow. Built field by field: the
    constructor type-checks every field of its data on every call (mitmproxy's ``__debug__``
    check, half the cost of a hit), and these fields were checked when ``prepared`` was
    built. The headers' fields are an immutable tuple (every edit replaces it), so one flow's
    edits never reach another's answer."""
    data = prepared.data
    headers = _new(http.Headers)
    headers.fields = data.headers.fields
    state = data.__dict__.copy()
    state["headers"] = headers
    state["timestamp_start"] = state["timestamp_end"] = time.time()
    copied = _new(http.ResponseData)
    copied.__dict__ = state
    response: http.Response = _new(http.Response)
    response.data = copied
    return response


class Serve:
    def __init__(self) -> None:
        self.matcher: Matcher | None = None

    def load(self, loader: object) -> None:
        add = loader.add_option  # type: ignore[attr-defined]
        add("serve_captures", str, "",
            f"Cassette file or directory to answer from (several: separate with '{os.pathsep}').")
        add("serve_repeat", str, "last",
            "When the recorded answers to a request are used up: repeat the last, cycle from "
            "the first, or answer none (a miss).", choices=REPEAT_MODES)
        add("serve_strict_client_fields", bool, False,
            "Make the client-build fields (sc, sv, app_ver, app_version, app_name, "
            "phone_system_type) decide a match.")
        add("serve_session", str, "",
            "Answer every login from this session (a cassette's name, with or without .yaml), "
            "instead of choosing one by the login's credentials.")

    def configure(self, updated: Set[str]) -> None:
        if not updated & _OPTIONS:
            return
        opts = ctx.options
        if not opts.serve_captures:
            self.matcher = None
            return
        paths = [p for p in opts.serve_captures.split(os.pathsep) if p]
        try:
            options = MatchOptions(opts.serve_strict_client_fields, opts.serve_repeat)
            index = Index.load(paths, options)
        except (CassetteError, FileNotFoundError, ValueError) as exc:
            raise exceptions.OptionsError(f"serve_captures: {exc}") from None
        try:
            self.matcher = Matcher(index, load_key(), opts.serve_session or None,
                                   on_login=lambda line: log.info("serve: %s", line))
        except ValueError as exc:
            raise exceptions.OptionsError(f"serve_session: {exc}") from None
        gc.freeze()  # the index is read-only: keep the collector off its many small objects
        # (a bare test Options has neither option: nothing to warn about there)
        if getattr(opts, "connection_strategy", "lazy") != "lazy" \
                or getattr(opts, "upstream_cert", False):
            log.warning("serve: set connection_strategy=lazy and upstream_cert=false, or "
                        "mitmproxy may still connect to the real hosts before a request")
        log.info("serve: %d recorded interactions from %s", index.size, opts.serve_captures)

    def request(self, flow: http.HTTPFlow) -> None:
        if flow.response is not None:
            return
        try:
            self._answer(flow)
        except Exception:  # fail closed: a bug here must not let the request go upstream
            log.exception("serve: %s: could not answer; sent 500 instead", flow.request.url)
            flow.response = http.Response.make(
                500, b'{"error": "replay server error; see the mitmdump log"}',
                {"Content-Type": "application/json"})

    def _answer(self, flow: http.HTTPFlow) -> None:
        if self.matcher is None:
            body = json.dumps({"error": "serve_captures is not set; nothing to answer from"})
            flow.response = http.Response.make(502, body, {"Content-Type": "application/json"})
            return
        request = flow.request
        host, content = _host_and_content(request)
        path, _, query = request.path.partition("?")
        found = self.matcher.match(request.method, host, path, query, content, request.scheme)
        if isinstance(found, Miss):
            log.warning("serve: %s", found.message())
            flow.response = _prepared(_parts(miss_answer(found)))
            return
        prepared = found.cache.get("mitm")
        if prepared is None:
            prepared = found.cache["mitm"] = _prepared(_parts(recorded_answer(found)))
        flow.response = _response(prepared)


addons = [Serve()]
no_other_hooks(globals(), hooks.all_hooks)
