"""A value's later, better placeholder replaces its earlier one in the whole cassette.

A value found first by its look, under an unknown field or in a URL, and only later under the
field the policy names for it, is written with one placeholder everywhere once the cassette
is closed: through the recorder (what the capture addon runs), through ``import`` from a HAR,
and through real mitmdump. Every value here is made up for these tests, in real shapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import requests

from tests.harness.tls_upstream import serve_tls
from wyzeproto.capture.importer import import_files
from wyzeproto.capture.recorder import Exchange, HostFilter, Recorder
from wyzeproto.cassette import bodies
from wyzeproto.cassette.files import CassetteWriter, load_cassette
from wyzeproto.redact import Pseudonymizer, Redactor, lint
from wyzeproto.redact.supersede import Replacer
from wyzeproto.schema.validate import check_interaction

# Made up: a refresh token in the cloud's 'lvtx.' look, a MAC, an email, a name.
REFRESH = "lvtx.kJ8sQ2mZp4Xv7Rt1Lw9Nb3Hc6Fd0Ga5YeQ"
ACCESS = "lvtx.Tz4Wq8Ln2Bv6Hc0Mx5Rp9Ks3Dy7Fg1JaU"
MAC = "2CAA8E1F3B7D"
EMAIL = "dana.whitfield@wyze-test.net"
NAME = "Dana Whitfield"
LOGIN = "https://auth-prod.api.wyze.com/api/user/login"
ANY_PATH = "https://api.wyzecam.com/app/v2/widget/get_hint"
TOKEN_PLACEHOLDER = re.compile(r"lvtx\.REDACTED_[a-z_]+_[0-9a-f]{16}")


def login_reply() -> dict[str, Any]:
    return {"access_token": ACCESS, "refresh_token": REFRESH,
            "user_id": "b1946ac92492d2347c6235b4d2611184", "mfa_options": None,
            "mfa_details": None, "sms_session_id": None, "email_session_id": None}


def login() -> Exchange:
    # the developer key pair the login endpoint requires, made up in its shapes
    keys = [("keyid", "3f2a1b4c-1234-4abc-8def-0123456789ab"),
            ("apikey", "Xy7Qw3Er5Ty8Ui0Op2As4Df6Gh9Jk1Lz")]
    return exchange(LOGIN, login_reply(), {"email": EMAIL, "password": "0" * 32}, keys)


def exchange(url: str, reply: Any, body: Any = None, headers: list[tuple[str, str]] = (),
             reply_headers: list[tuple[str, str]] = ()) -> Exchange:
    raw = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
    sent = None if body is None else json.dumps(body).encode()
    request = [("Host", url.split("/")[2]), ("Content-Type", "application/json"), *headers]
    if sent is not None:
        request.append(("Content-Length", str(len(sent))))
    response = [("Content-Type", "application/json"), ("Content-Length", str(len(raw))),
                *reply_headers]
    return Exchange("POST", url, [(k.encode(), v.encode()) for k, v in request], sent, 200,
                    "OK", [(k.encode(), v.encode()) for k, v in response], raw)


def record(tmp_path: Path, *exchanges: Exchange) -> tuple[Path, list[dict[str, Any]], Redactor]:
    """Record the exchanges in one session; returns the file, what was written then, the
    redactor."""
    path = tmp_path / "session.yaml"
    redactor = Redactor(Pseudonymizer(b"late-kind test key, not secret"))
    recorder = Recorder(CassetteWriter(path), redactor, HostFilter(["*.wyze.com",
                                                                   "*.wyzecam.com"]), 10**7)
    written = [recorder.record(ex)[0] for ex in exchanges]
    recorder.close()
    return path, written, redactor


def every_form(text: str) -> list[str]:
    forms = [text, text.lower(), quote(text, safe=""), quote_plus(text), quote(text)]
    return forms + [quote(form, safe="") for form in forms]


def assert_nowhere(old: str, path: Path) -> None:
    text = path.read_text()
    for form in every_form(old):
        assert form not in text, f"{form!r} is still in the cassette"
        assert form.lower() not in text.lower()


def assert_sound(path: Path) -> list[dict[str, Any]]:
    """The cassette loads, leaks nothing, and says the length of every body it holds."""
    interactions = load_cassette(path).interactions
    for index, interaction in enumerate(interactions):
        assert lint.secret_findings(interaction) == [], index
        for side in (interaction["request"], interaction["response"]):
            body = side["body"] if side is interaction["request"] else side["body"]["string"]
            length = bodies.header(side["headers"], "content-length")
            if length is not None:
                assert int(length) == bodies.encoded_length(
                    body, bodies.header(side["headers"], "content-type")), index
    return interactions


def login_placeholder(interactions: list[dict[str, Any]]) -> str:
    login = [i for i in interactions if i["request"]["uri"] == LOGIN][-1]
    placeholder = json.loads(login["response"]["body"]["string"])["refresh_token"]
    assert placeholder.startswith("lvtx.REDACTED_refresh_token_")
    return placeholder


# Where the refresh token shows first: how the client sent it, before its own field.
FIRST_PLACES: dict[str, Callable[[], Exchange]] = {
    "free text in a body": lambda: exchange(
        ANY_PATH, {"code": "1", "hint": f"keep {REFRESH} to stay signed in"}),
    "an unknown field": lambda: exchange(ANY_PATH, {"code": "1", "widget_blob": REFRESH}),
    "a URL query": lambda: exchange(f"{ANY_PATH}?t={REFRESH}&sig={quote(REFRESH, safe='')}",
                                    {"code": "1"}),
    "an unknown header": lambda: exchange(ANY_PATH, {"code": "1"},
                                          headers=[("X-Session-Blob", REFRESH)]),
    "JSON inside a JSON string": lambda: exchange(
        ANY_PATH, {"code": "1", "payload": json.dumps({"blob": REFRESH, "n": 1})}),
}


@pytest.mark.parametrize("place", sorted(FIRST_PLACES))
def test_a_refresh_token_seen_first_elsewhere_has_its_fields_placeholder_everywhere(
    tmp_path: Path, place: str
) -> None:
    path, written, redactor = record(tmp_path, FIRST_PLACES[place](), login())

    early = set(TOKEN_PLACEHOLDER.findall(json.dumps(written[0])))
    assert early and not any("refresh_token" in p for p in early)  # the guess, on disk then
    text = path.read_text()
    for old in early:
        assert_nowhere(old, path)
    assert REFRESH not in text and REFRESH.lower() not in text.lower()
    interactions = assert_sound(path)
    new = login_placeholder(interactions)
    assert set(TOKEN_PLACEHOLDER.findall(json.dumps(interactions[0]))) == {new}
    assert redactor.superseded == {old: new for old in early}
    assert check_interaction(interactions[1]) == []


def test_a_mac_in_free_text_before_its_mac_field_is_one_placeholder(tmp_path: Path) -> None:
    path, _, _ = record(
        tmp_path,
        exchange(ANY_PATH, {"code": "1", "hint": f"camera {MAC.lower()} went offline"}),
        exchange(f"{ANY_PATH}?device={MAC}", {"code": "1", "note": f"{MAC} is back"}),
        exchange(ANY_PATH, {"code": "1", "data": {"mac": MAC, "product_model": "HL_CAM4"}}),
    )
    interactions = assert_sound(path)
    field = json.loads(interactions[2]["response"]["body"]["string"])["data"]["mac"]
    text = path.read_text()
    for form in (MAC, MAC.lower(), ":".join(MAC[i:i + 2] for i in range(0, 12, 2))):
        assert form not in text and form.lower() not in text.lower()
    found = re.findall(r"0000[0-9A-Fa-f]{8}", text)
    assert {mac.upper() for mac in found} == {field.upper()} and len(found) == 4


def test_an_email_in_a_path_before_its_email_field_is_one_placeholder(tmp_path: Path) -> None:
    path, _, _ = record(
        tmp_path,
        exchange(f"https://api.wyzecam.com/app/user/{quote(EMAIL)}/avatar", {"code": "1"}),
        login(),
    )
    interactions = assert_sound(path)
    field = json.loads(interactions[1]["request"]["body"])["email"]
    text = path.read_text()
    for form in every_form(EMAIL):
        assert form not in text
    found = re.findall(r"user-[0-9a-f]{10}@example\.invalid|user-[0-9a-f]{10}%40example",
                       text)
    assert set(found) == {field} and len(found) == 2


def test_a_name_masked_under_an_unknown_field_takes_its_nickname_placeholder(
    tmp_path: Path,
) -> None:
    path, written, redactor = record(
        tmp_path,
        exchange(f"https://api.wyzecam.com/app/user/{quote(NAME)}?shown={quote(NAME)}",
                 {"code": "1", "greeting_line": NAME, "welcome": f"Hello {NAME}, welcome"}),
        exchange(ANY_PATH, {"code": "1", "data": {"nickname": NAME}}),
    )
    (mask, new), = redactor.superseded.items()
    assert mask in json.dumps(written[0]) and " " in mask  # the shape of the name, on disk
    interactions = assert_sound(path)
    first = interactions[0]
    assert json.loads(first["response"]["body"]["string"])["greeting_line"] == new
    assert first["request"]["uri"] == f"https://api.wyzecam.com/app/user/{new}?shown={new}"
    assert NAME not in path.read_text()
    # inside a longer sentence it is another text's shape: that text keeps its own mask
    welcome = json.loads(first["response"]["body"]["string"])["welcome"]
    assert new not in welcome and len(welcome) == len(f"Hello {NAME}, welcome")


def test_a_late_placeholder_is_written_in_every_form_of_the_early_one() -> None:
    old, new = "lvtx.REDACTED_access_token_0123456789abcdef", "lvtx.REDACTED_refresh_token_0a"
    mask = "Xxzx Zzxx'z 7"
    replacer = Replacer({old: new, mask: "REDACTED_nickname_0b"})
    interaction = {
        "request": {"method": "GET", "uri": f"https://h/{quote(mask)}?q={quote_plus(mask)}",
                    "body": f"--b\r\nContent-Disposition: form-data; name=n\r\n\r\n{mask}\r\n--b",
                    "headers": {f"X-{old}": [f"Bearer {old}"], "Content-Length": ["1"]}},
        "response": {"status": {"code": 200, "message": old},
                     "headers": {"Content-Length": ["1"]},
                     "body": {"string": json.dumps({"a": json.dumps({"m": mask, "t": old})})}},
    }
    out = replacer.interaction(interaction)
    flat = json.dumps(out)
    assert old not in flat and mask not in flat and json.dumps(mask)[1:-1] not in flat
    assert out["request"]["headers"][f"X-{new}"] == [f"Bearer {new}"]
    assert out["request"]["uri"] == "https://h/REDACTED_nickname_0b?q=REDACTED_nickname_0b"
    assert out["response"]["status"]["message"] == new
    assert out["response"]["headers"]["Content-Length"] == [
        str(len(out["response"]["body"]["string"]))]
    assert interaction["request"]["headers"]["Content-Length"] == ["1"]  # input untouched
    assert replacer.data(b"raw " + old.encode()) == b"raw " + new.encode()
    assert replacer.text(f"{mask} and more") == f"{mask} and more"


def test_a_session_without_a_late_placeholder_is_closed_as_before(tmp_path: Path) -> None:
    path, written, redactor = record(tmp_path, login(), FIRST_PLACES["an unknown field"]())
    assert redactor.superseded == {}
    interactions = assert_sound(path)
    assert interactions == written  # the field came first: nothing to replace


def test_a_har_import_gives_a_token_from_a_query_its_fields_placeholder(
    tmp_path: Path,
) -> None:
    def entry(url: str, reply: str) -> dict[str, Any]:
        return {"request": {"method": "GET", "url": url, "headers": []},
                "response": {"status": 200, "statusText": "OK",
                             "headers": [{"name": "Content-Type", "value": "application/json"},
                                         {"name": "Content-Length", "value": str(len(reply))}],
                             "content": {"mimeType": "application/json", "text": reply}}}

    har = tmp_path / "session.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": [
        entry(f"{ANY_PATH}?t={REFRESH}", json.dumps({"code": "1", "hint": f"keep {REFRESH} safe"})),
        entry(LOGIN, json.dumps(login_reply())),
    ]}}))
    out = tmp_path / "imported.yaml"
    import_files([str(har)], str(out))

    interactions = assert_sound(out)
    new = login_placeholder(interactions)
    first = json.dumps(interactions[0])
    assert set(TOKEN_PLACEHOLDER.findall(first)) == {new} and first.count(new) == 2
    assert "REDACTED_access_token" not in first
    assert REFRESH not in out.read_text()


class LateFieldUpstream(BaseHTTPRequestHandler):
    """A loopback cloud that hands out the refresh token in free text, then in its field."""

    REPLIES = {
        "/app/v2/widget/get_hint": {"code": "1", "hint": f"keep {REFRESH} to stay signed in"},
        "/api/user/login": login_reply(),
    }

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps(self.REPLIES[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
def test_a_real_capture_rewrites_the_early_placeholder_when_mitmdump_stops(
    mitmdump_factory, tmp_path: Path
) -> None:
    server = serve_tls(LateFieldUpstream, tmp_path)
    port = server.server_port
    proxy = mitmdump_factory([
        "-s", "addons/capture.py",
        "--set", f"capture_dir={tmp_path / 'captures'}", "--set", "capture_name=late",
        "--map-remote", f"|^https://[^/]+/|https://127.0.0.1:{port}/",
    ])
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"https": proxy.proxy_url}
    session.verify = proxy.ca_cert
    assert session.post(ANY_PATH, json={"code": "1"}).ok
    assert session.post(LOGIN, json={"email": EMAIL, "password": "0" * 32}).ok
    log = proxy.stop()
    server.shutdown()

    path = tmp_path / "captures" / "late.yaml"
    interactions = assert_sound(path)
    new = login_placeholder(interactions)
    hint = json.loads(interactions[0]["response"]["body"]["string"])["hint"]
    assert TOKEN_PLACEHOLDER.findall(hint) == [new]
    assert "REDACTED_access_token" not in json.dumps(interactions[0])
    assert REFRESH not in path.read_text()
    assert "capture: 2 interaction(s) recorded" in log
