"""The cost of one use of the ``wyze_standin`` pytest fixture: load the made-up state, start
the stand-in on a free loopback port, stop it (socket closed, thread joined).

The goal (<= 0.3 s per use, issue 13) is a test-suite budget, so this figure is absolute
seconds; the anchor printed beside it, a bare ``ThreadingHTTPServer`` started and stopped the
same way in the same run, shows how much of it is the standard library's own shutdown poll.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from wyzeproto.pytest_plugin import running_standin

USES = 20


def _bare_server() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    server.shutdown()
    server.server_close()
    thread.join()


def _per_use(use: object) -> float:
    started = time.perf_counter()
    for _ in range(USES):
        use()  # type: ignore[operator]
    return (time.perf_counter() - started) / USES


def _one_fixture_use() -> None:
    with running_standin():
        pass


def run(workdir: Path) -> dict[str, float]:
    _one_fixture_use()  # imports and the first YAML load are paid once per session, not per use
    fixture = _per_use(_one_fixture_use)
    bare = _per_use(_bare_server)
    print(f"  wyze_standin start+stop: {fixture * 1000:.0f} ms per use; a bare "
          f"ThreadingHTTPServer: {bare * 1000:.0f} ms ({USES} uses each)")
    return {"wyze_standin_start_stop_seconds_per_use": fixture}
