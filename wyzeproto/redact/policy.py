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
    "user_id": ["user_id", "user_center_id", "open_user_id", "user_code", "uid", "owner_id",
                "family_member_id", "member_id"],
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
        "did",
        "parent_did",
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
    # The signed services (issue 10): Ford locks, Earth thermostats, Venus vacuums, the
    # scale, Home Monitoring and irrigation hand out these personal values.
    "lock_id": ["uuid", "lock_uuid", "keypad_uuid", "locker_uuid", "gateway_uuid", "lock_id"],
    "keypad_code": ["keypad_code", "access_code", "passcode", "pin", "pin_code",
                    "lock_password"],
    "schedule": ["schedule", "schedules", "schedule_id", "schedule_name", "temp_schedule",
                 "thermostat_schedule", "running_schedule"],
    "location": ["location", "locations", "address", "address_line", "street", "city",
                 "zip", "zipcode", "postal_code", "home_address", "room_name"],
    "vacuum_map": ["map_id", "mapid", "current_map_id", "current_mapid", "map_name",
                   "mapname", "user_map_name", "map_img_big_url", "map_img_small_url",
                   "img_url", "rooms_id", "room_id", "map", "maps", "history_map"],
    "body_measurement": ["weight", "bmi", "body_fat", "heart_rate", "age", "height",
                         "body_water", "bone_mineral", "muscle", "metabolic_age", "body_vfr",
                         "body_type", "protein", "bmr", "visceral_fat", "goal_weight",
                         "current_weight", "birth_date", "birthdate", "gender"],
    "hms_id": ["hms_id", "hmsid"],
    "irrigation_zone": ["zone_name", "zone_names", "zones_name"],
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
    "lock_id": "Ford lock, keypad and gateway uuids -> same shape (32 hex stays 32 hex)",
    "keypad_code": "lock keypad codes -> REDACTED_keypad_code_<hex>, numbers -> 0",
    "schedule": "thermostat and irrigation schedules, their ids and names -> "
                "REDACTED_schedule_<hex>, numbers -> 0",
    "location": "addresses, cities, postal codes, room names -> REDACTED_location_<hex>",
    "vacuum_map": "vacuum map ids, names and images -> same shape or "
                  "REDACTED_vacuum_map_<hex>, URLs -> redacted.example.invalid",
    "body_measurement": "scale body data (weight, bmi, body fat, heart rate, age, height, "
                        "...) -> 0 (same type), strings -> REDACTED_body_measurement_<hex>",
    "hms_id": "Home Monitoring ids -> same shape",
    "irrigation_zone": "irrigation zone names -> REDACTED_irrigation_zone_<hex>",
    "cookie": "every cookie value (Cookie, Set-Cookie) -> REDACTED_cookie_<hex>",
    "token": "any other high-entropy string (>= 20 chars) anywhere -> same shape",
    "digits": "numbers of 7+ digits that are not epoch times (ids, phones) -> 999 + digits "
              "+ 2 check digits",
    "value": "any other value under a field not known to be public -> REDACTED_value_<hex>; "
             "free text with word breaks keeps its shape (each letter x/z in its case, each "
             "digit 7/9, keyed; spaces, punctuation and the secrets' own placeholders stay)",
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
