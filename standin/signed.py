"""Signature and token checks of the signed Wyze services in the stand-in, and their envelopes.

The signing itself lives in wyzeproto/signing.py (one implementation for client and
stand-in); this module decides what a service answers when a check fails:

- olive hosts (earth, sirius, platform, venus, scale, pluto, lockwood): the olive
  envelope `{code: 1, message: "Success", data, current, total, hash, isShowToast,
  toastMsg, instance_id}` (ha-wyzeapi issue #830). A bad or missing `signature2`, an
  unknown `appid` or a dead token answer `code 2001` in that envelope, because wyzeapy
  `check_for_errors_iot` and wyze-sdk `wyze_response.py` read 2001 as "refresh the token".
  INFERRED: no public capture shows an olive error body; the message text is the app API's.
- Ford (yd-saas-toc): `{ReqID, ErrNo, ErrMsg}`; `ErrNo 0` (an integer) on success, the
  string `"14008"` `PARAM_SIGN_INVALID` for a bad `sign` (wyze-sdk issues #139 and #174), the
  string `"17001"` `PARAM_TIMESTAMP_INVALID` for a missing timestamp (homebridge issue #164).
  A dead token: INFERRED `ErrNo "2001"` plus `code "2001"`, the field wyzeapy
  `check_for_errors_lock` reads to refresh.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from standin.calls import Call
from standin.replies import JSON_TYPE, Reply
from standin.sessions import Sessions
from standin.state import Account
from wyzeproto import signing

OLIVE_TOKEN_ERROR = 2001
OLIVE_TOKEN_MESSAGE = "access token is error"
FORD_SIGN_INVALID = ("14008", "PARAM_SIGN_INVALID")
FORD_TIMESTAMP_INVALID = ("17001", "PARAM_TIMESTAMP_INVALID")
FORD_TOKEN_INVALID = ("2001", "AccessTokenError")  # INFERRED (see the module docstring)
FORD_DEVICE_OFFLINE = ("3019", "DeviceIsOffline")  # INFERRED: the app API's offline code


def _json(payload: Any, status: int = 200) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, body, {"Content-Type": JSON_TYPE})


def olive(data: Any, code: int = 1, message: str = "Success", total: int = 1) -> Reply:
    """The olive envelope around `data`."""
    return _json({"code": code, "current": 1, "data": data, "hash": "1",
                  "instance_id": secrets.token_hex(16), "isShowToast": 0,
                  "message": message, "toastMsg": None, "total": total})


def olive_error(code: int = OLIVE_TOKEN_ERROR, message: str = OLIVE_TOKEN_MESSAGE) -> Reply:
    """An olive error: the envelope with `data: null` and the code."""
    return olive(None, code, message, total=0)


def unknown_device() -> Reply:
    """A device the account does not own. INFERRED: no public body shows the signed
    services' answer; this is the app API's 3005."""
    return olive_error(3005, "unauthorized operation")


def ford(payload: dict[str, Any] | None = None, err: tuple[str, str] | None = None) -> Reply:
    """The Ford envelope: `ErrNo 0` with the payload, or an error pair as strings."""
    body: dict[str, Any] = {"ReqID": secrets.token_hex(5)}
    if err is None:
        body.update({"ErrNo": 0, "ErrMsg": ""})
        body.update(payload or {})
    else:
        body.update({"ErrNo": err[0], "ErrMsg": err[1]})
        if err is FORD_TOKEN_INVALID:
            body["code"] = err[0]
    return _json(body)


def olive_params(call: Call) -> dict[str, Any]:
    """The parameters of an olive request: the query for GET, the JSON body otherwise."""
    if call.method == "GET":
        return dict(call.query)
    return call.json_body() or {}


def check_olive(call: Call, sessions: Sessions) -> Account | Reply:
    """The account of a correctly signed olive request, or the error Reply to send."""
    secret = signing.SECRETS_BY_APP_ID.get(call.header("appid") or "")
    token = call.header("access_token") or ""
    if secret is None:
        return olive_error()
    message = signing.signature2_message(call.method, call.body, call.query)
    if not signing.signature2_matches(call.header("signature2"), token, message, secret):
        return olive_error()
    account = sessions.account_for_access(token)
    return olive_error() if account is None else account


OliveHandler = Callable[[Account, dict[str, Any], Call], Reply]


def olive_checked(sessions: Sessions, handler: OliveHandler) -> Callable[[Call], Reply]:
    """`handler(account, params, call)` behind check_olive: a bad request gets its error."""
    def run(call: Call) -> Reply:
        checked = check_olive(call, sessions)
        if isinstance(checked, Reply):
            return checked
        return handler(checked, olive_params(call), call)
    return run


def ford_params(call: Call) -> dict[str, Any]:
    """A Ford request's parameters: the query for GET, else the JSON (or form) body."""
    if call.method == "GET":
        return dict(call.query)
    body = call.json_body()
    if body is not None:
        return body
    return dict(parse_qsl(call.body.decode("utf-8", "replace")))


def check_ford(call: Call, sessions: Sessions) -> tuple[Account, dict[str, Any]] | Reply:
    """The account and parameters of a correctly signed Ford request, or the error Reply."""
    params = ford_params(call)
    if not str(params.get("timestamp", "")).isdigit():
        return ford(err=FORD_TIMESTAMP_INVALID)
    if params.get("key") != signing.FORD_APP_KEY \
            or not signing.ford_sign_matches(call.method, call.path, params):
        return ford(err=FORD_SIGN_INVALID)
    account = sessions.account_for_access(signing.ford_access_token(params))
    if account is None:
        return ford(err=FORD_TOKEN_INVALID)
    return account, params
