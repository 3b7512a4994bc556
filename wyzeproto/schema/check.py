"""Check one recorded interaction against the catalog: endpoint, outcome, request and response.

The fast path costs one catalog lookup (cached per method and URL), one ``json.loads`` per
body and one compiled jsonschema-rs check per body. Only a body that fails is handed to
python-jsonschema, to explain the failure with its best match first.

A message never shows a secret: jsonschema echoes the values it rejects, so a value that
looks like one (``redact.detect``: an email, a MAC, a token, a signed URL) or that sits in a
credential field (``redact.policy``: a password, a token, a key) is shown as
``<kind, N chars>``. Placeholders and ordinary values stay readable.
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jsonschema.exceptions import ValidationError

from wyzeproto.redact.detect import scrub_text
from wyzeproto.redact.policy import FIELD_KINDS, normalise
from wyzeproto.redact.pseudonym import is_placeholder
from wyzeproto.schema.catalog import EMPTY, UNCHECKED, Catalog, Endpoint

NOT_JSON = object()  # what parse_json returns for a body that is not one JSON document
_scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
# The quoted values in a jsonschema message ('...' or "..." as repr() writes them): only
# these are scanned, because the rest (schema references, patterns) is documentation and
# some of it, such as 'api-2018/app/user/login', looks like a token to the detector.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# Policy kinds whose value is a secret whatever it looks like ('hunter2' as a password).
_CREDENTIALS = frozenset({"password_hash", "access_token", "refresh_token", "api_key",
                          "api_key_id", "signature", "media_credential", "push_token"})


@dataclass
class Problem:
    """One finding about one body: where (request/response + JSON path) and what."""

    location: str  # "request" or "response"
    path: str  # "$.data.device_list[0].mac"
    message: str
    rest: list[tuple[str, str]] = field(default_factory=list)  # further (path, message)
    endpoint: str | None = None
    outcome: str | None = None

    def line(self) -> str:
        return f"{self.location}::{self.path}: {self.message}"


@dataclass
class Result:
    endpoint: Endpoint | None
    outcome: str | None
    problems: list[Problem]
    undocumented: bool = False


def _text(body: Any) -> tuple[str | None, str | None]:
    """(text, problem): bytes are decoded as UTF-8, or reported as binary."""
    if body is None:
        return "", None
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, f"binary body ({len(body)} bytes, not UTF-8)"
    if isinstance(body, str):
        return body, None
    return None, f"body is a {type(body).__name__}, expected text"


def parse_json(body: Any) -> tuple[Any, str | None]:
    """(value, problem); value is NOT_JSON when the body is not one JSON document."""
    if type(body) is str and body[:1] in ("{", "["):
        # Fast path for the common case (one object or array, no surrounding space): the C
        # scanner without json.loads' checks and whitespace regex. Anything unusual falls
        # through to json.loads, which explains errors properly.
        try:
            value, end = _scan(body, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(body):
                return value, None
    text, problem = _text(body)
    if text is None:
        return NOT_JSON, problem
    if not text.strip():
        return NOT_JSON, "empty body"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return NOT_JSON, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return NOT_JSON, "JSON nests too deeply to check"


def _form(body: Any) -> dict[str, str] | None:
    text, _ = _text(body)
    if not text or "=" not in text:
        return None
    try:
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        return None


def _json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (
            f".{part}" if str(part).isidentifier() else f"[{json.dumps(str(part))}]")
    return out


def _masked(kind: str, value: str) -> str:
    return f"<{kind}, {len(value)} chars>"


def unsecret(text: str) -> str:
    """``text`` with every secret-looking quoted value masked as ``'<kind, N chars>'``."""
    return _QUOTED.sub(lambda quoted: scrub_text(quoted.group(), _masked), text)


def _credentials(error: ValidationError) -> Iterator[tuple[str, str]]:
    """(kind, value) of the credential-field values that the error's message may echo."""
    instance, path = error.instance, error.absolute_path
    if isinstance(instance, str):
        pairs = [(path[-1] if path else None, instance)]
    else:
        pairs = list(instance.items()) if isinstance(instance, dict) else []
    for name, value in pairs:
        if isinstance(name, str) and isinstance(value, str) and value \
                and not is_placeholder(value):
            kind = FIELD_KINDS.get(normalise(name))
            if kind in _CREDENTIALS:
                yield kind, value


def _explain(error: ValidationError) -> tuple[str, str]:
    """(JSON path, message) of one error, with no secret in either."""
    message = error.message
    for kind, value in _credentials(error):
        message = message.replace(repr(value), repr(_masked(kind, value)))
    return scrub_text(_json_path(error.absolute_path), _masked), unsecret(message)


