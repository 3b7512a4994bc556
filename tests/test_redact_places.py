"""Default-deny redaction, attacked: personal values of every kind planted in every place.

Each example plants made-up personal values (drawn at random; none is real) in one or more
of the places a value can hide, redacts the interaction and requires that no form of any of
them survives (raw, lower or upper case, URL-encoded once or twice), that the linter flags
the unredacted copy, and that the linter flags nothing in the redacted copy.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wyzeproto.redact import Pseudonymizer, Redactor, lint

KEY = b"test-key-not-secret"

# -- made-up personal values, one strategy per kind -------------------------------------------
_word = st.from_regex(r"[a-z]{4,9}", fullmatch=True)
email = st.builds(lambda a, b: f"{a}.zq@{b}.com", _word, _word)
mac_upper = st.from_regex(r"[1-9A-F][0-9A-F]{11}", fullmatch=True).filter(
    lambda s: any(c.isalpha() for c in s))
mac_lower = mac_upper.map(str.lower)
mac_colon = mac_upper.map(lambda m: ":".join(m[i:i + 2] for i in range(0, 12, 2)))
uuid = st.from_regex(r"[1-9a-f][0-9a-f]{7}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                     fullmatch=True)
token = st.from_regex(r"[A-Za-z0-9]{10}[0-9][A-Za-z][A-Za-z0-9]{16}", fullmatch=True).filter(
    lambda s: len(set(s)) > 14)
user_id = st.integers(2_000_000, 899_999_999).map(str)  # never an epoch time
phone = st.integers(2_000_000_000, 8_999_999_999).map(lambda n: f"1{n}")
ip = st.builds(lambda a, b, c: f"10.{a}.{b}.{c}", st.integers(1, 254), st.integers(1, 254),
               st.integers(1, 254))
name = st.builds(lambda a: f"Zq{a}", _word)  # a first name, a Wi-Fi password, an address line
coordinate = st.floats(min_value=-89, max_value=89).map(lambda f: round(f, 5)).filter(
    lambda f: abs(f) > 1 and len(repr(f).partition(".")[2]) >= 4)

# A device id with a product prefix (sirius 'LD_SS1_<MAC>', olive 'JA_RO2_<MAC>'): the value
# and the MAC inside it are both secrets.
prefixed_mac = st.builds(lambda p, m: (f"{p}_{m}", [f"{p}_{m}", m]),
                         st.sampled_from(["LD_SS1", "JA_RO2", "AN_RSCW"]), mac_upper)
# Free text: a secret of its own inside a sentence (only the secret counts: the words are
# made up), and a full name with a space that only default deny catches.
sentence = st.builds(lambda w, v: (f"ask {w} at {v} today", [v]), _word,
                     st.one_of(email, mac_lower, token))
full_name = st.builds(lambda a, b: (f"Zq{a} Zq{b}", [f"Zq{a} Zq{b}", f"Zq{a}", f"Zq{b}"]),
                      _word, _word)

# Kinds that carry their identity in their look: found even with no field name to go by.
LOOK = {"email": email, "mac_upper": mac_upper, "mac_lower": mac_lower, "mac_colon": mac_colon,
        "uuid": uuid, "token": token, "user_id": user_id, "phone": phone, "ip": ip,
        "prefixed_mac": prefixed_mac, "sentence": sentence}
# Kinds that only default deny catches: they look like nothing in particular.
ANY = {**LOOK, "name": name, "full_name": full_name}


def base() -> dict[str, Any]:
    return {
        "request": {"method": "POST", "uri": "https://api.wyzecam.com/app/v2/x",
                    "body": None, "headers": {"Content-Type": ["application/json"]}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                     "body": {"string": ""}},
    }


# -- places: each takes an interaction and a value and plants it -----------------------------
def _json_body(i: dict, v: Any) -> None:
    i["request"]["body"] = json.dumps({"data": {"device_list": [{"first_name": v}]}})


def _json_number(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = json.dumps({"data": {"contact": int(v)}})


def _json_key(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = json.dumps({"data": {"props": {v: {"on": True}}}})


def _json_in_string(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = json.dumps({"event_params": json.dumps({"addr": v})})


def _top_level_string(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = json.dumps(v)


def _bom(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = "\ufeff" + json.dumps({"serial_number": v})


def _query(i: dict, v: Any) -> None:
    i["request"]["uri"] = f"https://api.wyzecam.com/app/x?who={quote(str(v), safe='')}&a=1"


def _query_twice(i: dict, v: Any) -> None:
    i["request"]["uri"] = f"https://api.wyzecam.com/app/x?who={quote(quote(str(v), safe=''))}"


def _path(i: dict, v: Any) -> None:
    i["request"]["uri"] = f"https://api.wyzecam.com/app/device/{quote(str(v), safe='@:')}/x"


def _header(i: dict, v: Any) -> None:
    i["request"]["headers"]["X-Custom-Owner"] = [str(v)]


def _header_name(i: dict, v: Any) -> None:
    i["response"]["headers"][f"X-Device-{v}"] = ["1"]


def _cookie(i: dict, v: Any) -> None:
    i["request"]["headers"]["Cookie"] = [f"a=1; sid={v}"]


def _location(i: dict, v: Any) -> None:
    i["response"]["headers"]["Location"] = [f"https://x.wyze.com/cb?u={quote(str(v), safe='')}"]


def _reason(i: dict, v: Any) -> None:
    i["response"]["status"]["message"] = f"Not Found for {v}"


def _free_text(i: dict, v: Any) -> None:
    i["response"]["body"]["string"] = json.dumps({"msg": f"device {v} is offline"})


def _form(i: dict, v: Any) -> None:
    i["request"]["headers"] = {"Content-Type": ["application/x-www-form-urlencoded"]}
    i["request"]["body"] = f"nick={quote(str(v))}&x=1"


def _multipart(i: dict, v: Any) -> None:
    i["request"]["headers"] = {"Content-Type": ["multipart/form-data; boundary=zz"]}
    i["request"]["body"] = (f'--zz\r\nContent-Disposition: form-data; name="line1"\r\n\r\n{v}\r\n'
                            "--zz--\r\n")


def _gzip_upload(i: dict, v: Any) -> None:
    i["request"]["headers"] = {"Content-Type": ["application/gzip"]}
    i["request"]["body"] = gzip.compress(json.dumps({"wifi_pw": v}).encode())


def _utf16(i: dict, v: Any) -> None:
    i["response"]["headers"] = {"Content-Type": ["application/json"]}
    i["response"]["body"]["string"] = json.dumps({"address": f"{v} Rd"}).encode("utf-16-le")


def _binary(i: dict, v: Any) -> None:
    i["response"]["headers"] = {"Content-Type": ["application/octet-stream"]}
    i["response"]["body"]["string"] = b"\x00\x01\x89" + str(v).encode() + b"\xff"


Place = Callable[[dict, Any], None]
# (place, kinds it can hold): a field name or a parse tells default deny what the value is;
# places with nothing but free text around the value are read by look.
PLACES: list[tuple[Place, dict[str, st.SearchStrategy[str]]]] = [
    (_json_body, ANY), (_json_in_string, ANY), (_top_level_string, ANY), (_bom, ANY),
    (_query, ANY), (_query_twice, ANY), (_header, ANY), (_cookie, ANY), (_form, ANY),
    (_multipart, ANY), (_gzip_upload, ANY), (_utf16, ANY), (_binary, ANY),
    (_json_number, {"user_id": user_id, "phone": phone}),
    (_json_key, LOOK), (_path, LOOK), (_header_name, {k: LOOK[k] for k in
                                                    ("mac_upper", "mac_lower", "uuid", "token",
                                                     "user_id", "phone", "prefixed_mac")}),
    (_location, LOOK), (_reason, LOOK), (_free_text, LOOK),
]


@st.composite
def planted(draw: st.DrawFn) -> tuple[dict, list[str]]:
    interaction = base()
    secrets = []
    for index in draw(st.sets(st.integers(0, len(PLACES) - 1), min_size=1, max_size=4)):
        place, kinds = PLACES[index]
        value = draw(st.sampled_from(sorted(kinds)).flatmap(lambda k, kinds=kinds: kinds[k]))
        value, inside = value if isinstance(value, tuple) else (value, [value])
        place(interaction, value)
        secrets.extend(inside)
    if draw(st.booleans()):
        interaction["response"]["body"]["string"] = json.dumps(
            {"data": {"lat": draw(coordinate), "geo": {"coordinates": [draw(coordinate)] * 2}}})
    return interaction, secrets


def forms(secret: str) -> set[str]:
    return {secret, secret.lower(), secret.upper(), quote(secret, safe=""),
            quote(quote(secret, safe=""), safe="")}


def dumped(interaction: dict) -> str:
    def default(o: object) -> str:
        return o.decode("latin-1") if isinstance(o, bytes) else str(o)
    return json.dumps(interaction, default=default, ensure_ascii=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_no_planted_value_survives_in_any_form_and_the_linter_agrees(
    case: tuple[dict, list[str]],
) -> None:
    interaction, secrets = case
    redacted = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    text = dumped(redacted)
    for secret in secrets:
        for form in forms(secret):
            assert form not in text, (secret, form)
    assert lint.secret_findings(interaction), "the linter missed the unredacted copy"
    assert lint.secret_findings(redacted) == []
    for line in dumped(lint.secret_findings(interaction)).split(","):
        for secret in secrets:
            assert secret.lower() not in line.lower()  # a finding never prints a value


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_redacting_a_redacted_interaction_changes_nothing(case: tuple[dict, list[str]]) -> None:
    once = Redactor(Pseudonymizer(KEY)).interaction(case[0])
    assert Redactor(Pseudonymizer(KEY)).interaction(once) == once


def test_one_value_gets_one_placeholder_in_a_body_a_header_a_cookie_and_a_path() -> None:
    token = "Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1"
    interaction = base()
    interaction["request"]["uri"] = "https://api.wyzecam.com/app/user/12345678/x"
    interaction["request"]["body"] = json.dumps({"access_token": token, "user_id": "12345678"})
    interaction["request"]["headers"].update({"X-Access-Token": [token],
                                              "Cookie": [f"access_token={token}"]})
    out = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    body = json.loads(out["request"]["body"])
    placeholder = body["access_token"]
    assert out["request"]["headers"]["X-Access-Token"] == [placeholder]
    assert out["request"]["headers"]["Cookie"] == [f"access_token={placeholder}"]
    assert out["request"]["uri"] == f"https://api.wyzecam.com/app/user/{body['user_id']}/x"


def test_public_protocol_values_and_identity_free_values_stay_in_clear() -> None:
    body = {"code": "1", "msg": "SUCCESS", "ts": 1700000000000, "product_model": "WYZE_CAKP2JFUS",
            "firmware_ver": "4.36.11.5859", "conn_state": 1, "switch": True, "temp": 72.5,
            "event_ts": 1699999000000, "unknown_flag": "true", "pid_list": "P3,P5"}
    interaction = base()
    interaction["response"]["body"]["string"] = json.dumps(body)
    out = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    assert json.loads(out["response"]["body"]["string"]) == body


def test_unknown_fields_are_kept_with_their_values_pseudonymised_in_their_shape() -> None:
    interaction = base()
    interaction["response"]["body"]["string"] = json.dumps(
        {"first_name": "Zqalice", "serial": "2CAA8E4F1B9D", "owner_email": "jo.zq@mail.com",
         "contact_phone": 15551234567, "home": {"type": "Point", "coordinates": [-122.33207,
                                                                                  47.60621]}})
    out = json.loads(Redactor(Pseudonymizer(KEY)).interaction(interaction)
                     ["response"]["body"]["string"])
    assert out["first_name"].startswith("REDACTED_value_")
    assert out["serial"].startswith("0000") and len(out["serial"]) == 12
    assert out["owner_email"].endswith("@example.invalid")
    assert isinstance(out["contact_phone"], int) and len(str(out["contact_phone"])) == 11
    assert out["home"] == {"type": "Point", "coordinates": [0.0, 0.0]}


def test_an_unreadable_body_is_withheld_with_its_size_type_and_a_digest() -> None:
    interaction = base()
    _binary(interaction, "Zqsecret")
    out = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    marker = out["response"]["body"]["string"]
    assert marker.startswith("[wyze-toolkit: body withheld, 12 bytes of application/octet-stream")
    assert "Zqsecret" not in marker


# -- the signed services (issue 10): their personal values under the fields that carry them --
SIGNED_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "uuid": st.from_regex(r"[1-9a-f][0-9a-f]{31}", fullmatch=True),  # a Ford lock
    "keypad_uuid": st.from_regex(r"[1-9a-f][0-9a-f]{31}", fullmatch=True),
    "hms_id": st.from_regex(r"[1-9a-f][0-9a-f]{31}", fullmatch=True),
    "access_code": st.from_regex(r"[0-9]{4,8}", fullmatch=True),
    "schedule_name": name, "schedule_id": st.integers(10, 9_999),
    "location": name, "address": name, "city": name, "postal_code": st.just("98101-4417"),
    "map_id": st.integers(100, 999_999), "map_name": name, "user_map_name": name,
    "zone_name": name, "room_name": name,
    "weight": st.floats(40, 150).map(lambda f: round(f, 1)).filter(lambda f: f != int(f)),
    "bmi": st.floats(15, 40).map(lambda f: round(f, 1)).filter(lambda f: f != int(f)),
    "body_fat": st.floats(5, 45).map(lambda f: round(f, 1)).filter(lambda f: f != int(f)),
    "heart_rate": st.integers(40, 190), "age": st.integers(18, 99),
    "height": st.integers(140, 210), "family_member_id": user_id,
    "did": prefixed_mac.map(lambda pair: pair[0]),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(SIGNED_FIELDS)), st.just(None), min_size=1,
                       max_size=6).flatmap(lambda chosen: st.fixed_dictionaries(
                           {k: SIGNED_FIELDS[k] for k in chosen})))
def test_the_signed_services_personal_values_are_pseudonymised_and_the_linter_agrees(
        values: dict[str, Any]) -> None:
    interaction = base()
    interaction["response"]["body"]["string"] = json.dumps({"data": {"record": values}})
    redacted = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    out = json.loads(redacted["response"]["body"]["string"])["data"]["record"]
    for field, value in values.items():
        assert out[field] != value, field
        assert type(out[field]) is type(value), field  # a number stays a number
    assert lint.secret_findings(interaction)
    assert lint.secret_findings(redacted) == []


def test_a_sirius_did_with_a_prefixed_mac_in_a_query_is_redacted_and_linted() -> None:
    interaction = base()
    interaction["request"]["uri"] = ("https://wyze-sirius-service.wyzecam.com/plugin/sirius/"
                                     "get_iot_prop?did=LD_SS1_7C78B2A1C3D4&keys=iot_state")
    redacted = Redactor(Pseudonymizer(KEY)).interaction(interaction)
    assert "7C78B2A1C3D4" not in redacted["request"]["uri"]
    assert "?did=LD_SS1_0000" in redacted["request"]["uri"]  # the product prefix is kept
    assert "keys=iot_state" in redacted["request"]["uri"]
    assert lint.secret_findings(interaction) and not lint.secret_findings(redacted)


def test_an_id_low_in_entropy_is_caught_by_its_look_as_a_key_a_path_piece_and_in_text() -> None:
    # Made up: a device id with long runs of zeros passes the entropy test, not its shape.
    device = "000123478B0A0000000000569CDE"
    interaction = base()
    interaction["request"]["uri"] = f"https://api.wyzecam.com/app/device/{device}/x"
    interaction["response"]["body"]["string"] = json.dumps(
        {"msg": f"device {device} is offline", "props": {device: {"on": True}},
         "p1301": 1, "deviceModel12": 2})
    out = dumped(Redactor(Pseudonymizer(KEY)).interaction(interaction))
    assert device not in out and device.lower() not in out
    assert '\\"p1301\\"' in out and '\\"deviceModel12\\"' in out  # names stay names
    assert lint.secret_findings(interaction), "the linter missed it"
