"""Rebuild a recorded request with the client, from the inputs the recording holds.

``plan(client, interaction)`` returns a no-argument call that makes the client send the same
request again (placeholders in, placeholders out), or None when the client does not speak
that endpoint. Logins and the app envelope go through the client's own methods; every other
catalog endpoint through ``service_call`` with the signing scheme its generation names
(``security`` in ``schemas/catalog.yaml``). The client is set up first to speak as the
recording did: its build fields (``AppIdentity.from_body``) and the recorded ``access_token``
(a cassette of examples is not always one session, so the token a replayed login issued is
not assumed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from replay.client import API_HOST, IOS_APP_API_KEY, WyzeClient
from replay.results import MfaChallenge, Tokens
from replay.signed import nonce as fresh_nonce
from wyzeproto import signing
from wyzeproto.cassette.bodies import header
from wyzeproto.cassette.files import Interaction
from wyzeproto.envelope import AppIdentity
from wyzeproto.schema.catalog import Catalog, load_catalog
from wyzeproto.schema.store import SchemaError

ENVELOPE_KEYS = {"sc", "sv", "app_ver", "app_name", "app_version", "phone_system_type", "ts",
                 "access_token", "phone_id"}
MFA_KEYS = {"mfa_type", "verification_id", "verification_code"}
# The generations whose calls the client makes with its own methods (logins, the envelope).
APP_GENERATIONS = ("auth-host", "app-api", "api-2018")
FRESH = ("nonce", "timestamp")  # the client's clock: new on every call to a live server
_CATALOG: Catalog | None = None
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
    if path in ("/user/login", "/v2/user/login", "/v3/user/login"):
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
    catalog = _catalog()
    endpoint = None if catalog is None else catalog.match(request["method"].upper(),
                                                          request["uri"])
    scheme = None if endpoint is None or catalog is None else catalog.generations[
        endpoint.generation].get("security")
    if scheme not in (None, "developer_key") or (
            endpoint is not None and endpoint.generation not in APP_GENERATIONS
            and not _is_envelope(_body(interaction))):
        return _signed_call(client, interaction, scheme, recorded_tokens)
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
    if endpoint is None and (not host.startswith(API_HOST) or not path.startswith("/app/")):
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


def _catalog() -> Catalog | None:
    """The toolkit's catalog, loaded once; None when it does not load (replay then speaks
    only the logins and the app envelope, and the runner reports the broken catalog)."""
    global _CATALOG
    if _CATALOG is None:
        try:
            _CATALOG = load_catalog()
        except SchemaError:
            return None
    return _CATALOG


def _is_envelope(body: dict[str, Any]) -> bool:
    """The app envelope (sc/sv and the token in the body): kinesis speaks it off api.wyzecam."""
    return "sc" in body and "sv" in body


def _json_value(interaction: Interaction) -> Any:
    raw = interaction["request"].get("body")
    if not raw:
        return None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except ValueError:
        return dict(parse_qsl(text))


def _recorded_token(headers: dict[str, list[str]], params: dict[str, Any]) -> str | None:
    """The access token a signed request carried: a header, a Ford parameter, or Bearer."""
    token = header(headers, "access_token") or signing.ford_access_token(params)
    return token or signing.bearer_token(header(headers, "authorization"))


def _signed_call(client: WyzeClient, interaction: Interaction, scheme: str | None,
                 recorded_tokens: bool) -> Call:
    """A signed (or plain) service's call, by its generation's scheme: the recorded query
    and body go out as they were, signed afresh; a live target gets a fresh nonce/timestamp
    (the clock is what a server checks)."""
    request = interaction["request"]
    method, parts = request["method"].upper(), urlsplit(request["uri"])
    query: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
    body = _json_value(interaction)
    params = query if method == "GET" or not isinstance(body, dict) else body
    token = _recorded_token(request.get("headers") or {}, params)
    if token and (recorded_tokens or client.tokens is None):
        held = client.tokens
        client.tokens = Tokens(token, held.refresh_token if held else "",
                               held.user_id if held else None)
    if not recorded_tokens:
        for holder in (query, body if isinstance(body, dict) else {}):
            for name in FRESH:
                if name in holder:
                    holder[name] = fresh_nonce() if isinstance(holder[name], str) \
                        else int(fresh_nonce())
    return lambda: client.service_call(scheme, method, parts.netloc, parts.path,
                                       query=query or None, body=body)
