"""Secret linter for cassettes: fail on anything that still looks personal.

Usage: ``wyze-toolkit lint [PATH ...]`` (files or directories; default ``captures/``).
Each finding is printed as ``file::interaction N::location: what``; the value itself is never
printed. Exit 0 clean, 1 findings, 2 unusable input.

It flags high-entropy tokens that are not placeholders, emails outside ``example.invalid``,
MAC addresses, IP addresses outside the documentation ranges, password hashes, coordinates
and signed URLs, using the same detectors as the redactor (:mod:`wyzeproto.redact.detect`).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.redact import detect
from wyzeproto.redact.policy import FIELD_KINDS, normalise
from wyzeproto.redact.pseudonym import is_documentation_ip, is_placeholder

Finding = tuple[str, str]  # (location, what)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check_text(text: str, location: str, key: str = "") -> Iterator[Finding]:
    if is_placeholder(text):
        return
    kind = FIELD_KINDS.get(normalise(key)) if key else None
    if kind == "password_hash" and text and not is_placeholder(text):
        yield location, f"password or password hash not redacted ({len(text)} chars)"
        return
    if kind == "coordinate":
        try:
            if float(text) != 0.0:
                yield location, "coordinates not redacted"
        except ValueError:
            pass
        return
    if _is_ip(text) and not is_documentation_ip(text) and "ver" not in normalise(key):
        yield location, "IP address outside the documentation ranges"
        return
    for what, start, end in detect.spans(text):
        yield location, f"{detect.WHAT[what]} ({end - start} chars)"


def check_json(node: Any, location: str, key: str = "") -> Iterator[Finding]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from check_json(
                v, f"{location}.{k}" if k.isidentifier() else f"{location}[{json.dumps(k)}]", k
            )
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from check_json(item, f"{location}[{index}]", key)
    elif isinstance(node, str):
        if node[:1] in "{[":
            try:
                inner = json.loads(node)
            except ValueError:
                inner = None
            if isinstance(inner, (dict, list)):
                yield from check_json(inner, location, key)
                return
        yield from check_text(node, location, key)
    elif (
        isinstance(node, (int, float))
        and not isinstance(node, bool)
        and FIELD_KINDS.get(normalise(key)) == "coordinate"
        and node != 0
    ):
        yield location, "coordinates not redacted"


def check_body(body: Any, location: str) -> Iterator[Finding]:
    if body is None:
        return
    if isinstance(body, bytes):
        yield from check_text(body.decode("latin-1"), location)
        return
    if body.strip()[:1] in "{[":
        try:
            parsed = json.loads(body)
        except ValueError:
            pass
        else:
            yield from check_json(parsed, location + "$")
            return
    if "=" in body and " " not in body.strip():
        for key, value in parse_qsl(body, keep_blank_values=True):
            yield from check_text(value, f"{location}[{key}]", key)
        return
    yield from check_text(body, location)


def check_uri(uri: str, location: str) -> Iterator[Finding]:
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if _is_ip(host) and not (is_documentation_ip(host) or ipaddress.ip_address(host).is_loopback):
        yield f"{location}.host", "IP address outside the documentation ranges"
    for segment in parts.path.split("/"):
        yield from check_text(segment, f"{location}.path")
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        yield from check_text(value, f"{location}.query[{key}]", key)


def check_headers(headers: dict[str, list[str]], location: str) -> Iterator[Finding]:
    for name, values in headers.items():
        for value in values:
            # a header value such as "Bearer <token>" is checked word by word
            for word in value.replace(",", " ").replace(";", " ").split():
                _, eq, rhs = word.partition("=")
                yield from check_text(rhs if eq else word, f"{location}.{name}")


def secret_findings(interaction: dict[str, Any]) -> list[Finding]:
    request, response = interaction["request"], interaction["response"]
    findings: list[Finding] = []
    findings += check_uri(request["uri"], "request.uri")
    findings += check_headers(request["headers"], "request.headers")
    findings += check_body(request.get("body"), "request.body")
    findings += check_headers(response["headers"], "response.headers")
    findings += check_body(response["body"]["string"], "response.body")
    return findings


def lint_paths(paths: list[str]) -> tuple[list[str], int]:
    """Return (finding lines, number of interactions checked). Raises CassetteError."""
    lines: list[str] = []
    checked = 0
    for path in find_cassettes(paths):
        cassette = load_cassette(path)
        for index, interaction in enumerate(cassette.interactions):
            checked += 1
            for location, what in dict.fromkeys(secret_findings(interaction)):
                lines.append(f"{path}::interaction {index}::{location}: {what}")
    return lines, checked
