"""From one finished HTTP exchange to one redacted cassette interaction on disk.

The capture addon hands over plain values (method, URL, header fields, raw bytes); this module
copies them into an interaction, decodes the bodies, redacts, truncates oversized bodies and
appends to the session's cassette. Nothing here imports mitmproxy, so all of it is tested
without a proxy. Order matters and is fixed: copy, decode, redact, truncate, write; a
failure at any step writes nothing for that exchange and says so (fail closed).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wyzeproto.cassette import bodies
from wyzeproto.cassette.files import CassetteWriter
from wyzeproto.cassette.interaction import Interaction, make_interaction
from wyzeproto.hosts import split_authority, url_host
from wyzeproto.redact import Redactor
from wyzeproto.redact.kinds import PLACEHOLDER
from wyzeproto.redact.lint import UNREDACTED_HEADER
from wyzeproto.redact.walk import ParsedBody

TRUNCATED_HEADER = "X-Wyze-Toolkit-Truncated"
# One interaction as written, for a reader of the capture's batches (addons/drift.py):
# (cassette path, its index there, the interaction, its bodies as the redaction parsed them).
Recorded = tuple[str, int, Interaction, tuple[ParsedBody, ParsedBody]]


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def headers_from_fields(fields: Iterable[tuple[bytes, bytes]]) -> dict[str, list[str]]:
    """HTTP header fields in order, grouped by name (case-insensitive, first spelling kept)."""
    headers: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for raw_name, raw_value in fields:
        name = _text(raw_name)
        key = spelling.setdefault(name.lower(), name)
        headers.setdefault(key, []).append(_text(raw_value))
    return headers


@dataclass
class Exchange:
    """One finished HTTP exchange as plain values (what the proxy saw, before any change)."""

    method: str
    url: str
    request_fields: list[tuple[bytes, bytes]]
    request_raw: bytes | None
    status: int
    reason: str
    response_fields: list[tuple[bytes, bytes]]
    response_raw: bytes | None


def build_interaction(exchange: Exchange) -> tuple[Interaction, list[str]]:
    """Copy an exchange into VCR shape with decoded bodies. Returns (interaction, problems)."""
    problems = []
    req_body: Any = None
    req_headers = headers_from_fields(exchange.request_fields)
    if exchange.request_raw:
        req_body, req_headers, problem = bodies.decode(exchange.request_raw, req_headers)
        if problem:
            problems.append(f"request body: {problem}")
    resp_headers = headers_from_fields(exchange.response_fields)
    resp_body, resp_headers, problem = bodies.decode(exchange.response_raw or b"", resp_headers)
    if problem:
        problems.append(f"response body: {problem}")
    return make_interaction(
        method=exchange.method, uri=exchange.url, body=req_body, headers=req_headers,
        status=exchange.status, message=exchange.reason,
        response_headers=resp_headers, response_body=resp_body,
    ), problems


def truncate(body: Any, headers: dict[str, list[str]], limit: int) -> tuple[Any, int | None]:
    """Cut a body to ``limit`` bytes with a visible marker. Returns (body, original size).

    The original size also goes into the ``X-Wyze-Toolkit-Truncated`` header, so the
    validator and replay can tell a cut body from a broken one.
    """
    size = bodies.encoded_length(body, bodies.header(headers, "content-type"))
    if body is None or size <= limit:
        return body, None
    marker = f"\n[wyze-toolkit: body truncated, {limit} of {size} bytes kept]"
    if isinstance(body, bytes):
        body = body[:_cut(body.decode("latin-1"), limit)] + marker.encode("ascii")
    else:
        kept = body.encode("utf-8")[:limit].decode("utf-8", "ignore")
        body = kept[:_cut(body, len(kept))] + marker
    headers[TRUNCATED_HEADER] = [str(size)]
    bodies.fix_content_length(headers, body)
    return body, size


def _cut(text: str, at: int) -> int:
    """Where to cut ``text`` near ``at`` so that no placeholder is split: a half placeholder
    reads as a half secret to the linter and to every reviewer."""
    for match in PLACEHOLDER.finditer(text, max(0, at - 80), min(len(text), at + 80)):
        if match.start() < at < match.end():
            return match.start()
    return at


class HostFilter:
    """Wyze host patterns: ``host`` (any port), ``host:port``, or globs like ``*.wyze.com``."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: list[tuple[str, int | None]] = []
        for pattern in patterns:
            host, port = split_authority(pattern)
            if not host:
                raise ValueError(f"empty host pattern in {pattern!r}")
            self.patterns.append((host, port))
        self._answers: dict[tuple[str, int | None], bool] = {}  # a session sees few hosts

    def matches(self, host: str, port: int | None) -> bool:
        """Whether ``host`` (any spelling) on ``port`` (the scheme's default filled in) is
        recorded."""
        answer = self._answers.get((host, port))
        if answer is None:
            name = split_authority(host)[0]
            answer = any(fnmatch.fnmatchcase(name, pattern) and (want is None or want == port)
                         for pattern, want in self.patterns)
            if len(self._answers) < 10_000:
                self._answers[(host, port)] = answer
        return answer


