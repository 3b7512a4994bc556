"""Rebuild a recorded request with the client, from the inputs the recording holds.

``plan(client, interaction)`` returns a no-argument call that makes the client send the same
request again (placeholders in, placeholders out), or None when the client does not speak
that endpoint. The client is set up first to speak as the recording did: its build fields
(``AppIdentity.from_body``) and the recorded ``access_token`` (a cassette of examples is not
always one session, so the token a replayed login issued is not assumed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from replay.client import API_HOST, IOS_APP_API_KEY, WyzeClient
from replay.results import MfaChallenge, Tokens
from wyzeproto.cassette.bodies import header
from wyzeproto.cassette.files import Interaction
from wyzeproto.envelope import AppIdentity

ENVELOPE_KEYS = {"sc", "sv", "app_ver", "app_name", "app_version", "phone_system_type", "ts",
                 "access_token", "phone_id"}
MFA_KEYS = {"mfa_type", "verification_id", "verification_code"}
Call = Callable[[], Any]


def _body(interaction: Interaction) -> dict[str, Any]:
    raw = interaction["request"].get("body")
    if not raw:
        return {}
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
    except ValueError:
        return dict(parse_qsl(text))
    return data if isinstance(data, dict) else {}


def _auth_call(client: WyzeClient, path: str, body: dict[str, Any],
               headers: dict[str, list[str]]) -> Call | None:
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    app_key = header(headers, "x-api-key") or IOS_APP_API_KEY
    if path == "/api/user/login":
        nonce = body.get("nonce")
        return lambda: client.login(email, password_hash=password,
                                    key_id=header(headers, "keyid") or "",
                                    api_key=header(headers, "apikey") or "",
                                    nonce=None if nonce is None else str(nonce))
    if path == "/user/login" and body.keys() >= MFA_KEYS:
        return lambda: client.verify_mfa(
            email, password_hash=password, mfa_type=str(body["mfa_type"]),
            verification_id=str(body["verification_id"]),
            verification_code=str(body["verification_code"]), app_api_key=app_key)
    if path in ("/user/login", "/v2/user/login"):
        return lambda: client.login_with_app_key(email, password_hash=password,
                                                 app_api_key=app_key, path=path)
    return None


def plan(client: WyzeClient, interaction: Interaction, recorded_tokens: bool = True
         ) -> Call | None:
    """The client call that re-sends ``interaction``'s request, or None if unsupported.

    ``recorded_tokens=False`` (a live target) keeps the tokens a live login gave the client.
    """
    request = interaction["request"]
    parts = urlsplit(request["uri"])
    host, path = parts.netloc, parts.path
    if request["method"].upper() != "POST":
        return None
    body = _body(interaction)
    if host.startswith("auth-prod.api.wyze.com"):
        if path == "/user/login/sendSmsCode":
            query = dict(parse_qsl(parts.query)) or {k: str(v) for k, v in body.items()}
            challenge = MfaChallenge(query.get("userId"), ("PrimaryPhone",),
                                     sms_session_id=query.get("sessionId"))
            return lambda: client.send_sms_code(challenge)
        if path == "/v2/user/login/sendEmailCode":
            query = dict(parse_qsl(parts.query))
            email_challenge = MfaChallenge(query.get("userId"), ("Email",),
                                           email_session_id=query.get("sessionId"))
            return lambda: client.send_email_code(email_challenge)
        return _auth_call(client, path, body, request.get("headers") or {})
    if not host.startswith(API_HOST) or not path.startswith("/app/"):
        return None
    client.identity = AppIdentity.from_body(body, path)
    if "phone_id" in body:
        client.phone_id = str(body["phone_id"])
    token = body.get("access_token")
    if isinstance(token, str) and (recorded_tokens or client.tokens is None):
        # per-endpoint example cassettes are not one session: send what was recorded
        held = client.tokens
        client.tokens = Tokens(token, held.refresh_token if held else "",
                               held.user_id if held else None)
    extra = {k: v for k, v in body.items() if k not in ENVELOPE_KEYS}
    if path == "/app/user/login":
        rest = {k: v for k, v in extra.items() if k not in ("user_name", "password")}
        return lambda: client.login_2018(str(body.get("user_name", "")),
                                         password_hash=str(body.get("password", "")),
                                         identity=client.identity, host=host, extra=rest)
    if path == "/app/user/refresh_token":
        recorded = str(body.get("refresh_token", ""))
        live = client.tokens.refresh_token if client.tokens and not recorded_tokens else ""
        return lambda: client.refresh(live or recorded,
                                      include_access_token="access_token" in body, host=host)
    if path == "/app/v2/home_page/get_object_list" and not extra:
        return client.get_object_list
    if path == "/app/v2/device/get_property_list" and set(extra) == {
            "device_mac", "device_model", "target_pid_list"}:
        return lambda: client.get_property_list(extra["device_mac"], extra["device_model"],
                                                extra["target_pid_list"])
    return lambda: client.call(path, extra, host=host)
