"""The redaction policy: which field names hold which kind of personal value.

Field names are compared normalised (lower case, without ``_`` and ``-``), so ``phone_id``,
``phoneId``, ``Phone-Id`` and ``phoneid`` are one rule. The same table serves JSON keys at
any depth, query parameters and form fields; headers have their own table because some
header names mean something else in a body. ``captures/README.md`` shows this policy as a
table for people; a test keeps the two in step.
"""

from __future__ import annotations

import functools

from wyzeproto.constants import APP_API_KEYS


@functools.lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


_FIELDS = {
    "email": ["email", "user_name", "username", "email_address", "account"],
    "password_hash": ["password", "old_password", "new_password", "pwd", "passwd"],
    "access_token": ["access_token", "accessToken", "token", "id_token", "authorization"],
    "refresh_token": ["refresh_token"],
    "phone_id": ["phone_id", "phoneid"],
    "user_id": ["user_id", "user_center_id", "open_user_id", "user_code", "uid", "owner_id"],
    "api_key_id": ["keyid", "key_id"],
    "api_key": ["apikey", "api_key"],
    "request_id": ["requestid", "request_id", "trace_id", "traceid", "transaction_id"],
    "signature": ["signature", "signature2", "sign"],
    "mac": [
        "mac",
        "device_mac",
        "parent_device_mac",
        "instance_id",
        "device_id",
        "mac_address",
        "device_mac_list",
        "device_id_list",
        "bssid",
    ],
    "enr": ["enr", "parent_device_enr"],
    "p2p_id": ["p2p_id"],
    "ip": ["ip", "ipaddr", "ip_address", "public_ip", "lan_ip", "wan_ip"],
    "ssid": ["ssid", "wifi_ssid", "wifi_name"],
    "coordinate": ["latitude", "longitude", "lat", "lon", "lng"],
    "push_token": ["push_token", "device_token", "fcm_token", "apns_token", "push_id"],
    "nickname": [
        "nickname",
        "binding_user_nickname",
        "nick_name",
        "device_nickname",
        "home_name",
        "display_name",
    ],
    "signed_url": ["thumbnails_url", "signaling_url", "signalingUrl", "ai_url", "logo"],
    "session_id": [
        "session_id",
        "sessionId",
        "sms_session_id",
        "email_session_id",
        "verification_id",
        "app_id",
    ],
    "media_credential": [
        "signal_token",
        "signalToken",
        "auth_token",
        "rtc_token",
        "credential",
        "encryption_key",
        "encryption_salt",
        "en_password",
    ],
    "phone_number": ["phone_number", "phone", "mobile", "phone_num"],
}

FIELD_KINDS: dict[str, str] = {
    normalise(name): kind for kind, names in _FIELDS.items() for name in names
}

# Headers whose value is personal as a whole. Others are still scanned for the look of a
# secret (detect.scrub_text), so an unknown header holding a token is caught too.
HEADER_NAMES = {
    "Authorization": "access_token",
    "access_token": "access_token",
    "keyid": "api_key_id",
    "apikey": "api_key",
    "X-API-Key": "api_key",  # unless it is one of the apps' public keys (kept)
    "Phone-Id": "phone_id",
    "phoneid": "phone_id",
    "requestid": "request_id",
    "X-Request-Id": "request_id",
    "x-amzn-RequestId": "request_id",
    "x-amz-request-id": "request_id",
    "X-Amz-Cf-Id": "request_id",
    "X-Amzn-Trace-Id": "request_id",
    "x-amz-apigw-id": "request_id",
    "signature2": "signature",
    "signature": "signature",
    "X-Forwarded-For": "ip",
    "X-Real-IP": "ip",
    "Cookie": "cookie",
    "Set-Cookie": "cookie",
}
HEADER_KINDS: dict[str, str] = {
    normalise(name): kind for name, kind in HEADER_NAMES.items() if kind != "cookie"
}
COOKIE_HEADERS = {"cookie", "setcookie"}

# The app's X-API-Key is a public constant (kept); any other value there is a user's key.
KEPT_HEADER_VALUES = {normalise("x-api-key"): APP_API_KEYS}

# What each kind becomes; captures/README.md shows policy_table() (a test keeps it in step).
KIND_DESCRIPTIONS = {
    "email": "account email / user_name -> user-<hex>@example.invalid",
    "password_hash": "password (double or triple MD5) -> REDACTED_password_hash_<hex>",
    "access_token": "access token (body, access_token header, Authorization) -> prefix kept",
    "refresh_token": "refresh token -> prefix kept",
    "phone_id": "app install id (UUID) -> UUID 00000000-0000-4000-8000-<hex>",
    "user_id": "user_id, user_center_id, open_user_id, userId query -> same shape",
    "api_key_id": "developer key id (keyid) -> same shape",
    "api_key": "developer API key (apikey) -> REDACTED_api_key_<hex>",
    "request_id": "request ids, traceId, CDN ids -> same shape",
    "signature": "signature2 and other signatures -> same shape",
    "mac": "device MACs in values, lists and URL paths -> 0000 + 8 upper hex",
    "enr": "device key enr, parent_device_enr -> REDACTED_enr_<hex>",
    "p2p_id": "TUTK UID -> ZZZZ + 16 upper hex",
    "ip": "IP addresses -> documentation ranges (192.0.2.0/24, 2001:db8::/32, ...)",
    "ssid": "Wi-Fi names -> REDACTED_ssid_<hex>",
    "coordinate": "latitude / longitude -> 0.0",
    "push_token": "push notification tokens -> REDACTED_push_token_<hex>",
    "nickname": "device and user nicknames -> REDACTED_nickname_<hex>",
    "signed_url": "thumbnail and signalling URLs with signed queries -> redacted.example.invalid",
    "session_id": "MFA session and verification ids -> same shape",
    "media_credential": "stream credentials (signalToken, ICE credentials, keys) -> REDACTED",
    "phone_number": "phone numbers -> REDACTED_phone_number_<hex>",
    "cookie": "every cookie value (Cookie, Set-Cookie) -> REDACTED_cookie_<hex>",
    "token": "any other high-entropy string (>= 20 chars) anywhere -> same shape",
    "digits": "numbers of 7+ digits that are not epoch times (ids, phones) -> 999 + digits",
    "value": "any other value under a field not known to be public -> REDACTED_value_<hex>",
}


def policy_table() -> str:
    """The redaction policy as the Markdown table in captures/README.md."""
    lines = [
        "| kind | field names (JSON at any depth, query, form) | headers | becomes |",
        "|---|---|---|---|",
    ]
    for kind, description in KIND_DESCRIPTIONS.items():
        fields = ", ".join(f"`{name}`" for name in _FIELDS.get(kind, [])) or "-"
        headers = ", ".join(f"`{h}`" for h, k in HEADER_NAMES.items() if k == kind) or "-"
        lines.append(f"| `{kind}` | {fields} | {headers} | {description} |")
    return "\n".join(lines) + "\n"
