"""Redaction: every personal value in an interaction becomes a stable, keyed placeholder."""

from wyzeproto.redact.pseudonym import Pseudonymizer, is_placeholder, load_key
from wyzeproto.redact.walk import Redactor


def default_redactor() -> Redactor:
    """A redactor keyed from ``$WYZE_REDACT_KEY`` or the user's key file."""
    return Redactor(Pseudonymizer(load_key()))


__all__ = ["Pseudonymizer", "Redactor", "default_redactor", "is_placeholder", "load_key"]
