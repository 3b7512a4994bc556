"""Walks: the fresh tokens a replayed login hands out, and where they lead."""

from __future__ import annotations

import json

import pytest

from wyzeproto.match import walks
from wyzeproto.match.fields import RequestView
from wyzeproto.match.index import Recorded
from wyzeproto.match.walks import Walks

# A recorded login answer (made up for the test, placeholder-shaped as the redactor writes).
ACCESS = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
REFRESH = "lvtx.REDACTED_refresh_token_0f1e2d3c4b5a6978"


def _login_answer() -> Recorded:
    body = json.dumps({"access_token": ACCESS, "refresh_token": REFRESH})
    interaction = {"request": {}, "response": {"status": {"code": 200}, "headers": {},
                                               "body": {"string": body}}}
    view = RequestView("POST", "auth-prod.api.wyze.com", "/api/user/login", {})
    return Recorded("login.yaml", 0, 0, interaction, view, {}, issued=(ACCESS, REFRESH))


def _handed_out(answer: Recorded) -> dict[str, str]:
    return dict(json.loads(answer.interaction["response"]["body"]["string"]))


def test_each_walk_hands_out_fresh_tokens_shaped_like_the_recorded_ones() -> None:
    book = Walks({ACCESS, REFRESH})
    first, second = book.start("login.yaml"), book.start("login.yaml")
    one, two = _handed_out(book.reissue(_login_answer(), first)), \
        _handed_out(book.reissue(_login_answer(), second))
    assert one["access_token"] not in (ACCESS, two["access_token"])
    assert one["access_token"].startswith("lvtx.REDACTED_access_token_")
    assert len(one["access_token"]) == len(ACCESS)
    assert book.by_token[one["access_token"]] is first
    assert book.by_token[two["refresh_token"]] is second


def test_an_answer_repeated_in_a_walk_hands_out_the_same_tokens_again() -> None:
    book = Walks({ACCESS, REFRESH})
    walk = book.start("login.yaml")
    assert _handed_out(book.reissue(_login_answer(), walk)) == \
        _handed_out(book.reissue(_login_answer(), walk))


def test_past_the_cap_the_oldest_fresh_tokens_lead_nowhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walks, "WALK_TOKENS_MAX", 2)
    book = Walks({ACCESS, REFRESH})
    old = _handed_out(book.reissue(_login_answer(), book.start("login.yaml")))
    new = _handed_out(book.reissue(_login_answer(), book.start("login.yaml")))
    assert old["access_token"] not in book.by_token
    assert set(book.by_token) == set(new.values())
