"""mitmproxy flow files as an import format: recognised here, read by mitmproxy.

    wyze-toolkit import session.flows --out captures/NAME.yaml

A flow file (what ``mitmdump -w`` and mitmweb's "Save" write, mitmproxy 11 or 12) is a
series of tnetstrings, so its first bytes are a length and a colon; that is all the core
looks at. Reading it needs mitmproxy's own loader and version migrations, which live in
:mod:`replay.flowfile` and are imported only when such a file is imported, so the core keeps
no mitmproxy import. Each flow then goes through the same path as a live capture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wyzeproto.capture.recorder import Exchange

_TNETSTRING = re.compile(rb"\d{1,12}:")


def is_flow_file(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(13)
    except OSError:
        return False  # the JSON reader says what is wrong with it
    return _TNETSTRING.match(head) is not None


def exchanges(path: str) -> Iterator[Exchange]:
    from replay.flowfile import read_exchanges  # mitmproxy is imported here, and only here

    yield from read_exchanges(path)
