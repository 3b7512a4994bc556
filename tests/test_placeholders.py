"""The one table of placeholder kinds (kinds.py) and replay's view of it (placeholders.py).

Whatever the redactor writes must be recognised as a placeholder, get a kind, and let replay
accept a real value of the shape it replaced; these tests drive the real redactor to check it.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.match.matcher import Index, Matcher, MatchOptions, Recorded
from wyzeproto.redact import Pseudonymizer, Redactor, is_placeholder
from wyzeproto.redact.kinds import BY_FAMILY
from wyzeproto.redact.placeholders import accepts, describe, known_kinds, placeholder_kind

KEY = b"test-key-not-secret"
R = Redactor(Pseudonymizer(KEY))
API = "https://api.wyzecam.com"


def family(kind: str | None) -> str | None:
    return None if kind is None else kind.partition(":")[0]


# (field name, real value, what the redactor writes, its kind). The placeholders are fixed:
# a stored cassette holds them, so a change to a generator would orphan every recording.
WRITTEN = [
    ("mac", "2CAA8E4F1B9D", "0000903F0BB5", "mac"),
    ("mac", "2caa8e4f1b9d", "0000903f0bb5", "mac"),
    ("mac", "2C:AA:8E:4F:1B:9D", "00:00:90:3F:0B:B5", "mac_colon"),
    ("mac", "2c-aa-8e-4f-1b-9d", "00-00-90-3f-0b-b5", "mac_dash"),
    ("phone_id", "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
     "00000000-0000-4000-8000-C812D86CE4CE", "uuid"),
    ("phone_id", "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
     "00000000-0000-4000-8000-c812d86ce4ce", "uuid"),
    ("request_id", "9b2c4d6e8f0a1b3c", "00000000afa17662", "hex:16"),
    ("user_id", "9b2c4d6e8f0a1b3c5d7e9f0a1b2c3d4e", "0000000083e018e1a952597c825dc8b0", "hex:32"),
    ("signature", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
     "00000000BD6A33688D434DB63037D813207F2803", "hex:40"),
    ("email", "Alice.Smith@gmail.com", "user-03e13759d2@example.invalid", "email"),
    ("access_token", "lvtx.k3J9xQ2mZp8Lw4Rt6Yv1Nb5Hc7Df0Gs",
     "lvtx.REDACTED_access_token_f90f643352d1023c", "token:access_token"),
    ("refresh_token", "lvtx.r8Q2w4E6t8Y0u2I4o6P8a0S2d4F6g8",
     "lvtx.REDACTED_refresh_token_1de6173aacd8d1bd", "token:refresh_token"),
    ("nickname", "Carol's porch", "REDACTED_nickname_2aa279e4b8df9109", "token:nickname"),
    ("password", "7f5f74be86aa53a4abffeeeb0a3c2750", "REDACTED_password_hash_16a85f496603db7a",
     "token:password_hash"),
    ("ip", "10.0.0.23", "198.51.100.35", "ip"),
    ("ip", "fe80::1c2b:3a4d", "2001:db8::c6e0:6c8f", "ip"),
    ("p2p_id", "ABCDEFGHJKLMNPQRSTUV", "ZZZZ7BBE88653F3369B8", "p2p_id"),
    ("user_id", "15551234567", "99940552375", "digits"),  # 999, 4 digits, 2 check digits
    ("thumbnails_url", "https://s3.amazonaws.com/t.jpg?X-Amz-Signature=abc123",
     "https://redacted.example.invalid/signed_url/b5dececd1e189c76", "url"),
    ("given_label", "Porch light 2", "Zxzxz xzzzz 7", "text"),  # free text keeps its shape
]


@pytest.mark.parametrize(("field", "real", "written", "kind"), WRITTEN)
def test_each_kind_is_written_as_before_and_recognised_as_that_kind(
    field: str, real: str, written: str, kind: str
) -> None:
    assert R.field(field, real) == written
    assert is_placeholder(written)
    assert placeholder_kind(written) == kind
    assert accepts(kind, real)
    assert R.field(field, written) == written  # redaction is idempotent


def test_every_row_of_the_table_is_written_by_the_redactor_in_those_examples() -> None:
    # A new row without an example here fails, so the property below covers it too.
    assert {family(kind) for *_, kind in WRITTEN} == set(BY_FAMILY)


# -- the five shapes issue 8 found: is_placeholder said yes, placeholder_kind said None -----
FIVE_SHAPES = [
    ("lower-case MAC", "0000903f0bb5", "a1b2c3d4e5f6"),
    ("MAC with ':'", "00:00:90:3F:0B:B5", "A1:B2:C3:D4:E5:F6"),
    ("MAC with '-'", "00-00-90-3f-0b-b5", "a1-b2-c3-d4-e5-f6"),
    ("upper-case UUID", "00000000-0000-4000-8000-C812D86CE4CE",
     "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"),
    ("16-hex id", "00000000afa17662", "5d41402abc4b2a76"),
    ("40-hex id", "00000000BD6A33688D434DB63037D813207F2803",
     "2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12"),
]


def interaction(body: dict[str, Any]) -> dict[str, Any]:
    return {"request": {"method": "POST", "uri": f"{API}/app/v2/device/get_device_info",
                        "body": json.dumps(body), "headers": {}},
            "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                         "body": {"string": "{}"}}}


@pytest.mark.parametrize(("shape", "recorded", "real"), FIVE_SHAPES,
                         ids=[s[0] for s in FIVE_SHAPES])
def test_replay_answers_a_real_value_where_the_recording_holds_a_placeholder_of_its_shape(
    shape: str, recorded: str, real: str
) -> None:
    assert is_placeholder(recorded)
    assert placeholder_kind(recorded) is not None, shape
    assert recorded in {w for *_, w, _ in WRITTEN}  # the redactor's own output, not made up
    index = Index(MatchOptions())
    index.add("test.yaml", 0, interaction({"id": recorded, "nickname": "kept"}))
    found = Matcher(index).match("POST", "api.wyzecam.com", "/app/v2/device/get_device_info",
                                 "", json.dumps({"id": real, "nickname": "kept"}), "https")
    assert isinstance(found, Recorded), found.message()


# -- every pseudonym the redactor can write -------------------------------------------------
def _hex(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789abcdef", min_size=n, max_size=n)


def _cased(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(s, st.booleans()).map(lambda t: t[0].upper() if t[1] else t[0])


_mac_pairs = st.lists(_hex(2), min_size=6, max_size=6)
_token_text = st.text(string.ascii_letters + string.digits + "-_", min_size=20, max_size=60)

# (field name, a strategy for the real values that field holds). Each strategy draws values of
# one shape, so two draws from it are two real values a client could send in that place.
SHAPES: dict[str, tuple[str, st.SearchStrategy[str]]] = {
    "mac": ("mac", _cased(_hex(12))),
    "mac_colon": ("device_mac", _cased(_mac_pairs.map(":".join))),
    "mac_dash": ("bssid", _cased(_mac_pairs.map("-".join))),
    "uuid": ("phone_id", _cased(st.uuids().map(str))),
    "hex16": ("request_id", _cased(_hex(16))),
    "hex32": ("user_id", _cased(_hex(32))),
    "hex40": ("signature", _cased(_hex(40))),
    "hex64": ("api_key_id", _cased(_hex(64))),
    "email": ("email", st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,20}@[a-z0-9-]{1,12}\.[a-z]{2,6}",
                                     fullmatch=True)),
    "access_token": ("access_token", st.builds("{}.{}".format, st.sampled_from(
        ["lvtx", "lvsz", "ab"]), _token_text)),
    "refresh_token": ("refresh_token", _token_text),
    "opaque": (
        "nickname",
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1),
    ),
    "cookie": ("session_id", _token_text),
    "password": ("password", _hex(32)),
    "ipv4": ("ip", st.ip_addresses(v=4).map(str)),
    "ipv6": ("lan_ip", st.ip_addresses(v=6).map(str)),
    "p2p_id": ("p2p_id", st.text(string.ascii_uppercase + string.digits, min_size=20,
                                 max_size=20)),
    "url": ("thumbnails_url", st.builds(
        "https://{}.example.com/{}?X-Amz-Signature={}".format,
        st.text(string.ascii_lowercase, min_size=1, max_size=10),
        st.text(string.ascii_letters + string.digits + "/_.", max_size=30),
        _hex(64))),
}
# The same values with no field name to go by: found by their look, in any JSON key.
BY_LOOK = {"mac", "mac_colon", "mac_dash", "email", "uuid", "hex32", "hex40"}


@st.composite
def two_real_values(draw: st.DrawFn) -> tuple[str, str, str]:
    name = draw(st.sampled_from(sorted(SHAPES)))
    field, values = SHAPES[name]
    if name in BY_LOOK and draw(st.booleans()):
        field = "some_unnamed_field"
    return field, draw(values), draw(values)


@settings(max_examples=600)
@given(two_real_values())
def test_every_pseudonym_the_redactor_writes_has_a_kind_that_accepts_real_values_of_its_shape(
    case: tuple[str, str, str],
) -> None:
    field, real, other = case
    written = R.field(field, real)
    if written == real:  # kept: already a placeholder, public, or nothing secret by its look
        assert is_placeholder(real) or real in PUBLIC_VALUES or field == "some_unnamed_field"
        return
    assert is_placeholder(written), written
    kind = placeholder_kind(written)
    assert kind is not None, written
    assert accepts(kind, real), (kind, real)
    assert accepts(kind, written)
    # Any other value the redactor would give this kind may take its place on replay.
    if placeholder_kind(R.field(field, other)) == kind:
        assert accepts(kind, other), (kind, other)


@given(st.one_of(
    st.text(),
    st.sampled_from([w for *_, w, _ in WRITTEN]),
    st.from_regex(r"0000[0-9A-Fa-f]{8}|00[:-]00([:-][0-9A-Fa-f]{2}){4}|0{8}[0-9a-fA-F]{8,40}"
                  r"|(lv\.)?REDACTED_[a-zA-Z_]{1,12}_[0-9a-f]{16}|192\.0\.2\.[0-9]{1,3}",
                  fullmatch=True),
))
def test_is_placeholder_and_placeholder_kind_never_disagree(value: str) -> None:
    assert is_placeholder(value) == (placeholder_kind(value) is not None)


def test_a_placeholder_of_one_kind_is_refused_where_another_kind_is_recorded() -> None:
    assert not accepts("mac", "00:00:90:3F:0B:B5")
    assert not accepts("hex:32", "00000000afa17662")
    assert not accepts("token:access_token", "REDACTED_nickname_2aa279e4b8df9109")
    assert not accepts("hex:16", "2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12")
    assert not accepts("mac_colon", "a1-b2-c3-d4-e5-f6")


def test_a_miss_names_the_kind_in_words_and_never_the_value() -> None:
    assert describe("hex:40") == "a 40-hex placeholder"
    assert describe("token:access_token") == "a access_token placeholder"
    assert describe("mac_colon") == "a MAC placeholder (with ':')"
    assert describe("uuid") == "a UUID placeholder"
    assert all(":" not in describe(kind) for *_, kind in WRITTEN if kind != "mac_colon")


def test_known_kinds_is_the_memo_placeholder_kind_fills() -> None:
    memo = known_kinds()
    placeholder_kind("00-00-90-3f-0b-b5")
    assert memo is known_kinds() and memo["00-00-90-3f-0b-b5"] == "mac_dash"


@pytest.mark.parametrize("real", ["9990000", "9991234567", "99955501990"])
def test_a_real_number_that_starts_with_999_is_replaced_and_linted_not_kept(real: str) -> None:
    # Made-up numbers. Without check digits, any 999... number passed for a placeholder.
    assert not is_placeholder(real)
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    body = json.dumps({"user_id": real, "note": f"call {real} now", "phone": int(real)})
    out = redactor.json_text(body) or ""
    assert real not in out
    placeholder = redactor.field("user_id", real)
    assert is_placeholder(placeholder) and len(placeholder) == len(real)
    assert redactor.field("user_id", placeholder) == placeholder  # still idempotent