def _validate(catalog: Catalog, ref: str, instance: Any, location: str) -> list[Problem]:
    if catalog.store.is_valid(ref, instance):
        return []
    errors = catalog.store.explain(ref, instance)
    if not errors:  # the two validators disagree; say so rather than pass silently
        return [Problem(location, "$", f"rejected by jsonschema-rs but not by jsonschema "
                        f"({ref}); please report this with the body")]
    best, *rest = errors
    return [Problem(location, *_explain(best), [_explain(e) for e in rest])]


def _check_body(catalog: Catalog, ref: str, body: Any, location: str,
                allow_form: bool = False, parsed: tuple[Any, str | None] | None = None
                ) -> list[Problem]:
    if ref == UNCHECKED:
        return []
    if ref == EMPTY:
        text, problem = _text(body)
        if problem or (text or "").strip():
            size = len(body) if isinstance(body, str | bytes) else 0
            return [Problem(location, "$", f"expected an empty body, got {size} bytes")]
        return []
    value, problem = parsed or parse_json(body)
    if value is NOT_JSON and allow_form:
        form = _form(body)
        if form is not None:
            value, problem = form, None
    if value is NOT_JSON:
        return [Problem(location, "$", f"{problem} where a JSON body is documented ({ref})")]
    return _validate(catalog, ref, value, location)


def _check_headers(endpoint: Endpoint, headers: Any) -> list[Problem]:
    present = {str(k).lower() for k in headers} if isinstance(headers, dict) else set()
    return [Problem("request", f"headers.{h.name}", f"required header {h.name} is missing "
                    f"({h.description})") for h in endpoint.request_headers
            if h.required and h.name.lower() not in present]


def _status(interaction: dict[str, Any]) -> int | None:
    code = interaction["response"]["status"]["code"]
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def check(catalog: Catalog, interaction: Any, allow_undocumented: bool = False) -> Result:
    """Match an interaction to its endpoint and outcome and validate both bodies."""
    try:
        request, response = interaction["request"], interaction["response"]
        method, uri = request["method"], request["uri"]
        status = _status(interaction)
        response_body = response["body"]["string"]
        request_body = request.get("body")
    except (KeyError, TypeError) as exc:
        return Result(None, None, [Problem("interaction", "$", f"not a VCR v1 interaction "
                                           f"(missing or wrong {exc}); see wyzeproto.cassette")])
    if not isinstance(method, str) or not isinstance(uri, str):
        return Result(None, None, [Problem("request", "$", "method and uri must be strings")])
    endpoint = catalog.match(method, uri)
    if endpoint is None:
        if allow_undocumented:
            return Result(None, None, [], undocumented=True)
        where = urlsplit(uri)
        url = scrub_text(f"{where.scheme}://{where.netloc}{where.path}", _masked)
        return Result(None, None, [Problem(
            "request", "$", f"{method} {url} is not in "
            "the catalog (undocumented endpoint); document it in schemas/catalog.yaml or pass "
            "--allow-undocumented")], undocumented=True)
    problems: list[Problem] = []
    if endpoint.request_headers:
        problems += _check_headers(endpoint, request.get("headers"))
    if endpoint.request_query:
        query = dict(parse_qsl(urlsplit(uri).query, keep_blank_values=True))
        problems += _validate(catalog, endpoint.request_query, query, "query")
    if endpoint.request_body == "none":
        text, _ = _text(request_body)
        if text is None or text.strip():
            problems.append(Problem("request", "$", "request has a body, but none is documented"))
    else:
        problems += _check_body(catalog, endpoint.request, request_body, "request",
                                allow_form=endpoint.request_body == "json-or-form")
    if status is None:
        problems.append(Problem("response", "status", "status code is not an integer"))
        return _tag(Result(endpoint, None, problems), endpoint.id, None)
    body_json, body_problem = parse_json(response_body)
    outcome = endpoint.outcome_for(status, None if body_json is NOT_JSON else body_json)
    if outcome is None:
        undocumented = Result(endpoint, None, problems, undocumented=True)
        if not allow_undocumented:
            code = body_json.get("code", body_json.get("errorCode")) \
                if isinstance(body_json, dict) else None
            what = f"HTTP {status}" + (f" with code {unsecret(repr(code))}"
                                       if code is not None else "")
            body_note = f" (the body: {body_problem})" if body_json is NOT_JSON else ""
            problems.append(Problem("response", "$", f"{what} is no documented outcome of "
                                    f"{endpoint.id}{body_note}; document it in "
                                    "schemas/catalog.yaml or pass --allow-undocumented"))
        if endpoint.fallback and body_json is not NOT_JSON:
            problems += _validate(catalog, endpoint.fallback, body_json, "response")
        return _tag(undocumented, endpoint.id, None)
    problems += _check_body(catalog, outcome.response, response_body, "response",
                            parsed=(body_json, body_problem))
    return _tag(Result(endpoint, outcome.name, problems), endpoint.id, outcome.name)


def _tag(result: Result, endpoint: str | None, outcome: str | None) -> Result:
    for problem in result.problems:
        problem.endpoint, problem.outcome = endpoint, outcome
    return result
