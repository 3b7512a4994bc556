"""A small, fast block-YAML emitter for cassette data, and the safe loader that reads it back.

Why not ``yaml.dump``: the capture proxy writes one interaction per finished flow, and even
libyaml's emitter costs more per flow than the whole proxy budget allows (see issue 2's
benchmark). Cassette data is a tree of dicts, lists, strings, bytes, ints and None, so a
direct emitter is short. Its output is what ``yaml.safe_dump(sort_keys=True)`` would mean:
sorted keys, block style, every string quoted (no YAML type surprises such as ``on`` or
``1.0``), bytes as ``!!binary``. Every document it writes loads with the safe loader to the
same value; tests prove that with hypothesis.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import yaml

try:  # libyaml when present (it is in PyYAML's wheels): several times faster.
    SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    SafeLoader = yaml.SafeLoader

# Characters a single-quoted scalar holds as they are: printable ASCII. Anything else goes
# through the double-quoted form with escapes, so every file we write is ASCII: a write cut
# at a page boundary can never split a character (see cassette.CassetteWriter).
_SINGLE_QUOTABLE = re.compile("[\x20-\x7e]*")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
_SURROGATE_PAIR = re.compile(r"\\ud([89ab][0-9a-f]{2})\\ud([c-f][0-9a-f]{2})")
_LONE_SURROGATE = re.compile(r"\\ud[89a-f][0-9a-f]{2}")


def _join_surrogates(match: re.Match[str]) -> str:
    high = int("d" + match.group(1), 16)
    low = int("d" + match.group(2), 16)
    return "\\U%08x" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _single_quotable(text: str) -> bool:
    # What _SINGLE_QUOTABLE matches; deleting the printable bytes is several times faster
    # than the regex on a 20 kB body, and that runs for every body of every flow.
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII)


def _inside_single_quotes(text: str) -> str:
    return text.replace("'", "''") if "'" in text else text


def quote(text: str) -> str:
    """Return ``text`` as a YAML flow scalar that loads back as exactly ``text``."""
    if _single_quotable(text):
        return "'" + _inside_single_quotes(text) + "'"
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    # JSON's escapes are a subset of YAML's double-quoted escapes, except that YAML wants
    # astral characters as one \U escape rather than a surrogate pair, and DEL escaped.
    out = json.dumps(text, ensure_ascii=True).replace("\x7f", "\\u007f")
    if "\\ud" in out:
        out = _SURROGATE_PAIR.sub(_join_surrogates, out)
        if _LONE_SURROGATE.search(out):
            raise ValueError("a lone UTF-16 surrogate cannot be written to YAML")
    return out


_KEYS: dict[str, str] = {}  # keys recur in every interaction: quote each once


def _key(key: str) -> str:
    written = _KEYS.get(key)
    if written is None:
        plain = _PLAIN_KEY.fullmatch(key) and key.lower() not in _RESERVED
        written = key if plain else quote(key)
        if len(_KEYS) < 10_000:
            _KEYS[key] = written
    return written


_SHORT: dict[str, str] = {}  # header values recur in every interaction: quote each once


def _string(value: str) -> str:
    if len(value) > 200:
        return quote(value)
    written = _SHORT.get(value)
    if written is None:
        written = quote(value)
        if len(_SHORT) < 10_000:
            _SHORT[value] = written
    return written


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if isinstance(value, bytes):  # only the empty one reaches here
        return "!!binary ''"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    raise TypeError(f"cannot write a {type(value).__name__} into a cassette")


def _binary(data: bytes, indent: int, out: list[str]) -> None:
    encoded = base64.encodebytes(data).decode("ascii")
    pad = " " * indent
    for line in encoded.splitlines():
        out.append(f"{pad}{line}\n")


def _mapping(node: dict[str, Any], indent: int, out: list[str], first: str | None = None) -> None:
    pad = " " * indent
    for index, key in enumerate(sorted(node)):
        prefix = first if (index == 0 and first is not None) else pad
        value = node[key]
        head = f"{prefix}{_key(key)}:"
        if type(value) is str:  # most values: one test, not four
            if len(value) <= 200:
                out.append(f"{head} {_string(value)}\n")
            elif _single_quotable(value):  # a body: not copied into a quoted string first
                out += (f"{head} '", _inside_single_quotes(value), "'\n")
            else:
                out.append(f"{head} {_double_quoted(value)}\n")
        elif isinstance(value, dict) and value:
            out.append(head + "\n")
            _mapping(value, indent + 2, out)
        elif isinstance(value, list) and value:
            out.append(head + "\n")
            _sequence(value, indent, out)
        elif isinstance(value, bytes) and value:
            out.append(head + " !!binary |\n")
            _binary(value, indent + 2, out)
        else:
            out.append(f"{head} {_scalar(value)}\n")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if type(item) is str:  # a header's values
            out.append(f"{pad}- {_string(item)}\n")
        elif isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, first=pad + "- ")
        elif isinstance(item, list) and item:
            out.append(pad + "-\n")
            _sequence(item, indent + 2, out)
        elif isinstance(item, bytes) and item:
            out.append(pad + "- !!binary |\n")
            _binary(item, indent + 2, out)
        else:
            out.append(f"{pad}- {_scalar(item)}\n")


def dump_item(node: Any, indent: int = 0) -> str:
    """One sequence item (``- ...``) at ``indent``, as appended under ``interactions:``."""
    out: list[str] = []
    _sequence([node], indent, out)
    return "".join(out)


def dump(node: dict[str, Any]) -> str:
    """A whole YAML document for a mapping, keys sorted."""
    out: list[str] = []
    if node:
        _mapping(node, 0, out)
    else:
        out.append("{}\n")
    return "".join(out)


def load(text: str | bytes) -> Any:
    """Safe-load one YAML document (libyaml when present). Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader/CSafeLoader only
