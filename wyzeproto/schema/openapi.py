"""Build an OpenAPI 3.1 document from the catalog and the schema files.

OpenAPI 3.1 embeds JSON Schema 2020-12 unchanged, so every schema file becomes one entry of
``components/schemas`` as it is; only its ``$id``/``$schema`` are dropped and its ``$ref``s
are rewritten to point inside the document (``#/components/schemas/<name>/$defs/...``), so
nothing refers outside the file. Two generations share some paths (the 2018 API and the
current one both have ``POST /app/user/refresh_token``); OpenAPI allows one operation per
method and path, so such endpoints are merged into one operation with both servers and
``anyOf`` bodies.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urldefrag, urljoin

from wyzeproto.schema.catalog import EMPTY, UNCHECKED, Catalog, Endpoint
from wyzeproto.schema.store import BASE_URI

# One scheme per signing style; a generation names its scheme in catalog.yaml ('security').
# OpenAPI cannot express an HMAC, so the signed ones are apiKey headers whose description
# states the algorithm (docs/api.md has a worked example of each).
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "access_token": {
        "type": "apiKey", "in": "header", "name": "authorization",
        "description": "The access token from login, raw (wyzeapy devicemgmt)."},
    "bearer": {
        "type": "http", "scheme": "bearer",
        "description": "authorization: Bearer <access_token> (webrtc signalling, bridge)."},
    "developer_key": {
        "type": "apiKey", "in": "header", "name": "Keyid",
        "description": "A developer key pair: headers Keyid and Apikey (Wyze support article "
                       "16129834216731); the app's own logins send X-API-Key and Phone-Id."},
    "olive_signature2": {
        "type": "apiKey", "in": "header", "name": "signature2",
        "description": "HMAC-MD5 hex, key = md5hex(access_token + olive secret), message = "
                       "the JSON body (POST, PUT) or the sorted 'k=v&...' query with nonce "
                       "(GET, PATCH); headers appid 9319141212m2ik, access_token, requestid."},
    "venus_signature2": {
        "type": "apiKey", "in": "header", "name": "signature2",
        "description": "As olive_signature2 with appid venp_4c30f812828de875 and the venus "
                       "secret (wyze-sdk WYZE_SALTS)."},
    "ford_sign": {
        "type": "apiKey", "in": "query", "name": "sign",
        "description": "md5hex(quote_plus(method + path + sorted 'k=v&...' parameters + Ford "
                       "secret)); with access_token, key and timestamp (in the body for POST)."},
}

Example = dict[str, Any]  # (endpoint id, outcome name or "request") -> body, see build()


def component_name(rel: str) -> str:
    """``app-api/app/user/logout.response.json`` -> ``app-api.app.user.logout.response``."""
    return rel.removesuffix(".json").replace("/", ".")


def _pointer(uri: str) -> str:
    """An absolute schema URI (with optional #fragment) -> a pointer inside the document."""
    base, fragment = urldefrag(uri)
    rel = base.removeprefix(BASE_URI)
    return f"#/components/schemas/{component_name(rel)}{fragment}"


def _rewrite(node: Any, base: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = _pointer(urljoin(base, value))
            elif key in ("examples", "const", "enum", "default"):
                out[key] = copy.deepcopy(value)
            else:
                out[key] = _rewrite(value, base)
        return out
    if isinstance(node, list):
        return [_rewrite(item, base) for item in node]
    return node


def _ref(catalog: Catalog, ref: str) -> dict[str, Any]:
    return {"$ref": _pointer(catalog.store.uri(ref))}


def _one_or_any(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    unique = list({s["$ref"]: s for s in schemas}.values())
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


def _query_fields(catalog: Catalog, ref: str) -> tuple[dict[str, Any], set[str]]:
    """(parameters, required names) of a query schema, its envelope's ($ref in allOf) first."""
    doc = catalog.store.resolve(ref)
    out: dict[str, Any] = {}
    required: set[str] = set()
    for part in [*(p for p in doc.get("allOf", []) if isinstance(p, dict) and "$ref" in p)]:
        target = catalog.store.resolve(part["$ref"].removeprefix("/schemas/"))
        out.update(target.get("properties", {}))
        required.update(target.get("required", []))
    out.update(doc.get("properties", {}))
    return out, required | set(doc.get("required", []))


def _operation(catalog: Catalog, group: list[Endpoint], examples: dict[tuple[str, str], Any]
               ) -> dict[str, Any]:
    first = group[0]
    servers = list(dict.fromkeys(f"https://{h}" for e in group for h in e.hosts
                                 if "*" not in h))
    description = "\n\n".join(
        f"**{e.id}** ({catalog.generations[e.generation].get('title', e.generation)}): "
        f"{e.summary}\n\nSources: {'; '.join(e.sources)}." for e in group)
    op: dict[str, Any] = {
        "operationId": "+".join(e.id for e in group),
        "summary": first.summary,
        "description": description,
        "tags": list(dict.fromkeys(e.generation for e in group)),
        "servers": [{"url": url} for url in servers],
    }
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", first.path)]
    # OpenAPI describes Authorization through security schemes, not header parameters.
    params += [{"name": h.name, "in": "header", "required": h.required,
                "description": h.description, "schema": {"type": "string"}}
               for h in first.request_headers if h.name.lower() != "authorization"]
    scheme = catalog.generations[first.generation].get("security")
    if scheme:
        op["security"] = [{scheme: []}]
    elif any(h.name.lower() == "authorization" for h in first.request_headers):
        op["security"] = [{"access_token": []}]
    if first.request_query:
        names, required = _query_fields(catalog, first.request_query)
        params += [{"name": name, "in": "query", "required": name in required,
                    "description": spec.get("description", "") if isinstance(spec, dict) else "",
                    "schema": {"type": "string"}}
                   for name, spec in names.items()]
    if params:
        op["parameters"] = params
    header_docs = {name: {"description": text, "schema": {"type": "string"}}
                   for e in group
                   for name, text in (catalog.generations[e.generation]
                                      .get("response_headers") or {}).items()}
    requests = [_ref(catalog, e.request) for e in group
                if e.request_body != "none" and e.request not in (EMPTY, UNCHECKED)]
    if requests:
        media: dict[str, Any] = {"schema": _one_or_any(requests)}
        example = examples.get((first.id, "request"))
        if example is not None:
            media["example"] = example
        content = {"application/json": media}
        if any(e.request_body == "json-or-form" for e in group):
            content["application/x-www-form-urlencoded"] = {"schema": _one_or_any(requests)}
        op["requestBody"] = {"required": True, "content": content}
    by_status: dict[str, list[tuple[Endpoint, Any]]] = defaultdict(list)
    for endpoint in group:
        for outcome in endpoint.reachable():
            for code in outcome.status or (200,):
                by_status[str(code)].append((endpoint, outcome))
    responses: dict[str, Any] = {}
    for status in sorted(by_status):
        pairs = by_status[status]
        lines = [f"- `{o.name}`: {o.summary}" for _, o in pairs]
        response: dict[str, Any] = {"description": "\n".join(dict.fromkeys(lines))}
        bodies = [_ref(catalog, o.response) for _, o in pairs
                  if o.response not in (EMPTY, UNCHECKED)]
        if bodies:
            media = {"schema": _one_or_any(bodies)}
            named = {o.name: {"summary": o.summary, "value": examples[(e.id, o.name)]}
                     for e, o in pairs if (e.id, o.name) in examples}
            if named:
                media["examples"] = named
            response["content"] = {"application/json": media}
        if header_docs:
            response["headers"] = header_docs
        responses[status] = response
    op["responses"] = responses
    return op


def build_openapi(catalog: Catalog, examples: dict[tuple[str, str], Any],
                  version: str = "0.1.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document, as plain data (dump it with YAML or JSON)."""
    groups: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
    for endpoint in catalog.endpoints:
        groups[(endpoint.path, endpoint.method.lower())].append(endpoint)
    paths: dict[str, dict[str, Any]] = {}
    for (path, method), group in groups.items():
        paths.setdefault(path, {})[method] = _operation(catalog, group, examples)
    components = {
        component_name(catalog.store.files[uri]): _rewrite(doc, uri)
        for uri, doc in sorted(catalog.store.documents.items())
    }
    tags = [{"name": name, "description": gen.get("title", name)}
            for name, gen in catalog.generations.items()]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wyze cloud API (unofficial, reverse-engineered)",
            "version": version,
            "summary": "What public sources establish about the Wyze camera cloud API.",
            "description": (
                "Generated by `wyze-toolkit docs` from schemas/catalog.yaml and the "
                "JSON Schema files in schemas/; do not edit by hand. Schema descriptions mark "
                "what is seen, inferred or unknown, with sources. Examples are made-up "
                "reference bodies with redaction placeholders (captures/reference/)."),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "https://api.wyzecam.com"}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
