"""What may stay in clear: the allow side of default-deny redaction.

A value is kept only when something says it is public: a protocol constant the apps publish
(:data:`wyzeproto.constants.PUBLIC_VALUES`), a field the protocol defines as public (product
models, firmware versions, result codes, envelope constants: :data:`PUBLIC_FIELDS`, plus
every schema property annotated ``x-wyze-public: true``), a value the schemas list in an
``enum`` or ``const``, or a value whose shape can carry no identity (a small number, a
version string, a timestamp). Everything else is pseudonymised, including values under field
names nobody has seen before: those are what researchers capture, so they are kept as fields
with their values replaced.
"""

from __future__ import annotations

import functools
import json
import re

from wyzeproto import resources
from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.redact.kinds import is_documentation_ip
from wyzeproto.redact.policy import normalise

# Fields whose values the protocol defines and that name a product, a build or a result, never
# a person (values are still scanned for the look of a secret: a MAC inside 'msg' is caught).
# The schemas say it where they define a field (``x-wyze-public: true``, read by
# schema_public()); this list holds only the public names that no schema defines yet.
_PUBLIC_FIELDS = [
    "phone_system_version", "os_version", "system_version", "language", "error",
    "device_type", "firmware_version", "hardware_version", "time_zone", "timezone",
    "content_type", "method", "mode",
]
PUBLIC_FIELDS: frozenset[str] = frozenset(normalise(name) for name in _PUBLIC_FIELDS)
# Envelope constants: one per app build or endpoint, never a person; kept as they are even
# when they are not yet in constants.py (a new endpoint's sv is a 32-hex string).
VERBATIM_FIELDS = frozenset({"sc", "sv"})
_ENVELOPE_CONSTANT = re.compile(r"[0-9a-f]{32}")


def is_verbatim(key: str, value: str) -> bool:
    """True for an envelope constant: the key is exactly sc or sv (not 's_c', which only
    normalises to it) and the value has the constants' shape, 32 lower-case hex digits."""
    return key.lower() in VERBATIM_FIELDS and _ENVELOPE_CONSTANT.fullmatch(value) is not None

# Header names whose values are HTTP machinery or server build strings (still scanned by look).
PUBLIC_HEADERS: frozenset[str] = frozenset(normalise(name) for name in [
    "accept", "accept-encoding", "accept-language", "accept-ranges", "age", "allow",
    "cache-control", "connection", "content-disposition", "content-encoding",
    "content-language", "content-length", "content-type", "date", "etag", "expect", "expires",
    "host", "keep-alive", "last-modified", "pragma", "server", "te", "trailer",
    "transfer-encoding", "upgrade", "user-agent", "vary", "via", "x-powered-by",
    "x-aspnet-version", "x-cache", "x-amz-cf-pop", "x-content-type-options", "x-frame-options",
    "x-xss-protection", "strict-transport-security", "access-control-allow-origin",
    "access-control-allow-headers", "access-control-allow-methods",
    "access-control-expose-headers", "access-control-max-age", "x-ratelimit-remaining",
    "x-ratelimit-reset-by", "x-ratelimit-limit", "x-ratelimit-reset", "retry-after",
    "appid", "appinfo", "appver", "appversion", "app-version", "app_version", "env",
    "sc", "sv", "phone-system-type", "x-wyze-toolkit-truncated", "x-wyze-toolkit-unredacted",
    "x-wyze-toolkit-decoded", "location", "language", "accept-charset", "origin", "referer",
])

