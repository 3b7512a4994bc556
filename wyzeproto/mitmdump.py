"""Start and stop a real mitmdump on 127.0.0.1 that never opens a connection of its own.

Used by the demo, the benchmarks and the end-to-end tests. ``connection_strategy=lazy`` and
``upstream_cert=false`` keep mitmproxy from contacting a host before (or instead of) the
request, so with ``--map-remote`` to a loopback stand-in nothing ever leaves the machine.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

MITMDUMP = Path(sys.executable).parent / "mitmdump"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | None = None,
                  timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"mitmdump exited during start-up with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f}s")


class Mitmdump:
    """One mitmdump process with a project-local config directory (its own CA)."""

    def __init__(self, confdir: Path, args: list[str], log_path: Path | None = None,
                 upstream_tls_insecure: bool = True) -> None:
        self.port = free_port()
        self.confdir = confdir
        self.log_path = log_path
        self.args = [
            str(MITMDUMP), "--listen-host", "127.0.0.1", "--listen-port", str(self.port),
            "--set", f"confdir={confdir}",
            "--set", "connection_strategy=lazy", "--set", "upstream_cert=false",
            *(["--set", "ssl_insecure=true"] if upstream_tls_insecure else []),  # stand-in cert
            *args,
        ]
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def ca_cert(self) -> str:
        return str(self.confdir / "mitmproxy-ca-cert.pem")

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Mitmdump:
        out: int | IO[bytes] = subprocess.DEVNULL
        if self.log_path is not None:
            self._log = out = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_for_port(self.port, self.proc)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> str:
        """Stop gracefully (SIGINT, so addons' 'done' runs), else kill. Returns the log."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.log_path is not None and self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return ""

    def __enter__(self) -> Mitmdump:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def no_other_hooks(namespace: dict[str, object], hook_names: Iterable[str]) -> None:
    """Name every mitmproxy hook a script does not handle as None in its namespace.

    mitmproxy looks each event's handler up on a script's module too, not only on the
    addons it lists, and on Python 3.11 a name a module lacks costs an exception with its
    message (about 3 us, some 20 times a flow: 1% of mitmdump's CPU per flow). None is "no
    handler" to mitmproxy, and the lookup a dict hit. Call it last, with
    ``mitmproxy.hooks.all_hooks``. ``add_log`` stays unnamed: mitmproxy warns about a
    script that has it.
    """
    for name in hook_names:
        if name != "add_log":
            namespace.setdefault(name, None)
