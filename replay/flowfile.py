"""Read a mitmproxy flow file (mitmproxy 11 or 12) into plain exchanges, flow by flow.

Used by ``wyze-toolkit import`` through :mod:`wyzeproto.capture.flowfiles`; this is where
mitmproxy may be imported. mitmproxy's own ``FlowReader.stream()`` stops at the first flow
it cannot load; here each flow is loaded and migrated on its own (``tnetstring.load``,
``compat.migrate_flow``, ``Flow.from_state``, the same calls in both versions), so a broken
or non-HTTP flow is skipped with a log line that says which and why, and the rest imports.
Only a break in the framing itself (a truncated file) ends the reading, also with a line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from mitmproxy import flow, http
from mitmproxy.io import compat, tnetstring

from wyzeproto.capture.recorder import Exchange

log = logging.getLogger(__name__)


def _exchange(loaded: flow.Flow) -> Exchange:
    if not isinstance(loaded, http.HTTPFlow):
        raise ValueError(f"a {loaded.type} flow, not HTTP")
    if loaded.response is None:
        reason = f" ({loaded.error.msg})" if loaded.error else ""
        raise ValueError(f"no response{reason}")
    request, response = loaded.request, loaded.response
    return Exchange(
        method=request.method, url=request.pretty_url,
        request_fields=list(request.headers.fields), request_raw=request.raw_content,
        status=response.status_code, reason=response.reason,
        response_fields=list(response.headers.fields), response_raw=response.raw_content)


def read_exchanges(path: str) -> Iterator[Exchange]:
    with open(path, "rb") as handle:
        index = 0
        while True:
            try:
                state = tnetstring.load(handle)
            except (ValueError, IndexError, TypeError) as exc:  # what mitmproxy's reader catches
                if str(exc) != "not a tnetstring: empty file":
                    log.warning("%s::flow %d: not readable (%s); flows from here on skipped, "
                                "the ones before are imported", path, index, exc)
                return
            try:
                yield _exchange(flow.Flow.from_state(compat.migrate_flow(state)))  # type: ignore[arg-type]
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("%s::flow %d: skipped: %s", path, index, exc or type(exc).__name__)
            index += 1
