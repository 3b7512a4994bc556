"""A validation finding never prints a secret: jsonschema echoes the values it rejects, so a
token, email, MAC, signed URL or password left in a cassette is shown as <kind, N chars>."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_validate import DEVICE, P2P_ID, REQUEST, cassette, exchange, ok_body, run
from wyzeproto.schema.check import unsecret

TOKEN = "lvtx.Zk3qP9xVb2Lm8NwR4tYc7HsJd1GfKa6E"
HASH = "a8f5f167f44f4964e6c998dee827110c"
EMAIL = "someone.real@gmail.com"
MAC = "A4:DA:22:C1:B2:C3"
SIGNED = "https://cdn.example.com/thumb.jpg?X-Amz-Signature=9f8e7d6c5b4a39281706f5e4d3c2b1a0"
LOGIN = "https://auth-prod.api.wyze.com/api/user/login"

# (what is wrong, the interaction, what the finding says instead of the secret, the secret)
LEAKS: dict[str, tuple[dict[str, Any], str, str]] = {
    "a token in an integer field": (
        exchange(ok_body([{**DEVICE, "conn_state": TOKEN}])),
        "$.data.device_list[0].conn_state: '<token, 37 chars>' is not of type 'integer'",
        TOKEN),
    "an email in an integer field": (
        exchange(ok_body([{**DEVICE, "user_role": EMAIL}])),
        "user_role: '<email, 22 chars>' is not of type 'integer'", EMAIL),
    "a MAC in a p2p_id (wrong pattern)": (
        exchange(ok_body([{**DEVICE, "device_params": {"p2p_id": MAC}}])),
        f"p2p_id: '<mac, 17 chars>' does not match '{P2P_ID}'", MAC),
    "a hash-like token in a timestamp": (
        exchange(request={**REQUEST, "ts": HASH}),
        "request::$.ts: '<token, 32 chars>'", HASH),
    "a signed URL in an integer field": (
        exchange(ok_body([{**DEVICE, "conn_state": SIGNED}])),
        "conn_state: '<signed_url, 82 chars>' is not of type 'integer'", SIGNED),
    "a plain-text password": (
        exchange({"errorCode": 1000, "description": "x"}, status=400, uri=LOGIN,
                 request={"email": "user-1a2b3c4d5e@example.invalid", "password": "hunter2"}),
        "request::$.password: '<password_hash, 7 chars>' is not valid under any", "hunter2"),
    "a token in a whole object that is echoed": (
        exchange(request=[{"access_token": TOKEN}]),
        "request::$: [{'access_token': '<token, 37 chars>'}] is not of type 'object'",
        TOKEN),
    "a MAC in the path of an undocumented endpoint": (
        exchange(uri="https://api.wyzecam.com/app/v9/device/A4DA22C1B2C3/nope"),
        "POST https://api.wyzecam.com/app/v9/device/<mac, 12 chars>/nope is not in the catalog",
        "A4DA22C1B2C3"),
}


@pytest.mark.parametrize("kind", sorted(LEAKS))
@pytest.mark.parametrize("flags", [(), ("-v",), ("--json",)], ids=["plain", "verbose", "json"])
def test_a_finding_about_an_unredacted_secret_does_not_print_it(
        kind: str, flags: tuple[str, ...], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    interaction, expected, secret = LEAKS[kind]
    code, out, err = run(capsys, cassette(tmp_path, interaction), *flags)
    assert code == 1
    assert secret not in out + err
    if "--json" in flags:
        messages = [f"{f['location']}::{f['path']}: {f['message']}"
                    for f in json.loads(out)["findings"]]
        assert any(expected in message for message in messages), messages
    else:
        assert expected in out


def test_placeholders_and_ordinary_values_stay_readable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ok_body([{**DEVICE, "conn_state": "0000A1B2C3D4",
                    "device_params": {"p2p_id": "lower-case-nope"}}])
    request = {**REQUEST, "ts": "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"}
    code, out, _ = run(capsys, cassette(tmp_path, exchange(bad, request=request)), "-v")
    assert code == 1
    assert "conn_state: '0000A1B2C3D4' is not of type 'integer'" in out
    assert f"p2p_id: 'lower-case-nope' does not match '{P2P_ID}'" in out
    assert "'lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b' is not" in out


def test_schema_text_in_a_message_is_left_alone() -> None:
    # A schema reference looks like a token to the detector; only quoted values are masked.
    message = ("not JSON where a JSON body is documented "
               "(api-2018/app/user/get_device_list.request.json)")
    assert unsecret(message) == message
    assert unsecret(f"'{HASH}' does not match '^0{{8}}[0-9a-f]{{24}}$'") == \
        "'<token, 32 chars>' does not match '^0{8}[0-9a-f]{24}$'"
