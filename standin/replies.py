"""Response shapes of the Wyze cloud stand-in: the app API envelope and the auth host's errors.

Shapes and texts follow wyze-protocol-facts.md sections 2, 5 and 6. Where no public source
gives a value (the numeric code of the 2018 login's string errors, the text of a wrong MFA
code), the choice is marked INFERRED next to it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from standin.tokens import hex16, hex32, request_uuid

JSON_TYPE = "application/json;charset=utf-8"

# App API codes (strings on api.wyzecam.com) and their msg texts.
SUCCESS = "1"
PARAMETER_ERROR = "1001"
RATE_LIMITED = "1011"
ACCESS_TOKEN_ERROR = "2001"
REFRESH_TOKEN_ERROR = "2002"
UNAUTHORIZED = "3005"
DEVICE_OFFLINE = "3019"
MESSAGES = {
    PARAMETER_ERROR: "ParameterError",
    RATE_LIMITED: "system limit exceeded, please try again later.",
    ACCESS_TOKEN_ERROR: "access token is error",
    REFRESH_TOKEN_ERROR: "refresh token is error",
    UNAUTHORIZED: "unauthorized operation",
    DEVICE_OFFLINE: "DeviceIsOffline",
}
# INFERRED: no public source records the numeric code beside these 2018 msg strings.
OLD_LOGIN_ERROR_CODE = "1000"

# Auth host errorCode 1000 descriptions (facts section 6).
BAD_PASSWORD = "Invalid User Name or Password."
BAD_KEY = "Invalid credentials, please check username, password, keyid or apikey"
LOCKED = "Too many failed attempts. Please try again later."
# INFERRED: the bridge only records that a wrong MFA code is HTTP 400.
BAD_CODE = "Invalid verification code."
# INFERRED: no public capture of a malformed auth request.
BAD_PARAMETER = "Parameter error."


@dataclass
class Reply:
    """One HTTP answer: status, headers (name -> value) and the body as bytes."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body parsed as JSON (tests and in-process callers)."""
        return json.loads(self.body)


def _json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})


def envelope(now: float, data: dict[str, Any] | None = None, code: str = SUCCESS,
             msg: str | None = None) -> Reply:
    """The app API envelope `{ts, code, msg, data, traceId}`, HTTP 200 as the cloud does."""
    if msg is None:
        msg = "SUCCESS" if code == SUCCESS else MESSAGES.get(code, "")
    payload = {"ts": int(now * 1000), "code": code, "msg": msg, "data": data or {},
               "traceId": hex32()}
    return _json_reply(200, payload)


def app_error(now: float, code: str) -> Reply:
    """An app API error envelope with empty `data` and the documented msg for `code`."""
    return envelope(now, {}, code)


def old_login(now: float, data: dict[str, Any] | None, code: str = SUCCESS,
              msg: str = "") -> Reply:
    """The 2018 `/app/user/login` envelope: msg `""` on success, no traceId."""
    return _json_reply(200, {"ts": int(now * 1000), "code": code, "msg": msg, "data": data or {}})


def rate_headers(remaining: int, reset_by: float) -> dict[str, str]:
    """`x-ratelimit-remaining` and `x-ratelimit-reset-by` (`%a %b %d %H:%M:%S %Z %Y`, GMT)."""
    reset = time.strftime("%a %b %d %H:%M:%S GMT %Y", time.gmtime(reset_by))
    return {"x-ratelimit-remaining": str(max(remaining, 0)), "x-ratelimit-reset-by": reset}


def _cloudfront() -> dict[str, str]:
    return {"x-cache": "Error from cloudfront",
            "via": f"1.1 {hex16()}.cloudfront.net (CloudFront)"}


def auth_ok(payload: dict[str, Any], limit_headers: dict[str, str]) -> Reply:
    """A flat auth host success body with the rate-limit headers."""
    return _json_reply(200, payload, limit_headers)


def auth_error(description: str, limit_headers: dict[str, str], error_code: int = 1000,
               status: int = 400) -> Reply:
    """The auth host error: HTTP 400 `{errorCode, description, requestId}` via CloudFront."""
    payload = {"errorCode": error_code, "description": description,
               "requestId": request_uuid()}
    return _json_reply(status, payload, {**_cloudfront(), **limit_headers})


def too_many_requests(limit_headers: dict[str, str]) -> Reply:
    """HTTP 429 with an empty body (facts section 6) and the rate-limit headers."""
    return Reply(429, b"", dict(limit_headers))


def not_found(host: str, path: str) -> Reply:
    """No such endpoint in the stand-in: HTTP 404 naming what was asked."""
    text = f"stand-in: no endpoint {host}{path}; see Cloud.routes in standin/cloud.py"
    return _json_reply(404, {"code": "404", "msg": text, "data": {}})
