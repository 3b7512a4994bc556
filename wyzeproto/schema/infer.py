"""Draft a JSON Schema 2020-12 from samples: merged, typed, with formats and small enums.

    shape = Shape(); for body in bodies: shape.add(body)
    schema = shape.schema()

What a reverse engineer would write by hand from the same samples, and what GenSON and
mitmproxy2swagger do not: ``integer`` apart from ``number``; ``null`` as nullable; an object
field ``required`` only when every sample of it has it; array items merged item by item;
``enum`` for a small closed set seen often enough to mean it; formats and patterns (uuid,
email, date-time, MAC, 32-hex hashes, epoch seconds and milliseconds, the toolkit's
placeholder kinds); JSON inside a string recognised (``contentMediaType`` and
``contentSchema``). Values enter the schema only as enum members (a small closed set is the
protocol's vocabulary, not a personal value) and never from a placeholder or a format.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from wyzeproto.redact import kinds

# Enough distinct values to stop looking for an enum (and to stop counting them).
_DISTINCT_CAP = 12
ENUM_MAX = 6  # at most this many members
ENUM_MIN_SAMPLES = 4  # seen at least this often, and at least twice per member
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})")
_HEX32 = re.compile(r"[0-9a-f]{32}|[0-9A-F]{32}")
_URL = re.compile(r"https?://[^\s/]+(?:/\S*)?")
EPOCH_S = (1_000_000_000, 4_000_000_000)  # 2001 .. 2096
EPOCH_MS = (EPOCH_S[0] * 1000, EPOCH_S[1] * 1000)


# Tried in this order; the first that every string of a field passes is the one written.
# Each pattern takes the real values and the placeholders that stand for them alike, so a
# schema drafted from redacted samples also accepts the live traffic they came from.
FORMATS: list[tuple[str, Callable[[str], bool], dict[str, Any]]] = [
    ("uuid", lambda v: kinds.UUID.fullmatch(v) is not None,
     {"format": "uuid", "pattern": f"^{kinds.UUID.pattern}$"}),
    ("email", lambda v: kinds.EMAIL.fullmatch(v) is not None,
     {"format": "email", "pattern": f"^{kinds.EMAIL.pattern}$"}),
    ("date-time", lambda v: _DATE_TIME.fullmatch(v) is not None,
     {"format": "date-time", "pattern": f"^{_DATE_TIME.pattern}$"}),
    ("mac", lambda v: kinds.MAC_HEX.fullmatch(v) is not None or
     kinds.MAC_SEP.fullmatch(v) is not None,
     {"pattern": "^(?:[0-9A-Fa-f]{12}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"
                 "|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})$"}),
    ("hex32", lambda v: _HEX32.fullmatch(v) is not None,
     {"pattern": f"^(?:{_HEX32.pattern})$", "description": "32 hex digits (an MD5-sized hash)"}),
    ("p2p_id", lambda v: kinds.P2P_ID.fullmatch(v) is not None,
     {"pattern": f"^{kinds.P2P_ID.pattern}$"}),
    ("url", lambda v: _URL.fullmatch(v) is not None, {"format": "uri", "pattern": "^https?://"}),
]
_ALL_FORMATS = tuple(range(len(FORMATS)))


class Shape:
    """Everything the samples of one JSON location say about it, merged."""

    __slots__ = ("count", "nulls", "bools", "ints", "floats", "strings", "values", "formats",
                 "json_text", "json_ok", "placeholder", "low", "high", "objects", "props",
                 "presence", "arrays", "items")

    def __init__(self) -> None:
        self.count = self.nulls = self.bools = self.ints = self.floats = 0
        self.strings = self.objects = self.arrays = 0
        self.values: Counter[Any] | None = Counter()  # None: too many distinct values
        self.formats: tuple[int, ...] = _ALL_FORMATS  # indexes into FORMATS still possible
        self.json_text: Shape | None = None  # JSON found inside the strings
        self.json_ok = True  # every string so far held a JSON object or array
        self.placeholder: str | None = ""  # the one placeholder kind of every string, or None
        self.low: int | None = None
        self.high: int | None = None
        self.props: dict[str, Shape] = {}
        self.presence: Counter[str] = Counter()
        self.items: Shape | None = None

    def add(self, value: Any) -> None:
        self.count += 1
        kind = type(value)
        if kind is dict:
            self.objects += 1
            props, presence = self.props, self.presence
            for key, item in value.items():
                node = props.get(key)
                if node is None:
                    node = props[key] = Shape()
                presence[key] += 1
                if type(item) is str:  # the common leaf, without a call of add()
                    node.count += 1
                    node._add_string(item)
                else:
                    node.add(item)
        elif kind is list:
            self.arrays += 1
            if value and self.items is None:
                self.items = Shape()
            for item in value:
                self.items.add(item)  # type: ignore[union-attr]
        elif kind is str:
            self._add_string(value)
        elif kind is bool:
            self.bools += 1
        elif kind is int:
            self.ints += 1
            if self.low is None or value < self.low:
                self.low = value
            if self.high is None or value > self.high:
                self.high = value
            if self.values is not None:
                self._count_value(value)
        elif kind is float:
            self.floats += 1
        elif value is None:
            self.nulls += 1

    def _count_value(self, value: Any) -> bool:
        """Count a scalar for the enum; True if it was seen before."""
        values = self.values
        if values is None:
            return False
        if value in values:
            values[value] += 1
            return True
        values[value] = 1
        if len(values) > _DISTINCT_CAP:
            self.values = None
        return False

    def _add_string(self, value: str) -> None:
        self.strings += 1
        if self._count_value(value):
            return  # a value seen before passes the same tests
        if self.formats:
            self.formats = tuple(i for i in self.formats if FORMATS[i][1](value))
        if self.placeholder is not None:
            kind = kinds.kind_of(value)
            if kind is None or self.placeholder not in ("", kind):
                self.placeholder = None
            else:
                self.placeholder = kind
        if self.json_ok:
            parsed = None
            if value[:1] in ("{", "["):
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = None
            if isinstance(parsed, dict | list):
                if self.json_text is None:
                    self.json_text = Shape()
                self.json_text.add(parsed)
            else:
                self.json_ok, self.json_text = False, None

    # -- emitting -------------------------------------------------------------------------

    def _enum(self, samples: int, kind: type) -> list[Any] | None:
        if self.values is None:
            return None
        values = [v for v in self.values if type(v) is kind]  # strings and ints may share
        if not values or len(values) > ENUM_MAX:
            return None
        if samples < ENUM_MIN_SAMPLES or samples < 2 * len(values):
            return None
        return sorted(values)

    def _string_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.placeholder:
            out["description"] = (f"redacted in every sample ({self.placeholder} placeholders); "
                                  "the real values have the same shape")
        if self.formats:
            return {**FORMATS[self.formats[0]][2], **out}
        if self.placeholder:
            return out  # an opaque token: no pattern would take the real ones
        if self.json_ok and self.json_text is not None:
            out["contentMediaType"] = "application/json"
            out["contentSchema"] = self.json_text.schema(top=False)
            return out
        enum = self._enum(self.strings, str)
        if enum is not None:
            out["enum"] = enum
        return out

    def _integer_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        low, high = self.low, self.high
        if low is not None and high is not None:
            for (start, end), what in ((EPOCH_MS, "milliseconds"), (EPOCH_S, "seconds")):
                if start <= low and high < end:
                    return {**out, "minimum": start, "maximum": end - 1,
                            "description": f"a Unix time in {what} (inferred from its range)"}
        enum = self._enum(self.ints, int)
        if enum is not None:
            out["enum"] = enum
        return out

    def _object_schema(self) -> dict[str, Any]:
        props = {key: node.schema(top=False) for key, node in self.props.items()}
        out: dict[str, Any] = {"type": "object", "properties": props}
        required = [key for key in self.props if self.presence[key] == self.objects]
        if required:
            out["required"] = required
        return out

    def _array_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array"}
        if self.items is not None:
            out["items"] = self.items.schema(top=False)
        return out

    def schema(self, top: bool = True) -> dict[str, Any]:
        """The JSON Schema of everything added (no ``$schema``/``$id``: the caller adds them)."""
        parts: list[dict[str, Any]] = []
        if self.objects:
            parts.append(self._object_schema())
        if self.arrays:
            parts.append(self._array_schema())
        if self.strings:
            parts.append(self._string_schema())
        if self.floats:
            parts.append({"type": "number"})  # integers seen beside floats are numbers too
        elif self.ints:
            parts.append(self._integer_schema())
        if self.bools:
            parts.append({"type": "boolean"})
        if not parts:
            return {"type": "null"} if self.nulls else {}
        if len(parts) == 1:
            schema = parts[0]
            if self.nulls:
                schema["type"] = [schema["type"], "null"]
                if "enum" in schema:
                    schema["enum"] = [*schema["enum"], None]
            return schema
        if self.nulls:
            parts.append({"type": "null"})
        return {"anyOf": parts}
