"""Run the Wyze cloud stand-in from the command line until Ctrl-C.

    python -m standin --port 8080 [--tls] [--state FILE] [--host 127.0.0.1]

It prints the base URL (and the certificate path with --tls) and binds 127.0.0.1 unless
another address is given explicitly.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from standin.server import StandIn
from standin.state import DEFAULT_STATE_PATH, StateError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start the stand-in, wait for SIGINT/SIGTERM, stop it."""
    parser = argparse.ArgumentParser(prog="python -m standin",
                                     description="Local stand-in for the Wyze cloud.")
    parser.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed cert")
    parser.add_argument("--state", default=str(DEFAULT_STATE_PATH), help="YAML state file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        standin = StandIn.from_yaml(args.state)
    except StateError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{args.state}: cannot read the state file ({exc.strerror}); check --state",
              file=sys.stderr)
        return 2
    try:
        base_url = standin.start(port=args.port, tls=args.tls, host=args.host,
                                 verbose=args.verbose)
    except OSError as exc:
        print(f"{args.host}:{args.port}: cannot listen ({exc}); pick another --port",
              file=sys.stderr)
        return 2
    print(f"wyze stand-in listening on {base_url}", flush=True)
    if standin.cert_path is not None:
        print(f"certificate: {standin.cert_path}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    standin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
