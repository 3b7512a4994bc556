"""Shared core of the Wyze cloud toolkit: cassettes, redaction, schemas and replay matching.

Nothing in this package imports mitmproxy: the addons in ``addons/`` are thin glue over it,
and everything here is tested without a proxy.
"""
