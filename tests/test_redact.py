"""Redaction: secrets never survive, placeholders keep their shape, and it is idempotent."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wyzeproto.redact import Pseudonymizer, Redactor, is_placeholder, lint
from wyzeproto.redact.detect import entropy

R = Redactor(Pseudonymizer(b"test-key-not-secret"))

TOKEN = "lvtx.Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1"
EMAIL = "jo.tester@gmail.com"
MAC = "2CAA8E4F1B9D"
HASH = "7f5f74be86aa53a4abffeeeb0a3c2750"
USER = "c3d1e5f7a9b24c6e8f0a1b3c5d7e9f02"  # made up


def exchange(body: dict, uri: str = "https://api.wyzecam.com/app/x", headers=None, resp=None):
    return {
        "request": {
            "method": "POST",
            "uri": uri,
            "body": json.dumps(body),
            "headers": headers or {"Content-Type": ["application/json"]},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {},
            "body": {"string": json.dumps(resp or {})},
        },
    }


def test_access_token_issued_by_login_equals_the_one_sent_later() -> None:
    login = R.interaction(exchange({"email": EMAIL}, resp={"access_token": TOKEN}))
    later = R.interaction(
        exchange({"access_token": TOKEN}, headers={"Authorization": [f"Bearer {TOKEN}"]})
    )
    issued = json.loads(login["response"]["body"]["string"])["access_token"]
    sent = json.loads(later["request"]["body"])["access_token"]
    assert issued == sent != TOKEN
    assert later["request"]["headers"]["Authorization"] == [f"Bearer {issued}"]


def test_placeholders_keep_the_shape_the_protocol_constrains() -> None:
    out = json.loads(
        R.interaction(
            exchange(
                {
                    "access_token": TOKEN,
                    "email": EMAIL,
                    "device_mac": MAC,
                    "password": HASH,
                    "phone_id": "3f2a1b4c-1234-4abc-8def-0123456789ab",
                    "ip": "10.1.2.3",
                    "mac": "2c:aa:8e:4f:1b:9d",
                    "p2p_id": "ABCDEFGHJKLMNPQRSTUV",
                    "latitude": 47.6,
                }
            )
        )["request"]["body"]
    )
    assert out["access_token"].startswith("lvtx.REDACTED_access_token_")
    assert re.fullmatch(r"user-[0-9a-f]{10}@example\.invalid", out["email"])
    assert re.fullmatch(r"0000[0-9A-F]{8}", out["device_mac"])
    assert re.fullmatch(r"REDACTED_password_hash_[0-9a-f]{16}", out["password"])
    assert re.fullmatch(r"00000000-0000-4000-8000-[0-9a-f]{12}", out["phone_id"])
    assert out["ip"].startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert re.fullmatch(r"00:00(:[0-9a-f]{2}){4}", out["mac"])
    assert re.fullmatch(r"ZZZZ[0-9A-F]{16}", out["p2p_id"])
    assert out["latitude"] == 0.0


def test_same_mac_under_different_fields_and_in_a_url_path_gets_one_placeholder() -> None:
    out = R.interaction(
        exchange(
            {"device_mac": MAC, "list": [{"mac": MAC}], "instance_id": MAC},
            uri=f"https://webrtc.api.wyze.com/signaling/device/{MAC}?use_trickle=true",
        )
    )
    body = json.loads(out["request"]["body"])
    placeholder = body["device_mac"]
    assert body["list"][0]["mac"] == body["instance_id"] == placeholder
    assert out["request"]["uri"] == (
        f"https://webrtc.api.wyze.com/signaling/device/{placeholder}?use_trickle=true"
    )


def test_public_app_constants_are_kept() -> None:
    body = {
        "sc": "9f275790cab94a72bd206c8876429f3c",
        "sv": "9d74946e652647e9b6c9d59326aef104",
        "app_ver": "com.hualai.WyzeCam___2.18.43",
        "app_name": "com.hualai.WyzeCam",
    }
    headers = {
        "X-API-Key": ["WMXHYf79Nr5gIlt3r0r7p9Tcw5bvs6BB4U8O8nGJ"],
        "User-Agent": ["wyze_android_2.19.14"],
        "appid": ["9319141212m2ik"],
    }
    out = R.interaction(exchange(body, headers=headers))
    assert json.loads(out["request"]["body"]) == body
    assert out["request"]["headers"] == headers


def test_a_users_own_api_key_in_x_api_key_is_redacted() -> None:
    out = R.interaction(exchange({}, headers={"X-API-Key": ["abcDEF123456ghiJKL789mno"]}))
    assert out["request"]["headers"]["X-API-Key"][0].startswith("REDACTED_api_key_")


def test_cookies_form_bodies_query_strings_and_json_inside_json_are_redacted() -> None:
    interaction = {
        "request": {
            "method": "POST",
            "uri": f"https://auth-prod.api.wyze.com/user/login/sendSmsCode?userId={USER}&x=1",
            "body": f"mfaPhoneType=Primary&sessionId=s3ss10n-{HASH}&userId={USER}",
            "headers": {
                "Content-Type": ["application/x-www-form-urlencoded"],
                "Cookie": [f"sid={TOKEN}; theme=dark"],
            },
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Set-Cookie": [f"sid={TOKEN}; Path=/; HttpOnly"]},
            "body": {
                "string": json.dumps({"data": {"event_params": json.dumps({"email": EMAIL})}})
            },
        },
    }
    out = R.interaction(interaction)
    text = json.dumps(out)
    for secret in (TOKEN.split(".")[1], EMAIL, HASH, USER, "s3ss10n"):
        assert secret not in text
    assert re.fullmatch(
        # one placeholder per value: the token in the cookie is the one issued elsewhere
        r"sid=(?:lvtx\.)?REDACTED_\w+; theme=REDACTED_cookie_\w+",
        out["request"]["headers"]["Cookie"][0],
    )
    assert out["response"]["headers"]["Set-Cookie"][0].endswith("; Path=/; HttpOnly")
    # default deny keeps a value the schemas publish (an enum), and nothing else unlisted
    assert "mfaPhoneType=Primary&" in out["request"]["body"]


def test_content_length_is_fixed_after_a_body_changes() -> None:
    interaction = exchange({"email": EMAIL})
    interaction["request"]["headers"]["Content-Length"] = ["999"]
    out = R.interaction(interaction)
    assert out["request"]["headers"]["Content-Length"] == [str(len(out["request"]["body"]))]


def test_an_unchanged_body_keeps_its_exact_bytes() -> None:
    body = '{"sc":"9f275790cab94a72bd206c8876429f3c",  "ts": 1}'
    interaction = exchange({})
    interaction["request"]["body"] = body
    assert R.interaction(interaction)["request"]["body"] == body


def test_input_interaction_is_not_modified() -> None:
    interaction = exchange({"email": EMAIL}, headers={"Authorization": [TOKEN]})
    before = json.dumps(interaction, sort_keys=True)
    R.interaction(interaction)
    assert json.dumps(interaction, sort_keys=True) == before


def test_a_different_key_gives_different_placeholders() -> None:
    other = Redactor(Pseudonymizer(b"another-key"))
    assert other.value("access_token", TOKEN) != R.value("access_token", TOKEN)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Pseudonymizer(b"")


# -- property-based: secrets planted anywhere never survive ---------------------------------

hexstr = st.text("0123456789abcdef", min_size=32, max_size=32)
b64 = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=24, max_size=40
)
looks_secret = st.one_of(
    hexstr,
    # random keys and tokens, as servers issue them (a low-entropy string in an unknown field is
    # not a token by look; named fields are covered by the policy below)
    b64.filter(lambda s: any(c.isdigit() for c in s) and entropy(s) >= 3.5),
    st.builds(
        lambda a, b: f"{a}@{b}.com",
        st.from_regex(r"[a-z]{3,10}", fullmatch=True),
        st.from_regex(r"[a-z]{3,8}", fullmatch=True),
    ),
    st.from_regex(r"[1-9A-F][0-9A-F]{11}", fullmatch=True),  # MAC
).filter(lambda s: not is_placeholder(s))
# values under policy field names may look like anything (e.g. a short nickname)
any_value = st.from_regex(r"Zq[a-z0-9]{6,12}", fullmatch=True)
policy_keys = st.sampled_from(
    [
        "access_token",
        "refreshToken",
        "nickname",
        "ssid",
        "enr",
        "user_id",
        "phone-id",
        "password",
        "signature2",
        "push_token",
    ]
)
names = st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True).filter(
    lambda k: k not in {"code", "msg"}
)


@st.composite
def planted(draw: st.DrawFn) -> tuple[dict, list[str]]:
    secrets: list[str] = []

    def leaf() -> tuple[str, str]:
        if draw(st.booleans()):
            value = draw(looks_secret)
            secrets.append(value)
            return draw(names), value
        value = draw(any_value)
        secrets.append(value)
        return draw(policy_keys), value

    def tree(depth: int) -> dict:
        node: dict = {}
        for _ in range(draw(st.integers(1, 3))):
            if depth and draw(st.booleans()):
                node[draw(names)] = [tree(depth - 1)] if draw(st.booleans()) else tree(depth - 1)
            elif depth and draw(st.integers(0, 4)) == 0:  # JSON inside a JSON string
                node[draw(names)] = json.dumps(tree(depth - 1))
            else:
                key, value = leaf()
                node[key] = value
        return node

    body = tree(draw(st.integers(0, 4)))
    header_name, header_value = draw(names), draw(looks_secret)
    secrets.append(header_value)
    query_key, query_value = leaf()
    resp = tree(2)
    interaction = {
        "request": {
            "method": "POST",
            "uri": f"https://api.wyzecam.com/app/v2/x?{query_key}={query_value}",
            "body": json.dumps(body),
            "headers": {header_name.title(): [header_value], "Content-Type": ["application/json"]},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {},
            "body": {"string": json.dumps(resp)},
        },
    }
    return interaction, secrets


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_planted_secrets_never_survive_redaction(case: tuple[dict, list[str]]) -> None:
    interaction, secrets = case
    out = json.dumps(R.interaction(interaction))
    for secret in secrets:
        assert secret not in out, secret


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_redaction_is_idempotent_and_lint_clean(case: tuple[dict, list[str]]) -> None:
    once = R.interaction(case[0])
    assert R.interaction(once) == once
    assert lint.secret_findings(once) == []


@given(looks_secret, st.sampled_from(["access_token", "mac", "email", "token", "nickname"]))
def test_the_same_secret_always_maps_to_the_same_placeholder(secret: str, kind: str) -> None:
    session = Redactor(Pseudonymizer(b"test-key-not-secret"))
    first = session.value(kind, secret)
    assert first == Redactor(Pseudonymizer(b"test-key-not-secret")).value(kind, secret)
    assert session.value(kind, first) == first
    assert session.value("cookie", secret) == first  # one placeholder per value in a session


def _shape(text: str) -> str:
    return "".join("A" if c.isupper() else "a" if c.isalpha() else "9" if c.isdigit() else c
                   for c in text)


@pytest.mark.parametrize("text", ["Grandma's 2nd floor room", "Mary Ann Zqtester",
                                  "Porch light, left of the door!", "客厅 摄像头 2"])
def test_free_text_under_an_unknown_field_keeps_its_shape_and_loses_its_words(text: str) -> None:
    out = R.field("given_label", text)
    assert out != text
    assert _shape(out) == _shape(text)  # length, character classes and word breaks
    assert not set(text.split()) & set(out.split())
    assert R.field("given_label", out) == out  # idempotent
    assert Redactor(Pseudonymizer(b"another-key")).field("given_label", out) == out  # lint-clean
    assert R.field("another_label", text) == out  # one placeholder per value


def test_a_secret_inside_free_text_becomes_its_own_placeholder() -> None:
    bare = TOKEN.partition(".")[2]  # a token with no prefix: known only by its field
    text = f"ask Zqjo at {EMAIL} about cam {MAC.lower()} token {bare} soon"
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    issued = redactor.field("access_token", bare)  # the login that issued it came first
    out = redactor.field("given_label", text)
    words = out.split()
    assert words[3] == redactor.field("email", EMAIL) and words[3].endswith("@example.invalid")
    assert words[6] == redactor.field("mac", MAC.lower()) and is_placeholder(words[6])
    assert words[8] == issued
    assert _shape(" ".join(words[:3])) == _shape("ask Zqjo at")
    assert EMAIL not in out and MAC.lower() not in out and bare not in out
    assert lint.secret_findings(exchange({"given_label": text}))
    assert lint.secret_findings(exchange({"given_label": out})) == []


def _access_token_places(first_in_text: bool) -> list[str]:
    # One recording: an error message naming the token by look only, and a request sending it
    # under its field, in either order (the token is made up).
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    in_text = exchange({"nonce": 1}, resp={"code": "2001",
                                           "msg": f"access token {TOKEN} is expired"})
    in_field = exchange({"access_token": TOKEN})
    order = [in_text, in_field] if first_in_text else [in_field, in_text]
    written = [redactor.interaction(i) for i in order]
    bodies = [json.loads(w["request"]["body"]) | json.loads(w["response"]["body"]["string"])
              for w in written]
    by_field = next(b["access_token"] for b in bodies if "access_token" in b)
    in_message = next(b["msg"] for b in bodies if "msg" in b).split()[2]
    return [by_field, in_message]


@pytest.mark.parametrize("first_in_text", [True, False])
def test_a_token_found_in_free_text_gets_the_placeholder_its_field_gives_it(
        first_in_text: bool) -> None:
    by_field, in_message = _access_token_places(first_in_text)
    assert by_field.startswith("lvtx.REDACTED_access_token_")
    assert in_message == by_field


def test_a_token_in_a_cookie_before_its_field_gets_the_field_placeholder() -> None:
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    cookie = redactor.header("Cookie", f"session={TOKEN}")
    assert cookie == f"session={redactor.field('access_token', TOKEN)}"


def test_a_tutk_uid_under_p2p_id_gets_the_p2p_id_placeholder_after_its_look_was_seen() -> None:
    uid = "JYU4M454HR734H9P8YCP"  # made up, in the 20-character TUTK shape
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    assert redactor.text(f"uid {uid} offline").split()[1].startswith("REDACTED_token_")
    body = json.loads(redactor.json_text(json.dumps({"device_params": {"p2p_id": uid}})) or "")
    assert re.fullmatch(r"ZZZZ[0-9A-F]{16}", body["device_params"]["p2p_id"])


def test_a_product_prefix_before_an_id_under_a_mac_field_is_kept() -> None:
    out = Redactor(Pseudonymizer(b"test-key-not-secret")).field("mac", "JA_RO2_7C78B2A1C3D4")
    assert out.startswith("JA_RO2_") and "7C78B2A1C3D4" not in out


def test_a_word_denied_as_a_value_elsewhere_stays_as_an_object_key() -> None:
    # wyzeapy's HMS body is a top-level list of objects keyed 'state'; 'state' as a value
    # under an unknown field is denied, which must not rename the key.
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    redactor.json_text(json.dumps({"given_label": "state"}))
    body = redactor.json_text(json.dumps([{"state": "home", "active": 0}]))
    assert json.loads(body or "")[0].keys() == {"state", "active"}


def test_an_object_key_that_looks_like_a_personal_value_is_still_replaced() -> None:
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    redactor.json_text(json.dumps({"given_label": "K7X2QZ"}))  # denied, and not a word
    body = redactor.json_text(json.dumps({MAC.lower(): 1, EMAIL: 2, "K7X2QZ": 3}))
    assert not {MAC.lower(), EMAIL, "K7X2QZ"} & json.loads(body or "").keys()


def test_a_guess_seen_again_after_its_field_gets_the_field_placeholder() -> None:
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    guessed = {"note": "K7X2QZ99", "size": 3}  # made up: an id under a field nobody listed
    first = json.loads(redactor.json_text(json.dumps(guessed)) or "")["note"]
    by_field = json.loads(redactor.json_text(json.dumps({"user_id": "K7X2QZ99"})) or "")
    again = json.loads(redactor.json_text(json.dumps(guessed)) or "")["note"]
    assert first.startswith("REDACTED_value_")
    assert again == by_field["user_id"] and again.startswith("REDACTED_user_id_")


_OLD_TEXT_MASK = re.compile(r"[xzXZ79]+(?: [xzXZ79]+)+")  # quadratic on a long run of 'x'


@given(st.text(alphabet="xzXZ79 a.-\n", max_size=80))
def test_the_linear_text_mask_finds_what_the_plain_pattern_found(text: str) -> None:
    from wyzeproto.redact.kinds import TEXT_MASK

    assert [m.span() for m in TEXT_MASK.finditer(text)] == [
        m.span() for m in _OLD_TEXT_MASK.finditer(text)]
    assert bool(TEXT_MASK.fullmatch(text)) == bool(_OLD_TEXT_MASK.fullmatch(text))


@given(st.text(alphabet="xzXZ79 0.-_@:REDACTusr", max_size=80))
def test_every_placeholder_is_found_where_the_plain_text_mask_found_it(text: str) -> None:
    from wyzeproto.redact.kinds import PLACEHOLDER, TEXT_MASK

    old = re.compile(PLACEHOLDER.pattern.replace(TEXT_MASK.pattern, _OLD_TEXT_MASK.pattern))
    assert old.pattern != PLACEHOLDER.pattern
    assert [m.span() for m in PLACEHOLDER.finditer(text)] == [
        m.span() for m in old.finditer(text)]
