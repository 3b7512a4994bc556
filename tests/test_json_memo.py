"""The redactor's object memo: a JSON object seen before comes out exactly as a walk gives it.

The oracle is the same redactor with the memo taken out (every object walked, every body
written by ``json.dumps``). All values below are made up.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wyzeproto.redact import Pseudonymizer, Redactor
from wyzeproto.redact.json_memo import Redacted, encode

KEY = b"test-key-not-secret"
EMAIL = "jo.tester@example.com"  # made up


class Walked(Redactor):
    """The redactor without the object memo: what every object got before it existed."""

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        return self._object(dict(pairs), None)

    def _split(self, text: str) -> dict[str, Any] | None:
        return None  # nor the envelope split (tests/test_big_member.py)


def both() -> tuple[Redactor, Redactor]:
    return Redactor(Pseudonymizer(KEY)), Walked(Pseudonymizer(KEY))


def test_an_object_seen_again_gets_the_placeholders_it_got_the_first_time() -> None:
    memo, walked = both()
    body = json.dumps({"data": {"device_list": [{"mac": "2CAA8E4F1B9D", "email": EMAIL,
                                                 "nickname": "Porch cam", "conn_state": 1}]}})
    first = memo.json_text(body)
    for _ in range(3):  # stored at the second sight, served from the memo at the third
        assert memo.json_text(body) == first == walked.json_text(body)
    assert memo._objects, "the memo kept nothing: this test would not see it at work"
    assert EMAIL not in first


def test_minus_zero_keeps_its_sign_when_the_same_object_came_with_zero() -> None:
    memo, walked = both()
    for _ in range(3):
        memo.json_text(json.dumps({"email": EMAIL, "timezone_gmt_offset": 0.0}))
    negative = json.dumps({"email": EMAIL, "timezone_gmt_offset": -0.0})
    assert '"timezone_gmt_offset": -0.0' in (memo.json_text(negative) or "")
    assert memo.json_text(negative) == walked.json_text(negative)


def test_true_one_and_one_point_zero_are_three_objects_not_one() -> None:
    memo, walked = both()
    bodies = [json.dumps({"email": EMAIL, "push_switch": value}) for value in (1, True, 1.0)]
    for _ in range(3):
        for body in bodies:
            assert memo.json_text(body) == walked.json_text(body)
    assert '"push_switch": true' in (memo.json_text(bodies[1]) or "")


NAMES = ["mac", "email", "nickname", "user_id", "lat", "ts", "product_model", "conn_state",
         "device_params", "camera_thumbnails", "data", "ssid", "", "X-Device"]
SCALARS = st.one_of(
    st.sampled_from(["2CAA8E4F1B9D", EMAIL, "Porch cam", "WYZE_CAKP2JFUS", "", "caf\u00e9",
                     "c3d1e5f7a9b24c6e8f0a1b3c5d7e9f02", "192.168.1.10", "1", "true"]),
    st.sampled_from([0, 1, -1, 0.0, -0.0, 1.0, 37.7749, 1700000000000, 5551234567, True,
                     False, None]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(NAMES), inner, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DOCUMENTS, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_bodies_seen_again_come_out_byte_for_byte_as_a_walk_writes_them(
    documents: list[Any], compact: bool, ascii_only: bool,
) -> None:
    memo, walked = both()
    separators = (",", ":") if compact else (", ", ": ")
    bodies = [json.dumps(doc, separators=separators, ensure_ascii=ascii_only)
              for doc in documents]
    for _ in range(3):
        for body in bodies:
            assert memo.json_text(body) == walked.json_text(body)


def test_encode_writes_what_json_dumps_writes_around_and_inside_kept_objects() -> None:
    inner = Redacted({"nickname": "REDACTED_nickname_0000000000000000", "gmt": -0.0,
                      "name": "caf\u00e9"})
    outer = {"ts": 1, "data": {"device_list": [inner, {"plain": [1.5, None]}, inner]}}
    holders = {id(outer), id(outer["data"]), id(outer["data"]["device_list"])}
    for separators in ((",", ":"), (", ", ": ")):
        for ascii_only in (True, False):
            style = (*separators, ascii_only)
            assert encode(outer, holders, style) == json.dumps(  # type: ignore[arg-type]
                outer, separators=separators, ensure_ascii=ascii_only)


def test_a_long_value_first_seen_unnamed_gets_its_token_placeholder_once_it_is_named() -> None:
    # Values over 512 characters are not memoised one by one, so neither is their object.
    memo, walked = both()
    token = "lvtx." + "Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1" * 22  # made up, 621 characters
    unnamed, named = json.dumps({"note": token}), json.dumps({"access_token": token})
    for body in (unnamed, unnamed, named, unnamed, unnamed):
        assert memo.json_text(body) == walked.json_text(body)
