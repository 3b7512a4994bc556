"""From cassettes to a schemas folder of its own: one schema per endpoint and outcome.

    drafts = collect(cassette_paths, catalog, mode="undocumented")   # or "all", or an id
    files = render(drafts)   # {"catalog.yaml": ..., "inferred/<host>/<path>.<outcome>.json": ...}

Samples are grouped by endpoint (the catalog's, or method, host and path with placeholder and
numeric segments as ``{id}``) and, within one, by outcome, keyed the way the catalog keys
them: the HTTP status and the error code field (``code``, ``errorCode``). A documented
endpoint keeps its id and its outcome names. The folder passes ``wyze-toolkit validate
--schemas DIR`` as it is, and every entry can be merged into ``schemas/`` by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.redact.kinds import kind_of
from wyzeproto.redact.lint import secret_findings
from wyzeproto.schema.catalog import Catalog
from wyzeproto.schema.check import NOT_JSON, parse_json
from wyzeproto.schema.infer import Shape
from wyzeproto.schema.store import BASE_URI

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
GENERATION = "inferred"
_CODE_FIELDS = ("code", "errorCode")
_SUCCESS_CODES = ("1", 1, "0", 0)
_SAFE = re.compile(r"[^A-Za-z0-9_]+")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class OutcomeDraft:
    name: str
    status: int
    code: tuple[str, Any] | None  # (field, value) that tells this outcome apart
    shape: Shape = field(default_factory=Shape)
    samples: int = 0
    example: Any = None
    empty: int = 0  # samples without a JSON body


@dataclass
class EndpointDraft:
    id: str
    method: str
    host: str
    path: str
    documented: bool
    request: Shape = field(default_factory=Shape)
    request_samples: int = 0
    request_other: int = 0  # bodies that were present but not JSON
    request_example: Any = None
    outcomes: dict[tuple[int, Any], OutcomeDraft] = field(default_factory=dict)
    cassettes: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)  # the catalog's patterns, when documented

    @property
    def samples(self) -> int:
        return sum(o.samples for o in self.outcomes.values())


def template(path: str) -> str:
    """``/v1/device/0000A1B2C3D4/info`` -> ``/v1/device/{id}/info``."""
    return "/".join("{id}" if segment and (segment.isdigit() or kind_of(segment))
                    else segment for segment in path.split("/"))


def endpoint_id(method: str, host: str, path: str) -> str:
    words = [w for w in _SAFE.sub("_", path.replace("{id}", "by_id")).split("_") if w]
    name = host.split(".")[0] + (f"_{host.rpartition(':')[2]}" if ":" in host else "")
    return f"inferred.{name}.{method.lower()}_{'_'.join(words) or 'root'}"


def _code(body: Any) -> tuple[str, Any] | None:
    if isinstance(body, dict):
        for name in _CODE_FIELDS:
            value = body.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return name, value
    return None


def _outcome_name(status: int, code: tuple[str, Any] | None) -> str:
    if 200 <= status < 300 and (code is None or code[1] in _SUCCESS_CODES):
        return "success"
    if code is not None:
        return f"error_{_SAFE.sub('_', str(code[1]))}"
    return f"http_{status}"


def _secret_sides(interaction: dict[str, Any]) -> set[str]:
    """``request.body``/``response.body`` if the secret linter finds something there."""
    return {side for location, _ in secret_findings(interaction)
            for side in ("request.body", "response.body") if location.startswith(side)}


def collect(paths: list[str], catalog: Catalog, mode: str = "undocumented"
            ) -> dict[str, EndpointDraft]:
    """Group every sample; ``mode``: ``undocumented``, ``all``, or one endpoint id."""
    drafts: dict[str, EndpointDraft] = {}
    for name in find_cassettes(paths):
        for interaction in load_cassette(name).interactions:
            request, response = interaction["request"], interaction["response"]
            method = str(request["method"]).upper()
            parts = urlsplit(request["uri"])
            known = catalog.match(method, request["uri"])
            if mode == "undocumented" and known is not None:
                continue
            if mode not in ("undocumented", "all") and (known is None or known.id != mode):
                continue
            host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
            path = template(parts.path or "/")
            key = known.id if known is not None else endpoint_id(method, host, path)
            draft = drafts.get(key)
            if draft is None:
                draft = drafts[key] = EndpointDraft(
                    key, method, host, known.path if known else path, known is not None,
                    hosts=list(known.hosts) if known else [host])
            if name not in draft.cassettes:
                draft.cassettes.append(name)
            secrets: set[str] | None = None  # the linter runs only for a first example
            body, _ = parse_json(request.get("body"))
            if body is not NOT_JSON:
                draft.request.add(body)
                draft.request_samples += 1
                if draft.request_example is None:
                    secrets = _secret_sides(interaction)
                    draft.request_example = body if "request.body" not in secrets else None
            elif request.get("body") not in (None, "", b""):
                draft.request_other += 1
            status = response["status"]["code"]
            body, _ = parse_json(response["body"]["string"])
            json_body = None if body is NOT_JSON else body
            documented = known.outcome_for(status, json_body) if known else None
            code = _code(json_body)
            okey = (status, code)
            outcome = draft.outcomes.get(okey)
            if outcome is None:
                oname = documented.name if documented else _outcome_name(status, code)
                taken = {o.name for o in draft.outcomes.values()}
                if oname in taken:
                    oname = f"{oname}_{status}"
                outcome = draft.outcomes[okey] = OutcomeDraft(oname, status, code)
            outcome.samples += 1
            if body is NOT_JSON:
                outcome.empty += 1
                continue
            outcome.shape.add(body)
            if outcome.example is None:
                if secrets is None:
                    secrets = _secret_sides(interaction)
                outcome.example = body if "response.body" not in secrets else None
    return drafts


def _where(draft: EndpointDraft) -> str:
    stem = draft.path.strip("/").replace("{", "").replace("}", "") or "root"
    return f"inferred/{draft.host.replace(':', '_')}/{stem}"


def _names(cassettes: list[str], most: int = 5) -> str:
    shown = ", ".join(cassettes[:most])
    return shown + (f" and {len(cassettes) - most} more" if len(cassettes) > most else "")


def _document(ref: str, schema: dict[str, Any], samples: int, cassettes: list[str],
              example: Any) -> str:
    doc: dict[str, Any] = {"$schema": SCHEMA, "$id": BASE_URI + ref, **schema}
    doc["description"] = f"inferred from {samples} samples in {_names(cassettes)}"
    if example is not None:
        doc["examples"] = [example]
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _when(draft: EndpointDraft, outcome: OutcomeDraft) -> dict[str, Any]:
    when: dict[str, Any] = {"status": outcome.status}
    if outcome.code is not None:
        when["fields"] = {outcome.code[0]: outcome.code[1]}
    else:
        others = {o.code[0] for o in draft.outcomes.values()
                  if o.code is not None and o.status == outcome.status}
        if others:  # the same status with a code is another outcome: say this one has none
            when["fields"] = {name: {"present": False} for name in sorted(others)}
    return when


def render(drafts: dict[str, EndpointDraft]) -> dict[str, str]:
    """Relative path -> file text: the schema files and ``catalog.yaml``."""
    files: dict[str, str] = {}
    endpoints = []
    for draft in sorted(drafts.values(), key=lambda d: d.id):
        where = _where(draft)
        if draft.request_samples and not draft.request_other:
            request = f"{where}.request.json"
            files[request] = _document(request, draft.request.schema(), draft.request_samples,
                                       draft.cassettes, draft.request_example)
            body_kind = "json"
        elif draft.request_other:
            request, body_kind = "unchecked", "json-or-form"
        else:
            request, body_kind = "empty", "none"
        outcomes = []
        # A condition with fields first: the catalog takes the first outcome that matches.
        for outcome in sorted(draft.outcomes.values(),
                              key=lambda o: (o.status, o.code is None, str(o.code))):
            if outcome.samples == outcome.empty:
                response = "empty"
            else:
                response = f"{where}.{outcome.name}.json"
                files[response] = _document(response, outcome.shape.schema(),
                                            outcome.samples - outcome.empty, draft.cassettes,
                                            outcome.example)
            outcomes.append({"name": outcome.name,
                             "summary": f"seen {outcome.samples} times",
                             "when": _when(draft, outcome), "response": response})
        endpoints.append({
            "id": draft.id, "method": draft.method, "hosts": draft.hosts or [draft.host],
            "path": draft.path,
            "generation": GENERATION,
            "summary": f"inferred from {draft.samples} samples; review before merging",
            "sources": [f"captures: {_names(draft.cassettes)}"], "request": request,
            "request_body": body_kind,
            "outcomes": outcomes})
    catalog = {"version": 1, "base_uri": BASE_URI,
               "generations": {GENERATION: {
                   "title": "Drafted by wyze-toolkit infer from captured samples"}},
               "endpoints": endpoints}
    files["catalog.yaml"] = ("# Drafted by `wyze-toolkit infer`: review every entry, then merge "
                             "it into schemas/catalog.yaml.\n"
                             + yaml.dump(catalog, Dumper=_DUMPER, sort_keys=False,
                                         allow_unicode=True))
    return files
