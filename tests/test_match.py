"""The protocol-aware matcher: what decides a match, sessions, repeats, explained misses."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wyzeproto.match.matcher import Index, Matcher, MatchOptions, Miss, Recorded

CASSETTES = Path(__file__).resolve().parent / "cassettes" / "replay"
API = "https://api.wyzecam.com"
TOKEN = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
CAM, PLUG = "0000A1B2C3D4", "0000B2C3D4E5"
REAL_SECRET_TOKEN = "lvtx.real-secret-token-value"


def interaction(uri: str, body: Any, answer: str = "{}") -> dict[str, Any]:
    text = body if isinstance(body, str) or body is None else json.dumps(body)
    return {"request": {"method": "POST", "uri": uri, "body": text, "headers": {}},
            "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                         "body": {"string": answer}}}


def matcher(*interactions: dict[str, Any], **options: Any) -> Matcher:
    index = Index(MatchOptions(**options))
    for number, item in enumerate(interactions):
        index.add("test.yaml", number, item)
    return Matcher(index)


def sdk_session(**options: Any) -> Matcher:
    return Matcher(Index.load([str(CASSETTES / "sdk_session.yaml")], MatchOptions(**options)))


def props(mac: str, model: str, token: str = TOKEN, **extra: Any) -> bytes:
    return json.dumps({"access_token": token, "device_mac": mac, "device_model": model,
                       "target_pid_list": [], "ts": 1, "phone_id": "p", **extra}).encode()


def post(m: Matcher, uri: str, body: str | bytes | None, host: str | None = None
         ) -> Recorded | Miss:
    """``m.match`` for a POST given as a URL (and a Host header), as a client sends it."""
    parts = urlsplit(uri)
    return m.match("POST", host or parts.netloc, parts.path, parts.query, body, parts.scheme)


def hit(found: Recorded | Miss) -> int:
    assert isinstance(found, Recorded), found.message()  # type: ignore[union-attr]
    return found.index


PROPS_URI = f"{API}/app/v2/device/get_property_list"


def test_volatile_fields_and_headers_do_not_decide_a_match() -> None:
    m = sdk_session()
    body = props(CAM, "WYZE_CAKP2JFUS", ts=99, nonce="x", requestid="r", signature2="s",
                 phone_id="00000000-0000-4000-8000-ffffffffffff")
    assert hit(post(m, PROPS_URI, body)) == 2


def test_client_build_fields_are_ignored_unless_strict() -> None:
    wyzeapy_style = props(CAM, "WYZE_CAKP2JFUS", sc="9f275790cab94a72bd206c8876429f3c",
                          sv="9d74946e652647e9b6c9d59326aef104", phone_system_type="1")
    assert hit(post(sdk_session(), PROPS_URI, wyzeapy_style)) == 2
    miss = post(sdk_session(strict_client_fields=True), PROPS_URI, wyzeapy_style)
    assert isinstance(miss, Miss)
    assert any(d.startswith("json.sc: differs") for d in miss.differences)


def test_any_value_of_the_placeholders_kind_is_accepted_and_bound_consistently() -> None:
    m = sdk_session()
    assert hit(post(m, PROPS_URI, props("AABBCCDDEEFF", "WYZE_CAKP2JFUS"))) == 2
    assert m.bindings[CAM] == "AABBCCDDEEFF"
    again = post(m, PROPS_URI, props("112233445566", "WYZE_CAKP2JFUS"))
    assert isinstance(again, Miss)
    assert any("json.device_mac" in d and "bound to another value" in d
               for d in again.differences)


def test_a_value_of_another_kind_is_refused_where_a_placeholder_is_recorded() -> None:
    found = post(sdk_session(), PROPS_URI, props("not-a-mac", "WYZE_CAKP2JFUS"))
    assert isinstance(found, Miss)
    assert "json.device_mac: the recording holds a MAC placeholder" in found.message()


def test_the_token_issued_by_a_replayed_login_is_accepted_by_the_requests_that_follow() -> None:
    m = sdk_session()
    login = post(m, "https://auth-prod.api.wyze.com/api/user/login",
                 json.dumps({"email": "me@example.com",
                             "password": "7f5f74be86aa53a4abffeeeb0a3c2750"}))
    issued = json.loads(login.interaction["response"]["body"]["string"])  # type: ignore[union-attr]
    listing = post(m, f"{API}/app/v2/home_page/get_object_list",
                   json.dumps({"access_token": issued["access_token"]}))
    assert hit(listing) == 1


def test_a_login_starts_a_new_session_so_other_credentials_are_accepted() -> None:
    m = sdk_session()
    uri = "https://auth-prod.api.wyze.com/api/user/login"
    for email in ("first@example.com", "second@example.com"):
        body = json.dumps({"email": email, "password": "7f5f74be86aa53a4abffeeeb0a3c2750"})
        assert hit(post(m, uri, body)) == 0


def test_identical_requests_replay_in_recorded_order_then_repeat_the_last() -> None:
    items = [interaction(f"{API}/app/x", {"a": 1}, answer=str(n)) for n in range(3)]
    m = matcher(*items)
    assert [hit(post(m, f"{API}/app/x", '{"a": 1}')) for _ in range(5)] == [0, 1, 2, 2, 2]


def test_repeat_cycle_starts_over_and_repeat_none_misses_when_used_up() -> None:
    items = [interaction(f"{API}/app/x", {"a": 1}) for _ in range(2)]
    cycle = matcher(*items, repeat="cycle")
    assert [hit(post(cycle, f"{API}/app/x", '{"a":1}')) for _ in range(4)] == [0, 1, 0, 1]
    none = matcher(*items, repeat="none")
    post(none, f"{API}/app/x", '{"a":1}')
    post(none, f"{API}/app/x", '{"a":1}')
    used_up = post(none, f"{API}/app/x", '{"a":1}')
    assert isinstance(used_up, Miss) and "repeat=none" in used_up.differences[0]


def test_unknown_repeat_mode_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="last, cycle, none"):
        MatchOptions(repeat="forever")


def test_a_miss_names_the_closest_recording_and_fields_but_never_a_value() -> None:
    m = sdk_session()
    found = post(m, PROPS_URI, props(CAM, "HL_CAM4", REAL_SECRET_TOKEN,
                                     secret_extra=REAL_SECRET_TOKEN))
    assert isinstance(found, Miss)
    text = found.message() + json.dumps(found.to_json())
    assert REAL_SECRET_TOKEN not in text and "HL_CAM4" not in text
    assert found.message().startswith("POST api.wyzecam.com/app/v2/device/get_property_list: ")
    assert "sdk_session.yaml::interaction 2" in found.message()
    assert set(found.differences) == {"json.device_model: differs from the recording",
                                      "json.secret_extra: in the request, not in the recording"}


def test_a_miss_on_an_unrecorded_path_points_at_the_nearest_recorded_endpoint() -> None:
    found = post(sdk_session(), f"{API}/app/v2/device/get_property_lists", "{}")
    assert isinstance(found, Miss)
    assert "nearest recorded endpoint is POST /app/v2/device/get_property_list" in \
        found.differences[0]


def test_a_recorded_host_must_match_but_a_local_host_matches_any() -> None:
    m = sdk_session()
    body = props(CAM, "WYZE_CAKP2JFUS")
    assert isinstance(post(m, "https://other.wyze.com/app/v2/device/get_property_list",
                           body, host="auth-prod.api.wyze.com"), Miss)
    assert hit(post(m, "http://127.0.0.1:8080/app/v2/device/get_property_list", body)) == 2


def test_query_parameters_and_form_fields_are_the_same_fields() -> None:
    recorded = interaction("https://auth-prod.api.wyze.com/user/login/sendSmsCode?"
                           "mfaPhoneType=Primary&sessionId=s1&userId=u1", {"nonce": "1"})
    m = matcher(recorded)
    assert hit(post(m, "https://auth-prod.api.wyze.com/user/login/sendSmsCode",
                    "mfaPhoneType=Primary&sessionId=s1&userId=u1")) == 0


def test_json_types_matter_true_is_not_1_is_not_the_string_1() -> None:
    m = matcher(interaction(f"{API}/app/x", {"a": True}))
    assert isinstance(post(m, f"{API}/app/x", '{"a": 1}'), Miss)
    assert isinstance(post(m, f"{API}/app/x", '{"a": "1"}'), Miss)
    assert hit(post(m, f"{API}/app/x", '{"a": true}')) == 0


def _big_index(size: int) -> Matcher:
    index = Index()
    for n in range(size):
        mac = f"0000{n:08X}"
        index.add("big.yaml", n, interaction(PROPS_URI, {
            "access_token": TOKEN, "device_mac": mac, "device_model": "HL_CAM4", "ts": n}))
    return Matcher(index)


def test_lookup_does_not_scan_the_recordings_of_an_endpoint() -> None:
    m = _big_index(20_000)
    rv_body = json.dumps({"access_token": TOKEN, "device_mac": f"0000{12345:08X}",
                          "device_model": "HL_CAM4"})
    found = post(m, PROPS_URI, rv_body)
    assert hit(found) == 12345
    from wyzeproto.match.fields import view
    resolve = m._resolver(m.state("big.yaml"))
    assert len(m.index.candidates(view("POST", PROPS_URI, rv_body), resolve)[0]) == 1


def test_per_request_cost_does_not_grow_with_the_cassette() -> None:
    def per_request(size: int) -> float:
        m = _big_index(size)
        bodies = [json.dumps({"access_token": TOKEN, "device_mac": f"0000{n % size:08X}",
                              "device_model": "HL_CAM4"}) for n in range(2000)]
        start = time.perf_counter()
        for body in bodies:
            post(m, PROPS_URI, body)
        return (time.perf_counter() - start) / len(bodies)

    small, large = per_request(100), per_request(20_000)
    assert large < small * 3, (small, large)


def test_the_servers_fast_lane_picks_what_the_general_path_picks() -> None:
    from wyzeproto.cassette.files import load_cassette

    fast, general = sdk_session(), sdk_session()
    for item in load_cassette(CASSETTES / "sdk_session.yaml").interactions:
        request = item["request"]
        parts = urlsplit(request["uri"])
        body = json.dumps({**json.loads(request["body"]), "ts": 5})
        via_fast = fast.match("POST", "127.0.0.1:9", parts.path, parts.query, body)
        via_general = general._match_general("POST", parts.netloc, parts.path, parts.query, body,
                                             parts.scheme)
        assert hit(via_fast) == hit(via_general)
    assert hit(fast.match("POST", "127.0.0.1:9", "/app/v2/device/get_property_list", "",
                          props("AABBCCDDEEFF", "WYZE_CAKP2JFUS"))) == 2


def test_a_body_in_another_key_order_takes_the_general_path_to_the_same_recording() -> None:
    m = matcher(interaction(f"{API}/app/x", {"a": True, "b": [1, "x"]}))
    for body in ('{"b": [1, "x"], "a": true}', '{"a": true, "b": [1, "x"]}'):
        assert hit(m.match("POST", "api.wyzecam.com", "/app/x", "", body)) == 0


def test_the_fast_lane_keeps_json_types_and_list_order_apart() -> None:
    m = matcher(interaction(f"{API}/app/x", {"a": True, "b": [1, "x"], "c": {}}))
    for body in ('{"a": 1, "b": [1, "x"], "c": {}}', '{"a": true, "b": [true, "x"], "c": {}}',
                 '{"a": true, "b": [1.0, "x"], "c": {}}', '{"a": true, "b": ["x", 1], "c": {}}',
                 '{"a": true, "b": [1, "x"], "c": []}', '{"a": true, "b": [1, "x"]}'):
        assert isinstance(m.match("POST", "api.wyzecam.com", "/app/x", "", body), Miss)
    assert hit(m.match("POST", "api.wyzecam.com", "/app/x", "",
                       '{"a": true, "b": [1, "x"], "c": {}}')) == 0


def test_the_fast_lane_accepts_a_bound_real_value_and_refuses_another() -> None:
    m = sdk_session()
    real = props("AABBCCDDEEFF", "WYZE_CAKP2JFUS")
    path = "/app/v2/device/get_property_list"
    assert hit(m.match("POST", "127.0.0.1:9", path, "", real)) == 2  # binds
    assert hit(m.match("POST", "127.0.0.1:9", path, "", real)) == 2  # one probe
    other = m.match("POST", "127.0.0.1:9", path, "",
                    props("112233445566", "WYZE_CAKP2JFUS"))
    assert isinstance(other, Miss)
    assert any("bound to another value" in d for d in other.differences)


_VALUES = st.sampled_from([True, 1, 1.0, "1", None, [], {}, [1], [True], ["1", 1], CAM, PLUG,
                           TOKEN, "AABBCCDDEEFF", REAL_SECRET_TOKEN, "abc"])
_BODIES = st.dictionaries(st.sampled_from(["a", "b", "ts", "sc"]), _VALUES, max_size=3)


@settings(max_examples=300, deadline=None)
@given(recorded=st.lists(_BODIES, min_size=1, max_size=4),
       requests=st.lists(st.one_of(_BODIES, st.integers(0, 3)), max_size=8),
       repeat=st.sampled_from(["last", "cycle", "none"]))
def test_the_fast_lane_answers_as_the_general_path_would(
    recorded: list[dict[str, Any]], requests: list[dict[str, Any] | int], repeat: str,
) -> None:
    items = [interaction(f"{API}/app/x", body, answer=str(n)) for n, body in enumerate(recorded)]
    fast, general = matcher(*items, repeat=repeat), matcher(*items, repeat=repeat)
    for request in requests:  # an int replays a recorded body, with a fresh volatile field
        body = {**recorded[request % len(recorded)], "ts": 7} if isinstance(request, int) \
            else request
        text = json.dumps(body)
        via_fast = fast.match("POST", "api.wyzecam.com", "/app/x", "", text, "https")
        via_general = general._match_general("POST", "api.wyzecam.com", "/app/x", "", text,
                                             "https")
        assert (via_fast.index if isinstance(via_fast, Recorded) else None) == \
            (via_general.index if isinstance(via_general, Recorded) else None), text
    assert fast.bindings == general.bindings


# Sessions: three made-up cassettes (an MFA-only one first, then two that log in plainly).
LOGIN_URI = "https://auth-prod.api.wyze.com/api/user/login"
LIST_URI = f"{API}/app/v2/home_page/get_object_list"
RECORDED_LOGIN = {"email": "user-0123456789@example.invalid",
                  "password": "REDACTED_password_hash_0123456789abcdef"}
TOKEN_B = "lvtx.REDACTED_access_token_bbbbbbbbbbbbbbbb"
TOKEN_C = "lvtx.REDACTED_access_token_cccccccccccccccc"


def _issued(token: str) -> str:
    return json.dumps({"access_token": token, "refresh_token": token.replace("access",
                                                                            "refresh"),
                       "mfa_options": None})


def sessions(key: bytes | None = None, **options: Any) -> tuple[Matcher, list[str]]:
    from wyzeproto.redact.pseudonym import Pseudonymizer

    index = Index()
    challenge = json.dumps({"access_token": "", "mfa_options": ["TotpVerificationCode"]})
    index.add("a-mfa.yaml", 0, interaction(LOGIN_URI, RECORDED_LOGIN, challenge))
    index.add("b-plain.yaml", 0, interaction(LOGIN_URI, RECORDED_LOGIN, _issued(TOKEN_B)))
    index.add("b-plain.yaml", 1, interaction(LIST_URI, {"access_token": TOKEN_B}, '"b"'))
    redact = Pseudonymizer(key or b"x").pseudonym
    redacted = {"email": redact("email", "me@example.com"),
                "password": redact("password_hash", "7f5f74be86aa53a4abffeeeb0a3c2750")}
    index.add("c-mine.yaml", 0, interaction(LOGIN_URI, redacted, _issued(TOKEN_C)))
    index.add("c-mine.yaml", 1, interaction(LIST_URI, {"access_token": TOKEN_C}, '"c"'))
    lines: list[str] = []
    return Matcher(index, key=key, on_login=lines.append, **options), lines


def login(m: Matcher, email: str = "someone@example.com") -> Recorded:
    found = post(m, LOGIN_URI, json.dumps({"email": email,
                                           "password": "7f5f74be86aa53a4abffeeeb0a3c2750"}))
    assert isinstance(found, Recorded), found.message()
    return found


def answer_to(m: Matcher, found: Recorded) -> str:
    token = json.loads(found.interaction["response"]["body"]["string"])["access_token"]
    listing = post(m, LIST_URI, json.dumps({"access_token": token, "ts": 3}))
    assert isinstance(listing, Recorded), listing.message()
    return str(listing.interaction["response"]["body"]["string"])


def test_a_plain_login_gets_the_first_session_whose_login_succeeded_and_the_log_says_so() -> None:
    m, lines = sessions()
    assert login(m).cassette == "b-plain.yaml"
    assert lines == ["POST auth-prod.api.wyze.com/api/user/login: login answered from session "
                     "b-plain.yaml (rule: plain login (first in load order that succeeded "
                     "without a second factor)); other sessions that could have: a-mfa.yaml, "
                     "c-mine.yaml"]


def test_a_login_with_the_recorded_credentials_once_redacted_with_the_key_gets_that_session(
) -> None:
    m, lines = sessions(key=b"made-up key")
    assert login(m, "me@example.com").cassette == "c-mine.yaml"
    assert "rule: credentials" in lines[0]
    assert login(m, "someone-else@example.com").cassette == "b-plain.yaml"


def test_requests_after_a_login_are_answered_from_the_session_that_issued_the_token() -> None:
    m, _ = sessions(key=b"made-up key")
    assert answer_to(m, login(m, "me@example.com")) == '"c"'
    assert answer_to(m, login(m)) == '"b"'


def test_two_clients_logged_in_at_once_get_independent_sessions() -> None:
    m, _ = sessions(key=b"made-up key")
    mine, theirs = login(m, "me@example.com"), login(m, "someone@example.com")
    for _ in range(3):
        assert (answer_to(m, mine), answer_to(m, theirs)) == ('"c"', '"b"')


REFRESH_URI = f"{API}/app/user/refresh_token"
TOKEN_D = "lvtx.REDACTED_access_token_dddddddddddddddd"


def one_session() -> Matcher:
    """One made-up session: a login, two device lists, a refresh, a list with the new token."""
    index = Index()
    refresh = {"access_token": TOKEN_B, "refresh_token": TOKEN_B.replace("access", "refresh")}
    for number, item in enumerate([
            interaction(LOGIN_URI, RECORDED_LOGIN, _issued(TOKEN_B)),
            interaction(LIST_URI, {"access_token": TOKEN_B}, '"first list"'),
            interaction(LIST_URI, {"access_token": TOKEN_B}, '"second list"'),
            interaction(REFRESH_URI, refresh, json.dumps({"data": json.loads(_issued(TOKEN_D))})),
            interaction(LIST_URI, {"access_token": TOKEN_D}, '"after refresh"')]):
        index.add("one.yaml", number, item)
    return Matcher(index)


def list_with(m: Matcher, token: str) -> str:
    found = post(m, LIST_URI, json.dumps({"access_token": token, "ts": 3}))
    assert isinstance(found, Recorded), found.message()
    return str(found.interaction["response"]["body"]["string"])


def tokens_of(found: Recorded) -> dict[str, str]:
    data = json.loads(found.interaction["response"]["body"]["string"])
    data = data.get("data", data)
    return {k: data[k] for k in ("access_token", "refresh_token")}


def test_two_clients_logged_in_with_the_same_credentials_walk_the_session_independently(
) -> None:
    m = one_session()
    first, second = tokens_of(login(m)), tokens_of(login(m))
    assert first["access_token"] != second["access_token"] != TOKEN_B
    assert len(first["access_token"]) == len(TOKEN_B)
    assert first["access_token"].startswith("lvtx.REDACTED_access_token_")
    assert list_with(m, first["access_token"]) == '"first list"'
    assert list_with(m, second["access_token"]) == '"first list"'
    assert list_with(m, second["access_token"]) == '"second list"'
    assert list_with(m, first["access_token"]) == '"second list"'


def test_a_refresh_hands_the_client_fresh_tokens_that_stay_in_its_walk() -> None:
    m = one_session()
    first, second = tokens_of(login(m)), tokens_of(login(m))
    list_with(m, first["access_token"])
    refreshed = post(m, REFRESH_URI, json.dumps(first))
    assert isinstance(refreshed, Recorded), refreshed.message()
    new = tokens_of(refreshed)
    assert TOKEN_D not in new.values() and not set(new.values()) & set(first.values())
    assert list_with(m, new["access_token"]) == '"after refresh"'
    assert list_with(m, second["access_token"]) == '"first list"'  # its own walk, untouched
    recorded = next(r for r in m.index.recordings() if r.index == 3)
    assert refreshed.index == 3 and TOKEN_D in recorded.interaction["response"]["body"][
        "string"]  # the recording itself is left as it is


def test_with_fresh_tokens_the_fast_lane_answers_as_the_general_path_would() -> None:
    fast, general = one_session(), one_session()
    lane_hits: list[Recorded | None] = []
    walk_lane = fast._walk_lane
    fast._walk_lane = lambda *a: lane_hits.append(walk_lane(*a)) or lane_hits[-1]  # type: ignore

    def run(m: Matcher, via: Any) -> list[tuple[int, str]]:
        a, b = tokens_of(login(m)), tokens_of(login(m))
        out = []
        for body in (a, b, b, a, "refresh a", "a", b):
            if body == "refresh a":
                refreshed = via(m, REFRESH_URI, json.dumps(a))
                a = tokens_of(refreshed)
                out.append((refreshed.index, a["access_token"]))
                continue
            sent = {"access_token": (a if body == "a" else body)["access_token"], "ts": 9}
            found = via(m, LIST_URI, json.dumps(sent))
            out.append((hit(found), found.interaction["response"]["body"]["string"]))
        return out

    def general_path(m: Matcher, uri: str, body: str) -> Recorded | Miss:
        parts = urlsplit(uri)
        return m._match_general("POST", parts.netloc, parts.path, "", body, "https")

    assert run(fast, post) == run(general, general_path)
    assert any(lane_hits)


def test_a_client_resending_the_recorded_tokens_is_still_answered_from_the_session() -> None:
    m = one_session()
    login(m)
    assert list_with(m, TOKEN_B) == '"first list"'


def test_a_request_carrying_no_token_of_any_session_gets_the_explained_miss() -> None:
    m, _ = sessions()
    login(m)
    found = post(m, LIST_URI, json.dumps({"access_token": REAL_SECRET_TOKEN}))
    assert isinstance(found, Miss)
    assert "json.access_token: not a token any replayed login issued" in found.message()
    assert REAL_SECRET_TOKEN not in found.message()


def test_a_pinned_session_answers_every_login_and_an_unknown_one_lists_the_sessions() -> None:
    m, lines = sessions(key=b"made-up key", session="a-mfa")
    challenge = login(m, "me@example.com")
    assert challenge.cassette == "a-mfa.yaml" and "rule: pinned" in lines[0]
    with pytest.raises(ValueError, match=r"sessions: a-mfa.yaml, b-plain.yaml, c-mine.yaml"):
        sessions(session="nope")


def test_a_login_that_resends_the_recorded_placeholders_replays_in_recorded_order() -> None:
    m, lines = sessions()
    found = post(m, LOGIN_URI, json.dumps(RECORDED_LOGIN))
    assert isinstance(found, Recorded) and found.cassette == "a-mfa.yaml"
    assert "rule: credentials" in lines[0]


@settings(max_examples=300, deadline=None)
@given(recorded=st.lists(st.tuples(st.sampled_from(["a.yaml", "b.yaml"]), _BODIES),
                         min_size=1, max_size=5),
       requests=st.lists(st.one_of(_BODIES, st.integers(0, 4)), max_size=8))
def test_with_several_sessions_the_fast_lane_still_answers_as_the_general_path_would(
    recorded: list[tuple[str, dict[str, Any]]], requests: list[dict[str, Any] | int],
) -> None:
    def build() -> Matcher:
        index = Index()
        for n, (cassette, body) in enumerate(recorded):
            index.add(cassette, n, interaction(f"{API}/app/x", body, answer=str(n)))
        return Matcher(index)

    fast, general = build(), build()
    for request in requests:
        body = {**recorded[request % len(recorded)][1], "ts": 7} if isinstance(request, int) \
            else request
        text = json.dumps(body)
        via_fast = fast.match("POST", "api.wyzecam.com", "/app/x", "", text, "https")
        via_general = general._match_general("POST", "api.wyzecam.com", "/app/x", "", text,
                                             "https")
        assert (via_fast.index if isinstance(via_fast, Recorded) else None) == \
            (via_general.index if isinstance(via_general, Recorded) else None), text
