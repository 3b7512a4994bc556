"""The request signing of each signed Wyze service, implemented once for client and stand-in.

Restated from the public clients (wyze-protocol-facts.md section 3; wyze-sdk
`wyze_sdk/signature/__init__.py`, `wyze_sdk/service/base.py`, `service/ford_service.py`;
wyzeapy `wyzeapy/crypto.py`, `payload_factory.py`); tests/test_signing.py checks every
function here against those clients' own code paths.

- olive `signature2` (platform, earth, sirius, pluto, scale, HMS, membership, the v4 hosts):
  HMAC-MD5 keyed with md5hex(access_token + secret), where the secret belongs to the
  request's `appid`. The message is the exact request body for POST, or the query
  parameters sorted by name and joined as `k=v&k=v` for GET. A `nonce` (epoch ms) rides in
  the body or query; wyze-sdk's `requestid` header is md5hex(md5hex(str(nonce))).
- venus (the vacuum service): the same HMAC with its own appid and secret.
- web (`get-streams`, appid `strv_...`): the same HMAC with the web secret.
- Ford `sign` (the Yunding lock host): md5hex(quote_plus(method_lower + path + the
  parameters other than `sign`, sorted and joined as `k=v&k=v`, + the Ford secret)); the
  parameters carry `access_token` (GET, and wyzeapy's POST) or `accessToken` (wyze-sdk's
  POST), `key` (the Ford app key) and `timestamp` (epoch ms).
- webrtc signalling: no signature; `Authorization` carries the access token, as
  `Bearer <token>` (docker-wyze-bridge HEAD) or raw (older bridge builds, wyzeapy).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus

# One MD5-hex for passwords and signatures.
from wyzeproto.passwords import md5hex

OLIVE_APP_ID = "9319141212m2ik"
OLIVE_SECRET = "wyze_app_secret_key_132"
VENUS_APP_ID = "venp_4c30f812828de875"
VENUS_SECRET = "CVCSNoa0ALsNEpgKls6ybVTVOmGzFoiq"
WEB_APP_ID = "strv_e7f78e9e7738dc50"
WEB_SECRET = "gbJojEBViLklgwyyDikx5ztSvKBXI5oU"
FORD_APP_KEY = "275965684684dbdaf29a0ed9"
FORD_SECRET = "4deekof1ba311c5c33a9cb8e12787e8c"

# appid header -> the secret its signature2 is keyed with. The v3 login's appid
# (umgm_78ae6013d158c4a5) is absent on purpose: its secret was never published.
SECRETS_BY_APP_ID = {OLIVE_APP_ID: OLIVE_SECRET, VENUS_APP_ID: VENUS_SECRET,
                     WEB_APP_ID: WEB_SECRET}


def sorted_params(params: Mapping[str, object]) -> str:
    """Parameters sorted by name and joined as `k=v&k=v`, values as `str()` makes them."""
    return "&".join(f"{name}={params[name]}" for name in sorted(params))


def signature2(access_token: str, message: str | bytes, secret: str = OLIVE_SECRET) -> str:
    """The olive/venus/web `signature2`: HMAC-MD5(md5hex(access_token + secret), message)."""
    key = md5hex(f"{access_token}{secret}").encode()
    data = message.encode() if isinstance(message, str) else message
    return hmac.new(key, data, hashlib.md5).hexdigest()


def signature2_message(method: str, body: bytes, query: Mapping[str, object]) -> bytes:
    """What `signature2` covers: the sorted query for GET and PATCH, else the raw body.

    PATCH is signed over its query: HMS's one PATCH (wyzeapy base_service.py
    `_monitoring_profile_active`) signs the `hms_id` query and sends the JSON list unsigned.
    """
    if method.upper() in ("GET", "PATCH"):
        return sorted_params(query).encode()
    return body


def signature2_matches(signature: str | None, access_token: str, message: str | bytes,
                       secret: str) -> bool:
    """True when `signature` is the signature2 of `message` for this token and secret."""
    if not signature:
        return False
    return hmac.compare_digest(signature.lower(), signature2(access_token, message, secret))


def request_id(nonce: int | str) -> str:
    """wyze-sdk's `requestid` header for a nonce: md5hex(md5hex(str(nonce)))."""
    return md5hex(md5hex(str(nonce)))


def ford_sign(method: str, path: str, params: Mapping[str, object]) -> str:
    """The Ford `sign` parameter over every parameter except `sign` itself."""
    unsigned = {name: value for name, value in params.items() if name != "sign"}
    return md5hex(quote_plus(f"{method.lower()}{path}{sorted_params(unsigned)}{FORD_SECRET}"))


def ford_sign_matches(method: str, path: str, params: Mapping[str, object]) -> bool:
    """True when `params["sign"]` is the Ford sign of the other parameters."""
    sign = params.get("sign")
    if not isinstance(sign, str):
        return False
    return hmac.compare_digest(sign.lower(), ford_sign(method, path, params))


def ford_access_token(params: Mapping[str, object]) -> str | None:
    """The token a Ford request carries: `access_token`, or wyze-sdk's POST `accessToken`."""
    token = params.get("access_token", params.get("accessToken"))
    return token if isinstance(token, str) else None


def bearer(access_token: str) -> str:
    """The webrtc signalling `Authorization` value docker-wyze-bridge sends."""
    return f"Bearer {access_token}"


def bearer_token(authorization: str | None) -> str | None:
    """The access token in an `Authorization` header, with or without `Bearer `."""
    if not authorization:
        return None
    scheme, _, rest = authorization.strip().partition(" ")
    if rest and scheme.lower() == "bearer":
        return rest.strip() or None
    return authorization.strip()
