"""Build the reference cassettes in ``captures/reference/`` from the documented facts.

    wyze-toolkit docs [--reference-out captures/reference] [--check]

One cassette per catalog endpoint, one interaction per documented outcome. Every body is
the first ``examples`` entry of the schema the catalog names, so the cassettes say exactly
what the schemas say, and every value is a redaction placeholder (see
captures/README.md). They are MADE UP from public facts, not recorded from the
app; the README written next to them says so, endpoint by endpoint. The build refuses to
write an interaction that does not validate or that matches another outcome than intended.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from wyzeproto.cassette.interaction import make_interaction
from wyzeproto.schema.catalog import EMPTY, UNCHECKED, Catalog, Endpoint, Outcome
from wyzeproto.schema.check import check

DEFAULT_OUT = "captures/reference"
PLACEHOLDER_TOKEN = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
JSON_UTF8 = ["application/json;charset=utf-8"]
RATE_LIMIT = {"x-ratelimit-remaining": ["18"],
              "x-ratelimit-reset-by": ["Sat Oct 12 19:50:32 GMT 2024"]}

# Request headers by generation, as the public clients send them (fact sheet sections 2b, 3,
# 9 and 11); user-specific values are placeholders.
REQUEST_HEADERS: dict[str, dict[str, list[str]]] = {
    "api-2018": {"Content-Type": ["application/json"],
                 "User-Agent": ["HLHome/1.3.116 (iPhone; iOS 11.3; Scale/3.00)"]},
    "app-api": {"Content-Type": JSON_UTF8, "User-Agent": ["okhttp/4.7.2"],
                "Accept-Encoding": ["gzip"]},
    "auth-host": {"Content-Type": ["application/json"], "User-Agent": ["wyze_android_2.19.14"],
                  "X-API-Key": ["RckMFKbsds5p6QY3COEXc2ABwNTYY0q18ziEiSEm"],
                  "Phone-Id": ["00000000-0000-4000-8000-1a2b3c4d5e6f"]},
    "webrtc": {"authorization": [f"Bearer {PLACEHOLDER_TOKEN}"]},
}
# The signed services, by the security scheme their generation names in catalog.yaml: the
# headers wyze-sdk's WpkNetServiceClient / ExServiceClient and wyzeapy send. signature2 and
# requestid are placeholders (volatile: they change with every nonce).
_SIGNED = {"Content-Type": ["application/json"], "User-Agent": ["wyze_android_2.19.14"],
           "access_token": [PLACEHOLDER_TOKEN],
           "requestid": ["000000001a2b3c4d5e6f7a8b9c0d1e2f"],
           "signature2": ["REDACTED_signature_1a2b3c4d5e6f7a8b"]}
SCHEME_HEADERS: dict[str, dict[str, list[str]]] = {
    "olive_signature2": {**_SIGNED, "appid": ["9319141212m2ik"],
                         "authorization": [PLACEHOLDER_TOKEN]},
    "venus_signature2": {**_SIGNED, "appid": ["venp_4c30f812828de875"]},
    "ford_sign": {"Content-Type": ["application/json"], "appVer": ["And-2.19.14"],
                  "language": ["en_US"]},
    "access_token": {"Content-Type": ["application/json"], "authorization": [PLACEHOLDER_TOKEN]},
}
PATH_VALUES = {"{mac}": "0000A1B2C3D4", "{did}": "JA_RO2_0000A1B2C3D4",
               "{device_id}": "GW_BE1_0000A1B2C3D4"}
DEVELOPER_KEY_HEADERS = {"Keyid": ["REDACTED_keyid_1a2b3c4d5e6f7a8b"],
                         "Apikey": ["REDACTED_apikey_1a2b3c4d5e6f7a8b"]}
QUERIES = {
    "auth.user.login.sendSmsCode": "?mfaPhoneType=Primary&sessionId=REDACTED_session_"
    "1a2b3c4d5e6f7a8b&userId=000000001a2b3c4d5e6f7a8b9c0d1e2f",
    "auth.v2.user.login.sendEmailCode": "?userId=000000001a2b3c4d5e6f7a8b9c0d1e2f&sessionId="
    "REDACTED_session_1a2b3c4d5e6f7a8b",
    "signed.webrtc.signaling": "?use_trickle=true",
}


class BuildError(Exception):
    """A reference interaction that would not say what the catalog says."""


def _example(catalog: Catalog, ref: str) -> Any:
    schema = catalog.store.resolve(ref)
    examples = schema.get("examples") if isinstance(schema, dict) else None
    if not examples:
        raise BuildError(f"schemas/{ref}: has no 'examples' to build a reference body from")
    return examples[0]


def _body(catalog: Catalog, ref: str) -> str:
    if ref in (EMPTY, UNCHECKED):
        return ""
    return json.dumps(_example(catalog, ref), separators=(",", ":"), ensure_ascii=False)


def _url(catalog: Catalog, endpoint: Endpoint) -> str:
    path = endpoint.path
    for name, value in PATH_VALUES.items():
        path = path.replace(name, value)
    query = QUERIES.get(endpoint.id, "")
    if endpoint.request_query:
        query = "?" + urlencode(_example(catalog, endpoint.request_query))
    return f"https://{endpoint.hosts[0]}{path}{query}"


def _request_headers(catalog: Catalog, endpoint: Endpoint) -> dict[str, list[str]]:
    if endpoint.generation in REQUEST_HEADERS:
        return {k: list(v) for k, v in REQUEST_HEADERS[endpoint.generation].items()}
    scheme = catalog.generations[endpoint.generation].get("security", "")
    return {k: list(v) for k, v in SCHEME_HEADERS.get(
        scheme, {"Content-Type": ["application/json"]}).items()}


def _response_headers(endpoint: Endpoint, body: str) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    if body:
        headers["Content-Type"] = JSON_UTF8
    if endpoint.generation == "api-2018":
        headers.update({"Server": ["Microsoft-IIS/8.5"], "X-Powered-By": ["ASP.NET"],
                        "X-AspNet-Version": ["4.0.30319"]})
    if endpoint.generation == "auth-host":
        headers.update(RATE_LIMIT)
    headers["Content-Length"] = [str(len(body.encode("utf-8")))]
    return headers


def interaction(catalog: Catalog, endpoint: Endpoint, outcome: Outcome) -> dict[str, Any]:
    """One made-up interaction for one outcome; raises BuildError unless it validates."""
    headers = _request_headers(catalog, endpoint)
    if endpoint.id == "auth.api.user.login":
        headers.pop("X-API-Key")
        headers.update(DEVELOPER_KEY_HEADERS)
    request_body = None if endpoint.request_body == "none" else _body(catalog, endpoint.request)
    body = _body(catalog, outcome.response)
    status = outcome.status[0] if outcome.status else 200
    built = make_interaction(
        method=endpoint.method, uri=_url(catalog, endpoint), body=request_body, headers=headers,
        status=status, message=HTTPStatus(status).phrase,
        response_headers=_response_headers(endpoint, body), response_body=body)
    result = check(catalog, built)
    if result.outcome != outcome.name or result.problems:
        found = "; ".join(p.line() for p in result.problems) or f"outcome {result.outcome}"
        raise BuildError(f"{endpoint.id}/{outcome.name}: the reference interaction does not "
                         f"check out ({found}); fix its schema examples or the catalog")
    return built


def build(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Cassette file name (relative) -> interactions, for every endpoint."""
    out: dict[str, list[dict[str, Any]]] = {}
    for endpoint in catalog.endpoints:
        items = [interaction(catalog, endpoint, o) for o in endpoint.reachable()]
        out[f"{endpoint.generation}/{endpoint.id}.yaml"] = items
    return out


