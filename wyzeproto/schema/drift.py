"""Drift report: fields the traffic carries that the schemas do not document.

    wyze-toolkit drift [CAPTURES...] [--strict]

Real traffic evolves; the schemas accept unknown extra fields on purpose (validation does
not fail on them), and this report lists them, so a new field is noticed and documented
rather than silently ignored. A field counts as undocumented when the object holding it is
described by the schema (some of its properties are named) but that name is not, by
``properties``, ``patternProperties`` or ``additionalProperties``. The names come from
jsonschema-rs's annotations, so ``$ref``, ``allOf`` and the chosen ``oneOf`` branch count.
Exit 0 (a report), or 1 with ``--strict`` when anything drifted; 2 for unusable input.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.schema.catalog import Catalog
from wyzeproto.schema.check import NOT_JSON, parse_json
from wyzeproto.schema.store import SchemaStore

_NAMING = ("properties", "patternProperties", "additionalProperties")
_INDEX = re.compile(r"\[\d+\]")


def _objects(node: Any, pointer: str = "", path: str = "$") -> Iterator[tuple[str, str, dict]]:
    if isinstance(node, dict):
        yield pointer, path, node
        for key, value in node.items():
            token = key.replace("~", "~0").replace("/", "~1")
            step = f".{key}" if key.isidentifier() else f"[{key!r}]"
            yield from _objects(value, f"{pointer}/{token}", path + step)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _objects(item, f"{pointer}/{index}", f"{path}[{index}]")


def undocumented(store: SchemaStore, ref: str, instance: Any) -> list[str]:
    """JSON paths of the fields in ``instance`` that schema ``ref`` does not name."""
    named: dict[str, set[str]] = defaultdict(set)
    for annotation in store.fast(ref).evaluate(instance).annotations():
        if annotation["schemaLocation"].rsplit("/", 1)[-1] in _NAMING:
            named[annotation["instanceLocation"]].update(annotation["annotations"] or ())
    found = []
    for pointer, path, obj in _objects(instance):
        if pointer in named:  # only objects the schema describes
            found += [f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"
                      for key in obj if key not in named[pointer]]
    return found


def drift(paths: list[str], catalog: Catalog) -> Counter[tuple[str, str, str]]:
    """(endpoint id, request|response, path with [*]) -> times seen."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for name in find_cassettes(paths):
        for interaction in load_cassette(name).interactions:
            request, response = interaction["request"], interaction["response"]
            endpoint = catalog.match(request["method"], request["uri"])
            if endpoint is None:
                continue
            body, _ = parse_json(response["body"]["string"])
            sides = [("request", endpoint.request, request.get("body"))]
            outcome = endpoint.outcome_for(response["status"]["code"],
                                           None if body is NOT_JSON else body)
            if outcome is not None:
                sides.append(("response", outcome.response, response["body"]["string"]))
            for side, ref, raw in sides:
                instance, _ = parse_json(raw)
                if instance is NOT_JSON or "/" not in ref and "#" not in ref:
                    continue  # no body, or not a schema reference (EMPTY, UNCHECKED)
                for path in undocumented(catalog.store, ref, instance):
                    seen[(endpoint.id, side, _INDEX.sub("[*]", path))] += 1
    return seen
