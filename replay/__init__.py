"""Replay of the Wyze cloud API: a typed client, a protocol-aware matcher and replay servers."""
