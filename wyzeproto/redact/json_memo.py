"""Memoised JSON objects for the redactor: an object seen before is not walked or encoded again.

A capture session sees the same JSON objects over and over (a device list polled every few
seconds, the same property list for every camera). :class:`Redactor` keeps the redacted
form of an object it has seen twice, as a :class:`Redacted` dict, and the next time the
same object (same keys, values and value types, inner objects included) is parsed, it gets
that dict back instead of a walk over its fields. Each ``Redacted`` also keeps its JSON text,
so that a body built from them is written by joining texts (:func:`encode`) rather than by
encoding every field again. Both are what the walk and ``json.dumps`` would give: the tests
compare them with the plain walk and with ``json.dumps``.
"""

from __future__ import annotations

import json
from typing import Any

Style = tuple[str, str, bool]  # item separator, key separator, ensure_ascii

_ENCODERS: dict[Style, json.JSONEncoder] = {}
JOINED_KEYS = 8  # see encode()


class Redacted(dict):  # type: ignore[type-arg]
    """A redacted JSON object kept in the memo, shared by every body it recurs in.

    Hashed by identity, so that an object holding it can be memoised in turn; never changed
    once made (the encoder reads it, nothing writes it).
    """

    __slots__ = ("texts", "shape")
    __hash__ = object.__hash__  # type: ignore[assignment]

    def __init__(self, items: dict[str, Any]) -> None:
        super().__init__(items)
        self.texts: dict[Style, str] = {}  # its JSON text in each style asked for
        self.shape: Any = None  # its keys and value types, kept by schema.drift_live


def _encoder(style: Style) -> json.JSONEncoder:
    encoder = _ENCODERS.get(style)
    if encoder is None:  # the same settings json.dumps uses, so the same text
        encoder = _ENCODERS[style] = json.JSONEncoder(separators=style[:2],
                                                      ensure_ascii=style[2])
    return encoder


def encode(node: Any, holders: set[int], style: Style) -> str:
    """``json.dumps(node, separators=style[:2], ensure_ascii=style[2])``, reusing the text of
    every :class:`Redacted` inside; ``holders`` are the ids of the plain dicts and lists that
    hold one (anything else is encoded in one go)."""
    kind = type(node)
    if kind is Redacted:
        text = node.texts.get(style)
        if text is None:
            text = node.texts[style] = _encoder(style).encode(node)
        return text
    if id(node) not in holders or (kind is dict and len(node) > JOINED_KEYS):
        # Field by field in Python costs more than json's C encoder spends on a whole
        # object of scalars, the kept texts inside included: only a small object around
        # kept ones (a body's envelope: ts, code, msg, data) is worth taking apart.
        return _encoder(style).encode(node)
    items, keys = style[0], style[1]
    if kind is dict:
        key_text = _encoder(style).encode
        return "{" + items.join(key_text(key) + keys + encode(value, holders, style)
                                for key, value in node.items()) + "}"
    return "[" + items.join(encode(item, holders, style) for item in node) + "]"
