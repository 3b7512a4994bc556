"""Render the API reference (docs/api.md) and OpenAPI 3.1 (docs/openapi.yaml) from schemas/.

    wyze-toolkit docs [--check] [--schemas DIR] [--captures captures] [--out docs]

One section per endpoint: method, URL, a field table (name, type, required, description) for
the request and the success response, an example request and response taken from
``captures/`` (reference cassettes first), and its errors. ``--check`` writes nothing and
exits 1 when the files on disk are not what would be written (CI runs it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from wyzeproto.cassette.files import CassetteError, find_cassettes, load_cassette
from wyzeproto.schema.catalog import EMPTY, UNCHECKED, Catalog, Endpoint, load_catalog
from wyzeproto.schema.check import check, parse_json
from wyzeproto.schema.field_rows import fields
from wyzeproto.schema.openapi import build_openapi
from wyzeproto.schema.signing_examples import SIGNING_EXAMPLES

Examples = dict[tuple[str, str], Any]  # (endpoint id, outcome name | "request") -> JSON body


def collect_examples(catalog: Catalog, captures: Path) -> tuple[Examples, dict[str, str]]:
    """The first valid example body per endpoint and outcome; reference cassettes first.

    Returns the examples and, per endpoint id, the cassette the success example came from.
    """
    found: Examples = {}
    origin: dict[str, str] = {}
    reference = captures / "reference"
    names = find_cassettes([str(reference)]) if reference.is_dir() else []
    if captures.is_dir():
        names += [n for n in find_cassettes([str(captures)]) if n not in names]
    for name in names:
        try:
            cassette = load_cassette(name)
        except CassetteError:
            continue  # `make validate` reports unusable cassettes; docs just skip them
        for interaction in cassette.interactions:
            result = check(catalog, interaction)
            if result.endpoint is None or result.outcome is None or result.problems:
                continue
            eid = result.endpoint.id
            request, _ = parse_json(interaction["request"].get("body"))
            response, _ = parse_json(interaction["response"]["body"]["string"])
            if isinstance(request, dict | list):
                found.setdefault((eid, "request"), request)
            if isinstance(response, dict | list):
                if (eid, result.outcome) not in found and result.outcome == "success":
                    origin[eid] = Path(name).relative_to(captures.parent).as_posix() \
                        if Path(name).is_relative_to(captures.parent) else name
                found.setdefault((eid, result.outcome), response)
    return found, origin


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(catalog: Catalog, ref: str) -> list[str]:
    rows = fields(catalog.store, ref)
    if not rows:
        return ["(no fields documented)", ""]
    out = ["| field | type | required | description |", "|---|---|---|---|"]
    out += [f"| `{r.name}` | {_cell(r.type)} | {'yes' if r.required else 'no'} | "
            f"{_cell(r.description)} |" for r in rows]
    return [*out, ""]


def _json_block(value: Any) -> list[str]:
    return ["```json", json.dumps(value, indent=2, ensure_ascii=False), "```", ""]


def _anchor(endpoint: Endpoint) -> str:
    return endpoint.id.replace(".", "-").lower()


def _section(catalog: Catalog, endpoint: Endpoint, examples: Examples,
             origin: dict[str, str]) -> list[str]:
    urls = ", ".join(f"`https://{h}{endpoint.path}`" for h in endpoint.hosts)
    out = [f'<a id="{_anchor(endpoint)}"></a>', "",
           f"### {endpoint.method} {endpoint.path}", "",
           f"{endpoint.summary}", "",
           f"- **Endpoint id:** `{endpoint.id}`",
           f"- **URL:** {urls}",
           f"- **Sources:** {'; '.join(endpoint.sources)}", ""]
    if endpoint.request_headers:
        out += ["**Request headers:**", "", "| header | required | description |", "|---|---|---|"]
        out += [f"| `{h.name}` | {'yes' if h.required else 'no'} | {_cell(h.description)} |"
                for h in endpoint.request_headers]
        out.append("")
    if endpoint.request_query:
        doc = catalog.store.resolve(endpoint.request_query)
        out += [f"**Query string** (`schemas/{endpoint.request_query}`): "
                f"{_cell(doc.get('description', ''))}", ""]
        out += _table(catalog, endpoint.request_query)
    if endpoint.request_body == "none" or endpoint.request in (EMPTY, UNCHECKED):
        out += ["**Request body:** none.", ""]
    else:
        doc = catalog.store.resolve(endpoint.request)
        out += [f"**Request body** (`schemas/{endpoint.request}`"
                + (", JSON or a form body" if endpoint.request_body == "json-or-form" else "")
                + f"): {_cell(doc.get('description', ''))}", ""]
        out += _table(catalog, endpoint.request)
    success = next((o for o in endpoint.outcomes if o.name == "success"), None)
    if success and success.response not in (EMPTY, UNCHECKED):
        doc = catalog.store.resolve(success.response)
        out += [f"**Success response** (HTTP {', '.join(map(str, success.status))}, "
                f"`schemas/{success.response}`): {_cell(doc.get('description', ''))}", ""]
        out += _table(catalog, success.response)
    if (endpoint.id, "request") in examples:
        out += ["**Example request** (made-up reference values):", ""]
        out += _json_block(examples[(endpoint.id, "request")])
    if (endpoint.id, "success") in examples:
        out += [f"**Example response** (from `{origin.get(endpoint.id, 'captures/')}`):", ""]
        out += _json_block(examples[(endpoint.id, "success")])
    response_headers = catalog.generations[endpoint.generation].get("response_headers") or {}
    if response_headers:
        out += ["**Response headers:**", ""]
        out += [f"- `{name}`: {_cell(text)}" for name, text in response_headers.items()]
        out.append("")
    errors = [o for o in endpoint.reachable() if o.name != "success"]
    if errors:
        out += ["**Errors and other outcomes:**", "",
                "| outcome | HTTP | matched on | body | example |", "|---|---|---|---|---|"]
        for o in errors:
            when = ", ".join(f"`{k}` {json.dumps(v)}" for k, v in o.fields.items()) or "status"
            body = {EMPTY: "empty", UNCHECKED: "not documented"}.get(o.response,
                                                                     f"`schemas/{o.response}`")
            example = examples.get((endpoint.id, o.name))
            sample = f"`{_cell(json.dumps(example, ensure_ascii=False))}`" if example else ""
            out.append(f"| `{o.name}`: {_cell(o.summary)} | "
                       f"{', '.join(map(str, o.status)) or 'any'} | {_cell(when)} | {body} | "
                       f"{sample} |")
        out.append("")
    return out


def render_markdown(catalog: Catalog, examples: Examples, origin: dict[str, str]) -> str:
    out = ["# Wyze cloud API reference (unofficial)", "",
           "Generated by `wyze-toolkit docs` from `schemas/catalog.yaml`, the JSON "
           "Schema files in `schemas/` and the cassettes in `captures/`; do not edit by hand. "
           "This completes the 2018 write-up (nblavoie/wyzecam-api) with what public sources "
           "establish; each description says what is **seen** (in a public client, capture or "
           "issue), **inferred**, or **unknown**, and names its sources. Unknown extra fields "
           "are accepted everywhere. The OpenAPI 3.1 form is `docs/openapi.yaml`.", "",
           "Example values are redaction placeholders (`0000A1B2C3D4`, "
           "`lvtx.REDACTED_access_token_...`, `user-...@example.invalid`), never real data.", "",
           "## Contents", ""]
    for name, gen in catalog.generations.items():
        members = [e for e in catalog.endpoints if e.generation == name]
        out.append(f"- {gen.get('title', name)}")
        out += [f"  - [{e.method} {e.path}](#{_anchor(e)}) ({e.id})" for e in members]
    out += ["- [Shared definitions](#shared-definitions)", ""]
    for name, gen in catalog.generations.items():
        out += [f"## {gen.get('title', name)}", ""]
        if gen.get("signing"):
            out += [f"**Signing:** {_cell(gen['signing'])}", ""]
        out += SIGNING_EXAMPLES.get(name, [])
        for endpoint in (e for e in catalog.endpoints if e.generation == name):
            out += _section(catalog, endpoint, examples, origin)
    out += _shared(catalog)
    return "\n".join(out).rstrip("\n") + "\n"


def _shared(catalog: Catalog) -> list[str]:
    """The pieces under schemas/common/: envelopes, error bodies, formats, device objects."""
    out = ['<a id="shared-definitions"></a>', "", "## Shared definitions", ""]
    for uri, rel in sorted(catalog.store.files.items(), key=lambda item: item[1]):
        if not rel.startswith("common/"):
            continue
        doc = catalog.store.documents[uri]
        out += [f"### {doc.get('title', rel)} (`schemas/{rel}`)", "",
                _cell(doc.get("description", "")), "",
                "| definition | description | example |", "|---|---|---|"]
        for name, sub in doc.get("$defs", {}).items():
            example = (sub.get("examples") or [None])[0]
            sample = f"`{_cell(json.dumps(example, ensure_ascii=False))}`" \
                if example is not None else ""
            out.append(f"| `{name}` | {_cell(sub.get('description', ''))} | {sample} |")
        out.append("")
    return out


def render(schemas: str | Path, captures: str | Path) -> dict[str, str]:
    """File name (under docs/) -> its generated text."""
    catalog = load_catalog(schemas)
    examples, origin = collect_examples(catalog, Path(captures))
    openapi = build_openapi(catalog, examples)
    text = yaml.safe_dump(openapi, sort_keys=False, allow_unicode=True, width=100)
    header = "# Generated by `wyze-toolkit docs`; do not edit by hand.\n"
    return {"api.md": render_markdown(catalog, examples, origin), "openapi.yaml": header + text}