@dataclass
class Recorder:
    """One capture session: filter, redact, write, count."""

    writer: CassetteWriter
    redactor: Redactor | None
    hosts: HostFilter
    max_body: int
    recorded: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # What went wrong, for an honest summary: never a URL, only hosts and error texts.
    upstream_errors: Counter[str] = field(default_factory=Counter)  # "host: error"
    tls_refused: Counter[str] = field(default_factory=Counter)  # client hosts
    not_written: Counter[str] = field(default_factory=Counter)  # "path: OS error"
    # The request and response bodies last written, as the redaction parsed them (None where
    # not, or cut): live drift reads these instead of parsing the bodies again.
    last_json: tuple[ParsedBody, ParsedBody] = (None, None)

    def wants(self, url: str) -> bool:
        host, port = url_host(url)
        if self.hosts.matches(host, port):
            return True
        self.skipped[host] += 1
        return False

    def record(self, exchange: Exchange) -> tuple[Interaction, list[str]]:
        """Write one exchange. Returns (the interaction as written, warnings).

        Raises on a redaction or write failure; nothing is written then.
        """
        self.last_json = (None, None)
        interaction, warnings = build_interaction(exchange)
        parsed: tuple[ParsedBody, ParsedBody] = (None, None)
        if self.redactor is not None:
            interaction, parsed = self.redactor.interaction_json(interaction)
        else:  # marked in the file, so that the linter fails it on this alone
            interaction["request"]["headers"][UNREDACTED_HEADER] = ["true"]
        request, response = interaction["request"], interaction["response"]
        request["body"], cut = truncate(request["body"], request["headers"], self.max_body)
        if cut is not None:
            warnings.append(f"request body of {cut} bytes truncated to {self.max_body}")
            parsed = (None, parsed[1])
        body = response["body"]
        body["string"], cut = truncate(body["string"], response["headers"], self.max_body)
        if cut is not None:
            warnings.append(f"response body of {cut} bytes truncated to {self.max_body}")
            parsed = (parsed[0], None)
        self.writer.append(interaction)
        self.recorded += 1
        self.last_json = parsed
        return interaction, warnings

    def close(self) -> None:
        """Finish the cassette. A value whose placeholder changed during the session (found
        by its look first, under its own field later) gets the later one everywhere in it."""
        self.writer.close(self.redactor.superseded if self.redactor is not None else None)

    def summary(self) -> str:
        where = self.writer.path
        if self.recorded:
            text = f"{self.recorded} interaction(s) recorded to {where}"
        else:
            text = "nothing recorded"
            if self.skipped:
                seen = ", ".join(host for host, _ in self.skipped.most_common(5))
                text += f": no flow matched the capture hosts (flows seen to: {seen})"
            else:
                text += ": no finished HTTP flow reached the proxy (is the client using it?)"
        extras = []
        if self.recorded and self.skipped:
            seen = ", ".join(host for host, _ in self.skipped.most_common(3))
            extras.append(f"{sum(self.skipped.values())} flow(s) to other hosts not recorded "
                          f"({seen})")
        for what, errors in (("failed upstream", self.upstream_errors),
                             ("could not be written", self.not_written)):
            if errors:
                worst, _ = errors.most_common(1)[0]
                extras.append(f"{sum(errors.values())} flow(s) {what}, e.g. {worst}")
        if self.tls_refused:
            hosts = ", ".join(host for host, _ in self.tls_refused.most_common(3))
            extras.append(f"{sum(self.tls_refused.values())} TLS handshake(s) refused by the "
                          f"client ({hosts}): install and trust the mitmproxy CA (http://mitm.it)")
        other = self.failed - sum(self.upstream_errors.values()) - sum(self.not_written.values())
        if other > 0:
            extras.append(f"{other} flow(s) could not be recorded")
        return text + (f" ({'; '.join(extras)})" if extras else "")