def readme(catalog: Catalog, cassettes: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        "# Reference cassettes (made up from public facts, not recorded)",
        "",
        "Generated by `wyze-toolkit docs`; do not edit by hand.",
        "",
        "**Every cassette here is made up.** None was recorded from the Wyze app or from Wyze's",
        "servers. Each holds one interaction per outcome the catalog documents for one endpoint",
        "(`schemas/catalog.yaml`), built from the first `examples` entry of the schema that",
        "outcome names. Those examples restate facts from the public sources listed below (via",
        "../shared/reference/wyze-protocol-facts.md), with every user- or device-specific value",
        "in the redaction placeholder forms (`0000A1B2C3D4`, `lvtx.REDACTED_access_token_...`,",
        "`user-...@example.invalid`, documentation IP ranges). Values a source does not show",
        "(for example the numeric code of `UserIsLocked`) are marked as made up in the schema's",
        "description. Headers are the ones the public clients send; `Content-Length` matches",
        "the stored body. Outcomes that an earlier outcome of the same endpoint already covers",
        "are not repeated. `make validate` checks them all.",
        "",
        "| cassette | endpoint | outcomes | built from |",
        "|---|---|---|---|",
    ]
    for endpoint in catalog.endpoints:
        name = f"{endpoint.generation}/{endpoint.id}.yaml"
        outcomes = ", ".join(sorted({check(catalog, i).outcome or "?"
                                     for i in cassettes[name]}, key=str))
        sources = "; ".join(endpoint.sources)
        lines.append(f"| `{name}` | {endpoint.method} `{endpoint.url}` | {outcomes} | "
                     f"{sources} |")
    return "\n".join(lines) + "\n"
