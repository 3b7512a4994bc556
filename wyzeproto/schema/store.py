"""The schema files under ``schemas/``: load them, compile validators, and check the files.

Every schema is a JSON Schema 2020-12 document whose ``$id`` is ``BASE_URI`` + its path under
``schemas/``; schemas refer to each other by root-relative URI (``/schemas/common/...``).
Nothing is ever fetched: both validators get a retriever that refuses, so a ``$ref`` outside
``schemas/`` is an error, never a network request.

jsonschema-rs does the bulk validation (compiled, microseconds per body); python-jsonschema
is the reference: it checks the files against the meta-schema and explains a failure
(``best_match``). A test proves both agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
import referencing.exceptions
from jsonschema.exceptions import ValidationError, best_match, relevance
from referencing.jsonschema import DRAFT202012

BASE_URI = "https://wyze-toolkit.invalid/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class SchemaError(Exception):
    """A schema file or reference that cannot be used. ``str()`` starts with where."""


def _refuse(uri: str) -> Any:
    raise KeyError(f"{uri} is not a file under schemas/ (nothing is fetched from the network)")


def _refuse_py(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


@dataclass
class SchemaStore:
    """All schema documents of one ``schemas/`` directory, by ``$id``."""

    root: Path
    documents: dict[str, Any]
    files: dict[str, str]  # $id -> path relative to root
    _rs_registry: Any = None
    _py_registry: referencing.Registry[Any] | None = None
    _rs_cache: dict[str, Any] = field(default_factory=dict)
    _py_cache: dict[str, jsonschema.protocols.Validator] = field(default_factory=dict)

    def uri(self, ref: str) -> str:
        """``common/auth.json#/$defs/error`` -> its absolute URI."""
        if ref.startswith(("http://", "https://")):
            return ref
        return BASE_URI + ref.lstrip("/")

    def resolve(self, ref: str) -> Any:
        """The (sub)schema a reference points at. Raises SchemaError when it does not exist."""
        uri = self.uri(ref)
        try:
            return self.py_registry.resolver().lookup(uri).contents
        except referencing.exceptions.Unresolvable as exc:
            raise SchemaError(f"schemas/{ref}: does not resolve ({exc})") from None

    @property
    def rs_registry(self) -> Any:
        if self._rs_registry is None:
            resources = list(self.documents.items())
            self._rs_registry = jsonschema_rs.Registry(resources, retriever=_refuse)
        return self._rs_registry

    @property
    def py_registry(self) -> referencing.Registry[Any]:
        if self._py_registry is None:
            registry: referencing.Registry[Any] = referencing.Registry(
                retrieve=_refuse_py)  # type: ignore[call-arg]
            self._py_registry = registry.with_resources(
                (uri, DRAFT202012.create_resource(doc)) for uri, doc in self.documents.items()
            ).crawl()
        return self._py_registry

    def fast(self, ref: str) -> Any:
        """A compiled jsonschema-rs validator for a reference (cached by the reference)."""
        validator = self._rs_cache.get(ref)
        if validator is None:
            uri = self.uri(ref)
            try:
                validator = jsonschema_rs.Draft202012Validator(
                    {"$ref": uri}, registry=self.rs_registry, retriever=_refuse
                )
            except jsonschema_rs.ValidationError as exc:
                first = str(exc).splitlines()[0]
                raise SchemaError(f"schemas/{ref}: cannot compile: {first}") from None
            self._rs_cache[ref] = validator
        return validator

    def reference(self, ref: str) -> jsonschema.protocols.Validator:
        """A python-jsonschema validator for a reference (cached): the explaining one."""
        uri = self.uri(ref)
        validator = self._py_cache.get(uri)
        if validator is None:
            validator = jsonschema.Draft202012Validator({"$ref": uri}, registry=self.py_registry)
            self._py_cache[uri] = validator
        return validator

    def is_valid(self, ref: str, instance: Any) -> bool:
        return bool(self.fast(ref).is_valid(instance))

    def explain(self, ref: str, instance: Any) -> list[ValidationError]:
        """Every error python-jsonschema finds, the best match first."""
        errors = list(self.reference(ref).iter_errors(instance))
        if not errors:
            return []
        best = best_match(errors)
        rest = sorted((e for e in errors if e is not best), key=relevance, reverse=True)
        return [best, *rest]


def load_store(root: str | Path) -> SchemaStore:
    """Read every ``*.json`` under ``root``. Raises SchemaError naming the file at fault."""
    root = Path(root)
    if not root.is_dir():
        raise SchemaError(f"{root}: no such schemas directory")
    documents: dict[str, Any] = {}
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SchemaError(f"{path}: not a readable JSON file: {exc}") from None
        if not isinstance(doc, dict):
            raise SchemaError(f"{path}: a schema file must hold a JSON object")
        expected = BASE_URI + rel
        if doc.get("$id") != expected:
            raise SchemaError(f"{path}: $id must be {expected!r} (got {doc.get('$id')!r})")
        if doc.get("$schema") != DIALECT:
            raise SchemaError(f"{path}: $schema must be {DIALECT!r}")
        documents[expected] = doc
        files[expected] = rel
    return SchemaStore(root, documents, files)


def _walk(node: Any, pointer: str, in_schema: bool = True) -> Iterator[tuple[str, Any, str]]:
    """Yield (pointer, node, key) for every dict in a schema, skipping instance data."""
    if isinstance(node, dict):
        if in_schema:
            yield pointer, node, ""
        for key, value in node.items():
            if in_schema and key in ("examples", "const", "enum", "default"):
                continue
            child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            # a 'properties'-like map holds schemas but is not one itself
            maps = ("properties", "$defs", "patternProperties", "dependentSchemas")
            yield from _walk(value, child, in_schema=not (in_schema and key in maps))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{pointer}/{index}")


def check_store(store: SchemaStore) -> list[str]:
    """Problems with the files themselves: meta-schema, unresolvable $refs, bad examples."""
    problems: list[str] = []
    meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    for uri, doc in store.documents.items():
        where = (store.root / store.files[uri]).as_posix()
        for error in meta.iter_errors(doc):
            problems.append(f"{where}::{error.json_path}: not valid JSON Schema 2020-12: "
                            f"{error.message}")
        resolver = store.py_registry.resolver(base_uri=uri)
        for pointer, node, _ in _walk(doc, ""):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except referencing.exceptions.Unresolvable:
                    problems.append(f"{where}::#{pointer}: $ref {ref!r} does not resolve; "
                                    "point it at a file and $defs entry under schemas/")
    if problems:  # examples cannot be checked against schemas that do not resolve
        return problems
    for uri, doc in store.documents.items():
        where = (store.root / store.files[uri]).as_posix()
        for pointer, node, _ in _walk(doc, ""):
            examples = node.get("examples")
            if not isinstance(examples, list):
                continue
            for index, example in enumerate(examples):
                for error in store.explain(f"{store.files[uri]}#{pointer}", example)[:1]:
                    problems.append(f"{where}::#{pointer}/examples/{index}::"
                                    f"{error.json_path}: example does not validate: "
                                    f"{error.message}")
    return problems
