"""Shared core of the Wyze cloud toolkit: cassettes, redaction, schemas and replay matching.

Nothing in this package imports mitmproxy: the addons in ``addons/`` are thin glue over it,
and everything here is tested without a proxy.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("wyze-cloud-toolkit")
except _metadata.PackageNotFoundError:  # a checkout on sys.path without an install
    __version__ = "0.1.0+checkout"
