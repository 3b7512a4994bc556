"""Flatten a JSON Schema into documentation rows: field path, type, required, description.

Follows ``$ref`` (through the schema store's registry) and merges ``allOf``, so an endpoint's
table shows the envelope fields it inherits next to its own. Nested objects appear as dotted
paths (``data.device_list[].mac``), to a fixed depth.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from referencing._core import Resolver  # the type of Registry.resolver()'s result

from wyzeproto.schema.store import SchemaStore

MAX_DEPTH = 4


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


def _lookup(resolver: Resolver[Any], schema: Any
            ) -> tuple[Any, Resolver[Any]]:
    """Follow ``$ref`` chains; keep the referring schema's own description if it has one."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        resolved = resolver.lookup(schema["$ref"])
        target, resolver = resolved.contents, resolved.resolver
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **extra} if isinstance(target, dict) else target
        seen += 1
    return schema, resolver


def merged(resolver: Resolver[Any], schema: Any
           ) -> tuple[dict[str, Any], Resolver[Any]]:
    """One view of a schema: $refs followed, allOf members' properties and required merged.

    Returns the merged schema and the resolver to use for its properties' own $refs; each
    property keeps the resolver of the document it came from (``_resolver`` key).
    """
    schema, resolver = _lookup(resolver, schema)
    if not isinstance(schema, dict):
        return {}, resolver
    props: dict[str, Any] = {}
    required: list[str] = []
    out = dict(schema)
    for part in schema.get("allOf", []):
        sub, sub_resolver = merged(resolver, part)
        for name, prop in sub.get("properties", {}).items():
            props[name] = _tagged(prop, sub_resolver)
        required += sub.get("required", [])
        for key in ("type", "description"):
            out.setdefault(key, sub.get(key))
    for name, prop in schema.get("properties", {}).items():
        if name in props:  # a narrowing (e.g. code const "1") keeps the inherited description
            base, base_resolver = _lookup(props[name]["_resolver"], props[name]["schema"])
            own, own_resolver = _lookup(resolver, prop)
            base = base if isinstance(base, dict) else {}
            if any(key in own for key in ("type", "const", "enum", "anyOf")):
                text = own.get("description") or base.get("description") or ""
                own = {**own, "description": text}
                props[name] = _tagged(own, own_resolver)
            else:
                props[name] = _tagged({**base, **own}, base_resolver)
        else:
            props[name] = _tagged(prop, resolver)
    required += schema.get("required", [])
    out["properties"] = props
    out["required"] = list(dict.fromkeys(required))
    return out, resolver


def _tagged(schema: Any, resolver: Resolver[Any]) -> dict[str, Any]:
    if isinstance(schema, dict) and "_resolver" in schema:
        return schema
    return {"schema": schema, "_resolver": resolver}


def type_of(resolver: Resolver[Any], schema: Any) -> str:
    schema, resolver = _lookup(resolver, schema)
    if not isinstance(schema, dict):
        return "any"
    if "const" in schema:
        return f"const {_literal(schema['const'])}"
    if "enum" in schema:
        return "one of " + ", ".join(_literal(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(dict.fromkeys(type_of(resolver, s) for s in schema["anyOf"]))
    kind = schema.get("type")
    if kind is None and "allOf" in schema:
        kind = merged(resolver, schema)[0].get("type")
    text = " or ".join(kind) if isinstance(kind, list) else kind or "any"
    if text == "array" and isinstance(schema.get("items"), dict):
        text = f"array of {type_of(resolver, schema['items'])}"
    if "pattern" in schema:
        text += f" `{schema['pattern']}`"
    return text


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _description(resolver: Resolver[Any], schema: Any) -> str:
    schema, _ = _lookup(resolver, schema)
    if isinstance(schema, dict):
        return str(schema.get("description", ""))
    return ""


def fields(store: SchemaStore, ref: str) -> list[Field]:
    """Rows for every field of the schema ``ref`` points at (nested, to MAX_DEPTH)."""
    resolver = store.py_registry.resolver()
    rows: list[Field] = []
    _rows(resolver.lookup(store.uri(ref)).resolver, {"$ref": store.uri(ref)}, "", 0, rows)
    return rows


def _rows(resolver: Resolver[Any], schema: Any, prefix: str, depth: int,
          rows: list[Field]) -> None:
    view, resolver = merged(resolver, schema)
    required = set(view.get("required", []))
    for name, tagged in view.get("properties", {}).items():
        prop, prop_resolver = tagged["schema"], tagged["_resolver"]
        path = f"{prefix}{name}"
        rows.append(Field(path, type_of(prop_resolver, prop), name in required,
                          _description(prop_resolver, prop)))
        if depth >= MAX_DEPTH:
            continue
        target, target_resolver = _lookup(prop_resolver, prop)
        if not isinstance(target, dict):
            continue
        if target.get("type") == "array" and isinstance(target.get("items"), dict):
            _rows(target_resolver, target["items"], f"{path}[].", depth + 1, rows)
        elif "properties" in target or "allOf" in target:
            _rows(target_resolver, target, f"{path}.", depth + 1, rows)
