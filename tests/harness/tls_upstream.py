"""A loopback HTTPS server with a made-up self-signed certificate, for capture tests."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standin.tls import make_self_signed


def serve_tls(handler: type[BaseHTTPRequestHandler], folder: Path) -> ThreadingHTTPServer:
    """``handler`` served over TLS on 127.0.0.1 (an ephemeral port) in a daemon thread; the
    caller shuts it down."""
    cert, key = make_self_signed(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
