"""Find the one big member of a JSON envelope in the text, without parsing it.

A polled endpoint answers with the same large member each time (the device list under
``data``) inside an envelope that changes (``ts``, ``traceId``). The redactor parses that
member once, keeps its redacted form, and for the next body only needs to know that the
same text sits at the same place. This module says where it sits: given the member's key
and the key that follows it (a :data:`Shape`, learnt from a body parsed whole), it finds the
member's text and proves the guess with a parse of the small rest.

The proof has two halves. The member's text is cut out and a sentinel (a JSON string no body
holds) put in its place: that must parse as one object of scalars, without repeated keys,
whose member under the key is the sentinel. And the cut-out text must parse as one JSON
object (the caller parses it, or finds it equal to a text that did). JSON is built of
values, so the body is then exactly that envelope with that object under the key. Anything
else (an object or a list elsewhere in the envelope, an escaped key, a repeated key, a cut
that takes a second member with it) is no match, and the body is parsed whole as before.
"""

from __future__ import annotations

import json
import re
from typing import Any

Shape = tuple[str, str | None]  # the big member's key; the key after it (None: it is last)
Pairs = list[tuple[str, Any]]
MIN_SIZE = 2048  # smaller bodies parse faster than they are taken apart

_KEYS: dict[str, tuple[str, re.Pattern[str]]] = {}  # a key: its JSON text, its opening


def shape_of(parsed: Any) -> Shape | None:
    """The shape of a parsed body whose one container member is an object, else None."""
    if not isinstance(parsed, dict):
        return None
    keys = list(parsed)
    containers = [index for index, value in enumerate(parsed.values())
                  if isinstance(value, (dict, list))]
    if len(containers) != 1 or not isinstance(parsed[keys[containers[0]]], dict):
        return None
    at = containers[0]
    return keys[at], keys[at + 1] if at + 1 < len(keys) else None


def _key(key: str) -> tuple[str, re.Pattern[str]]:
    """A key's JSON text, and the pattern of it opening a member (``"key":``)."""
    known = _KEYS.get(key)
    if known is None:
        text = json.dumps(key)
        known = text, re.compile(re.escape(text) + r"\s*:\s*")
        if len(_KEYS) < 1000:
            _KEYS[key] = known
    return known


def _end(text: str, after: str | None, start: int) -> int:
    """Where the member's value should end: before ``, "after":`` or the closing brace."""
    if after is None:
        end = _back_over_space(text, len(text)) - 1
        if end < start or text[end] != "}":
            return -1
    else:
        end = text.rfind(_key(after)[0], start)
        if end < 0:
            return -1
        end = _back_over_space(text, end) - 1
        if end < start or text[end] != ",":
            return -1
    return _back_over_space(text, end)


def _back_over_space(text: str, end: int) -> int:
    """``end`` moved back over the JSON whitespace before it (no copy of the text)."""
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def locate(text: str, shape: Shape, marker: str) -> tuple[int, int, Pairs, int] | None:
    """``(where the member's text starts, where it ends, the envelope's pairs with the
    sentinel string ``marker`` in the member's place, its index)``, or None when ``text`` is
    not an envelope of this shape (no copy of the member's text: its memo is looked up in
    place).
    ``marker`` is a string no body holds (hex digits: its JSON text is itself, quoted)."""
    key, after = shape
    opening = _key(key)[1].search(text)
    if opening is None:
        return None
    start = opening.end()
    end = _end(text, after, start)
    if end <= start or text[start] != "{":
        return None
    sentinel = f'"{marker}"'
    rest = text[:start] + sentinel + text[end:]
    try:
        # Every object comes back as its list of pairs, so an object or an array anywhere
        # in the envelope shows up as a list value below and the body is not taken apart.
        pairs = _AS_PAIRS.decode(rest)
    except (ValueError, RecursionError):
        return None
    if type(pairs) is not list or not all(type(pair) is tuple for pair in pairs):
        return None  # not an object at the top
    found = [index for index, (_, value) in enumerate(pairs) if value == marker]
    if (len(found) != 1 or pairs[found[0]][0] != key or rest.count(sentinel) != 1
            or len({name for name, _ in pairs}) != len(pairs)
            or any(type(value) is list for _, value in pairs)):
        return None
    return start, end, pairs, found[0]


def _same(pairs: Pairs) -> Pairs:
    return pairs


# Built once: json.loads with a hook builds a decoder (and its scanner) on every call.
_AS_PAIRS = json.JSONDecoder(object_pairs_hook=_same)
