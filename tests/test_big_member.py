"""A polled body's big member is parsed once: the rest of the body comes out as a whole parse.

The oracle is the same redactor with the envelope split taken out (every body parsed whole).
All values below are made up.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wyzeproto.redact import Pseudonymizer, Redactor
from wyzeproto.redact.big_member import MIN_SIZE, locate, shape_of

KEY = b"test-key-not-secret"
MARKER = "0123456789abcdef0123456789abcdef"
EMAIL = "jo.tester@example.com"  # made up
MAC = "2CAA8E4F1B9D"  # made up


class Whole(Redactor):
    """The redactor that parses every body whole."""

    def _split(self, text: str) -> dict[str, Any] | None:
        return None


def devices(count: int, nickname: str = "Porch cam") -> dict[str, Any]:
    return {"device_list": [{"mac": f"2CAA8E4F{index:04X}", "nickname": f"{nickname} {index}",
                             "product_model": "WYZE_CAKP2JFUS", "conn_state": 1,
                             "device_params": {"ssid": "HomeNet-5G", "ip": "192.168.1.10",
                                               "electricity": 87.5}}
                            for index in range(count)],
            "owner": EMAIL}


def envelope(trace: str, data: Any, order: int = 0, spaced: bool = True) -> str:
    members = [("code", "1"), ("ts", 1733100000000), ("msg", "SUCCESS"), ("data", data),
               ("traceId", trace)]
    members = members[order:] + members[:order]
    separators = (", ", ": ") if spaced else (",", ":")
    return json.dumps(dict(members), separators=separators)


@pytest.mark.parametrize("text", [
    '{"a": {"data": {"x": 1}}, "data": {"x": 2}}',  # the key first seen nested
    '{"data": {"x": 1}, "data": {"x": 2}}',  # the key twice: the cut takes both
    '{"data": {"x": 1}, "m": {"y": 2}}',  # a second object in the envelope
    '{"data": {"x": 1}, "m": [1]}',  # a list in the envelope
    '[{"data": {"x": 1}}]',  # an array at the top
    '{"data": [1, 2]}',  # the member is no object
    '{"d\\u0061ta": {"x": 1}}',  # the key spelt with an escape
    '{"msg": "\\"data\\": {\\"x\\": 1}", "data": 5}',  # the key inside a string
])
@pytest.mark.parametrize("after", [None, "m", "data", "x"])
def test_a_body_that_is_not_one_envelope_around_one_object_is_not_taken_apart(
        text: str, after: str | None) -> None:
    found = locate(text, ("data", after), MARKER)
    if found is not None:  # only the repeated key gets this far, and its text is no object
        with pytest.raises(ValueError):
            json.loads(text[found[0]:found[1]])


def test_the_member_is_found_wherever_its_key_and_the_one_after_it_sit() -> None:
    data = {"a": {"traceId": "q", "data": {"z": 1}}, "b": [1, {"c": "}, \"traceId\": "}]}
    for order in range(5):
        text = envelope("t-1", data, order)
        shape = shape_of(json.loads(text))
        assert shape is not None
        found = locate(text, shape, MARKER)
        assert found is not None
        start, end, pairs, at = found
        member = text[start:end]
        assert json.loads(member) == data
        assert pairs[at] == ("data", MARKER)


def test_a_polled_body_is_parsed_whole_once_and_then_only_its_envelope() -> None:
    memo, whole = Redactor(Pseudonymizer(KEY)), Whole(Pseudonymizer(KEY))
    data = devices(40)
    kept = []
    for trace in ("a1b2", "c3d4", "e5f6", "a7b8"):
        body = envelope(f"trace-{trace}", data)
        assert len(body) >= MIN_SIZE
        out = memo.json_text(body)
        assert out == whole.json_text(body)
        assert EMAIL not in (out or "") and MAC[:8] not in (out or "")
        kept.append(memo._last_json[1]["data"])  # type: ignore[index]
    assert len(memo._members) == 1
    assert all(member is kept[1] for member in kept[1:]), "the member was parsed again"


def test_a_new_member_text_is_parsed_and_a_changed_envelope_value_is_redacted() -> None:
    memo, whole = Redactor(Pseudonymizer(KEY)), Whole(Pseudonymizer(KEY))
    bodies = [envelope("t1", devices(40)), envelope("t2", devices(40, "Garage")),
              envelope(EMAIL, devices(40)), envelope("t3", devices(40), spaced=False)]
    for body in bodies * 2:
        out = memo.json_text(body)
        assert out == whole.json_text(body)
        assert memo._last_json == whole._last_json
        assert EMAIL not in (out or "")


NAMES = ["mac", "email", "nickname", "user_id", "ts", "product_model", "conn_state",
         "device_params", "data", "ssid", "traceId", "msg", ""]
SCALARS = st.one_of(
    st.sampled_from([MAC, EMAIL, "Porch cam", "WYZE_CAKP2JFUS", "", "caf\u00e9",
                     "c3d1e5f7a9b24c6e8f0a1b3c5d7e9f02", "192.168.1.10", "1",
                     '"data": {', "}, \"traceId\": "]),
    st.sampled_from([0, 1, -1, 0.0, -0.0, 1.0, 37.7749, 1700000000000, True, False, None]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(NAMES), inner, max_size=5)),
    max_leaves=20,
)
# Mostly scalars, as an envelope has them; now and then an object or a list, which a shape
# learnt from another body must not take apart.
ENVELOPES = st.dictionaries(st.sampled_from(NAMES), st.one_of(SCALARS, SCALARS, DOCUMENTS),
                            max_size=4)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ENVELOPES, st.sampled_from(NAMES), DOCUMENTS, st.booleans()),
                min_size=1, max_size=5),
       st.booleans())
def test_every_envelope_around_every_member_comes_out_as_a_whole_parse_gives_it(
        cases: list[tuple[dict[str, Any], str, Any, bool]], spaced: bool) -> None:
    memo, whole = Redactor(Pseudonymizer(KEY)), Whole(Pseudonymizer(KEY))
    separators = (", ", ": ") if spaced else (",", ":")
    bodies = []
    for outer, key, inner, big in cases:
        member = {"pad": devices(30 if big else 1), "doc": inner}
        bodies.append(json.dumps({**outer, key: member}, separators=separators))
        bodies.append(json.dumps({key: member, **outer}, separators=separators))
    for _ in range(2):
        for body in bodies:
            assert memo.json_text(body) == whole.json_text(body)
            assert memo._last_json == whole._last_json
