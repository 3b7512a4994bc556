"""A VCR.py / pytest-recording matcher for Wyze bodies that ignores the volatile fields.

VCR.py compares bodies byte for byte, so a request carrying a fresh ``ts`` (or any other
volatile field, ``wyzeproto.match.fields.VOLATILE``) never matches its recording. ``wyze_body``
compares the JSON (or form) fields instead, ignoring those, and accepts any value of a
placeholder's kind where the cassette holds a redaction placeholder. Reuse the cassettes and
the matcher in another project's ``conftest.py``::

    from wyzeproto.match.vcr_matcher import pytest_recording_configure  # noqa: F401  (registers it)
    @pytest.fixture(scope="module")
    def vcr_config(): return {"match_on": ["method", "host", "path", "query", "wyze_body"]}
"""

from __future__ import annotations

from typing import Any

from wyzeproto.match.compare import request_differences

MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "wyze_body")


def wyze_body(r1: Any, r2: Any) -> None:
    """VCR matcher: raises AssertionError naming the differing fields (never values)."""
    recorded = {"method": r2.method, "uri": r2.uri, "body": r2.body}
    differences = [d for d in request_differences(r1.method, r1.uri, r1.body, None, recorded)
                   if not d.startswith("endpoint:")]
    if differences:
        raise AssertionError("; ".join(differences))


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    """pytest-recording hook: make ``wyze_body`` available to ``match_on``."""
    vcr.register_matcher("wyze_body", wyze_body)
