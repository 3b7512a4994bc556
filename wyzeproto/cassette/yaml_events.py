"""Cassette loading: libyaml's events straight into Python values, same result as the safe loader.

``yaml.load(..., Loader=CSafeLoader)`` parses in C, but then builds a node tree and constructs
every value from it in Python, several calls per scalar; that is most of its time. Reading the
C parser's events and building the dicts, lists and strings directly gives the same values in
about half the time. Every tool loads cassettes through this (``cassette.load_cassette``):
validation, linting, drift, replay; issue 3's speed goal is what found it.

Only the plain subset of YAML that cassettes are made of is read this way: mappings and
sequences without tags or anchors, quoted scalars (strings), plain scalars (typed by the safe
loader's own resolver and constructors) and scalars tagged with a standard scalar tag such as
``!!binary`` (built by the safe loader's own constructors). Anything else (anchors, aliases,
merge keys, tagged collections, complex keys, several documents, broken YAML) is handed to
the reference loader, ``yaml_text.load``, so the value, or the error, is always exactly what
the safe loader gives. ``tests/test_fastyaml.py`` proves they agree.
"""

from __future__ import annotations

import types
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from wyzeproto.cassette import yaml_text

# libyaml's parser, or None in a PyYAML built without it (then the reference loader only).
CParser: Any = getattr(yaml, "cyaml", None) and getattr(yaml.cyaml, "CParser", None)

_STR = "tag:yaml.org,2002:str"
# The scalar tags whose safe constructors read nothing but the scalar's text.
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "null", "bool", "int", "float", "binary", "timestamp"))
# The safe loader itself, for its resolver (plain scalar -> tag) and constructors (tag -> value).
_SAFE = yaml_text.SafeLoader("")


class _Unsupported(Exception):
    """The document uses YAML that only the reference loader reads."""


def _scalar(tag: str, value: str) -> Any:
    if tag not in _SCALAR_TAGS:
        raise _Unsupported(tag)
    built = _SAFE.yaml_constructors[tag](_SAFE, ScalarNode(tag, value))
    if isinstance(built, types.GeneratorType):  # a collection constructor someone registered
        raise _Unsupported(tag)
    return built


def _events(data: str | bytes) -> Any:
    """Build the one document in ``data`` from parser events; raises on anything unusual."""
    get = CParser(data).get_event
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise _Unsupported("not one document")
    plain: dict[str, Any] = {}  # plain scalar text -> value, resolved once per document
    stack: list[tuple[Any, bool, Any, bool]] = []
    root: Any = None
    container: Any = None  # the open dict or list, None before the root
    in_map = has_key = False
    key: Any = None
    while True:
        event: Any = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:
                raise _Unsupported("anchor")
            tag, value = event.tag, event.value
            if tag is None or tag == "!":
                if event.implicit[0]:  # plain: typed as the safe loader's resolver says
                    if value not in plain:
                        resolved = _SAFE.resolve(ScalarNode, value, (True, False))
                        plain[value] = value if resolved == _STR else _scalar(resolved, value)
                    value = plain[value]
            else:
                value = _scalar(tag, value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise _Unsupported("anchor or tag on a collection")
            value = {} if kind is MappingStartEvent else []
            if container is None:
                root = value
            elif not in_map:
                container.append(value)
            elif has_key:
                container[key] = value
            else:
                raise _Unsupported("complex key")
            stack.append((container, in_map, key, False))
            container, in_map, key, has_key = value, kind is MappingStartEvent, None, False
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, in_map, key, has_key = stack.pop()
            if container is None:
                break
            continue
        else:  # an alias, or an unexpected end
            raise _Unsupported(kind.__name__)
        if container is None:
            root = value
            break
        if not in_map:
            container.append(value)
        elif has_key:
            container[key] = value
            has_key = False
        else:
            key, has_key = value, True
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _Unsupported("more than one document")
    return root


def load(data: str | bytes) -> Any:
    """What ``yaml_text.load(data)`` returns (or raises), usually in half the time."""
    if CParser is not None and not _SAFE.yaml_path_resolvers:
        try:
            return _events(data)
        except Exception:  # noqa: BLE001 - anything unusual: the reference decides
            pass
    return yaml_text.load(data)