_PID = r"P[0-9]{1,5}"
_SNAKE = r"(?=[a-z0-9_-]*[g-z])[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+"
_CODE = r"(?=[A-Z0-9_-]*[G-Z])[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+"
_SHAPES = re.compile(
    r"-?[0-9]{1,6}(?:\.[0-9]{1,2})?"  # a small number (a count, a code, a state, a reading)
    r"|1[0-9]{9}|1[0-9]{12}"  # epoch seconds / milliseconds (2001-2033)
    r"|v?[0-9]+(?:\.[0-9]+){2,4}(?:[-_][A-Za-z0-9]+)?"  # a version: 4.36.11.5859, 2.19.14
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?"  # an ISO date or time
    r"|true|false|null|none|True|False|None|on|off|yes|no|ok|OK"
    rf"|{_PID}(?:,{_PID})*"  # property ids (P1047), alone or as a comma-separated list
)
# snake_case names (iot_state, fan_mode) and product codes (WYZE_CAKP2JFUS, JA_RO2) are kept
# only when the schemas name them (a property name, an enum value, an example): the same
# shape is a user name ('dana_whitfield_1987') as often as a protocol word.
_NAME_LIST = re.compile(rf"(?:{_PID}|{_SNAKE}|{_CODE})(?:,(?:{_PID}|{_SNAKE}|{_CODE}|[a-z]+))*")

# A product code with an id in it ('LD_SS1_<MAC>', 'JA_RO2_<serial>') has the shape of protocol
# vocabulary but is an id: a piece of 12+ hex digits or 7+ digits is never vocabulary.
_ID_PIECE = re.compile(r"(?:^|[_,-])(?:[0-9A-Fa-f]{12,}|[0-9]{7,})(?=$|[_,-])")

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


@functools.lru_cache(maxsize=1)
def schema_public() -> tuple[frozenset[str], frozenset[str]]:
    """(field names the schemas annotate ``x-wyze-public: true``, strings they publish)."""
    fields: set[str] = set()
    values: set[str] = set()  # every property name is vocabulary too (iot_state, fan_mode)

    def strings(node: object) -> None:
        if isinstance(node, str):
            values.add(node)
        elif isinstance(node, dict):
            for sub in node.values():
                strings(sub)
        elif isinstance(node, list):
            for sub in node:
                strings(sub)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                values.update(properties)
                for name, sub in properties.items():
                    if isinstance(sub, dict) and sub.get("x-wyze-public") is True:
                        fields.add(normalise(name))
            # Values the schemas publish (enum, const, examples, default) are in the
            # repository already: keeping them in clear in a cassette tells nobody anything.
            for key in ("enum", "examples", "const", "default", "example"):
                if key in node:
                    strings(node[key])
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    for path in sorted(resources.schemas_dir().rglob("*.json")):
        try:
            walk(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # the schema checks report broken schemas; redaction stays closed
    return frozenset(fields), frozenset(values)


@functools.lru_cache(maxsize=8192)
def is_public_field(name: str) -> bool:
    key = normalise(name)
    return key in PUBLIC_FIELDS or key in schema_public()[0]


def is_public_header(name: str) -> bool:
    return normalise(name) in PUBLIC_HEADERS


def is_identity_free(value: str) -> bool:
    """A string that is public or cannot carry identity by its shape alone."""
    if not value or value in PUBLIC_VALUES or value in schema_public()[1]:
        return True
    if _SHAPES.fullmatch(value) is None:
        return _NAME_LIST.fullmatch(value) is not None and all(
            part in schema_public()[1] or part in PUBLIC_VALUES for part in value.split(","))
    if ("_" in value or "-" in value) and _ID_PIECE.search(value):
        return False
    # 10.1.2.3 has the shape of a version; an address is kept only in a version-named field
    return _IPV4.fullmatch(value) is None or is_documentation_ip(value)


def is_identity_free_number(value: int | float) -> bool:
    """A number too small or too round to be an id, a phone number or a coordinate."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return True
        if value.is_integer():
            value = int(value)
        else:
            # 47.6062 could be a place; 72.5 or 0.25 cannot
            return len(repr(value).partition(".")[2]) <= 2 and abs(value) < 1e6
    return abs(value) < 1_000_000 or _SHAPES.fullmatch(str(value)) is not None
