"""Give the interactions written so far the placeholders their values were issued later.

A value found first by its look or under an unknown field (a ``lvtx.`` refresh token in free
text) gets a guessed placeholder; seen later under the field the policy names for it
(``refresh_token``), it gets that field's placeholder, and :attr:`Redactor.superseded` maps
the first to the second. The capture appends each interaction as it finishes, so the earlier
ones on disk still hold the guess: :func:`apply` rewrites them, when the cassette is closed,
so that one value has one placeholder in the whole file.

A placeholder is replaced in every form the redactor writes it: as it is, percent-encoded
(a path segment, a query or form value, once or twice), JSON-escaped (a body, or JSON inside a
JSON string), in header names and values, the reason phrase and the bodies. A placeholder that
carries a keyed digest (``REDACTED_<kind>_<hex>``, a hex id, a UUID) is replaced wherever it
occurs. A free-text mask (``Xxxx Zzxx 77``: the text's shape and nothing else) is replaced only
where it stands as a whole value (a whole string, a JSON string, a path segment, a query or
form value), never inside a longer sentence that merely contains the same shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from wyzeproto.cassette import bodies
from wyzeproto.redact.kinds import is_masked
from wyzeproto.redact.walk import SEGMENT_SAFE, URL_SAFE

Interaction = dict[str, Any]

# The safe sets the redactor quotes with (walk.py: a path segment, free text, a query value),
# and what a form body's urlencode does.
_QUOTES: tuple[Callable[[str], str], ...] = (
    lambda text: quote(text, safe=""),
    lambda text: quote(text, safe=SEGMENT_SAFE),
    lambda text: quote(text, safe=URL_SAFE),
    lambda text: quote_plus(text, safe=""),
    lambda text: quote_plus(text),
)
# Where a whole value ends inside a longer string: a JSON string's quotes (escaped, for JSON
# inside a string), URL delimiters, a multipart part's line breaks.
_BEFORE = "(?<![^\"/?=&#\\n])"
_AFTER = "(?![^\"\\\\/?&#;\\r])"


def _json_escaped(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


def _all_forms(placeholder: str) -> list[str]:
    """The forms of ``placeholder``, in a fixed order (repeats kept, so that the forms of an
    old and a new placeholder pair up by position)."""
    found = [placeholder]
    for quoted in (q(placeholder) for q in _QUOTES):
        found += [quoted, quote(quoted, safe="")]
    for ascii_only in (True, False):
        once = _json_escaped(placeholder, ascii_only)
        found += [once, _json_escaped(once, ascii_only)]
    return found


def forms(placeholder: str) -> list[str]:
    """Every form in which the redactor may have written ``placeholder``, itself first."""
    return list(dict.fromkeys(_all_forms(placeholder)))


def _resolve(superseded: Mapping[str, str]) -> dict[str, str]:
    """Each old placeholder -> the last one in its chain (a -> b -> c gives a -> c)."""
    resolved = {}
    for old in superseded:
        new, seen = superseded[old], {old}
        while new in superseded and new not in seen:
            seen.add(new)
            new = superseded[new]
        if old and new != old:  # an empty mask would match between any two delimiters
            resolved[old] = new
    return resolved


class Replacer:
    """Replaces every form of each old placeholder by the same form of its new one."""

    def __init__(self, superseded: Mapping[str, str]) -> None:
        self._to: dict[str, str] = {}
        digests: list[str] = []
        masks: list[str] = []
        for old, new in _resolve(superseded).items():
            for old_form, new_form in zip(_all_forms(old), _all_forms(new), strict=True):
                if old_form in self._to or old_form == new_form:
                    continue
                self._to[old_form] = new_form
                (masks if is_masked(old) else digests).append(old_form)
        self._digests = _alternation(digests, "", "")
        self._masks = _alternation(masks, _BEFORE, _AFTER)

    def __bool__(self) -> bool:
        return bool(self._to)

    def _sub(self, match: re.Match[str]) -> str:
        return self._to[match.group()]

    def text(self, text: str) -> str:
        whole = self._to.get(text)
        if whole is not None:
            return whole
        for pattern in (self._digests, self._masks):
            if pattern is not None:
                text = pattern.sub(self._sub, text)
        return text

    def data(self, data: Any) -> Any:
        """``data`` with every string in it (mapping keys too) replaced; the same object
        where nothing changed."""
        kind = type(data)
        if kind is str:
            return self.text(data)
        if kind is bytes:
            text = data.decode("latin-1")
            new = self.text(text)
            if new == text:
                return data
            try:
                return new.encode("latin-1")
            except UnicodeEncodeError:  # a placeholder is ASCII: only a mask may get here
                return data
        if kind is list:
            items = [self.data(item) for item in data]
            same = all(a is b for a, b in zip(items, data, strict=True))
            return data if same else items
        if kind is dict:
            pairs = [(self.data(key), self.data(value)) for key, value in data.items()]
            same = all(k is a and v is b for (k, v), (a, b) in zip(pairs, data.items(),
                                                                   strict=True))
            return data if same else dict(pairs)
        return data

    def interaction(self, interaction: Interaction) -> Interaction:
        """The interaction with the new placeholders, ``Content-Length`` fixed where a body
        changed length; the same object where nothing changed."""
        new = self.data(interaction)
        if new is interaction:
            return interaction
        request, response = new["request"], new["response"]
        for node, body, was in (
            (request, request.get("body"), interaction["request"].get("body")),
            (response, response["body"]["string"], interaction["response"]["body"]["string"]),
        ):
            if body is not was:  # a copy: the input is never modified
                node["headers"] = {name: list(values) for name, values in node["headers"].items()}
                bodies.fix_content_length(node["headers"], body)
        return new


def _alternation(texts: list[str], before: str, after: str) -> re.Pattern[str] | None:
    if not texts:
        return None
    ordered = sorted(texts, key=len, reverse=True)  # the longest form wins where two overlap
    return re.compile(before + "(?:" + "|".join(map(re.escape, ordered)) + ")" + after)


def apply(interactions: list[Interaction], superseded: Mapping[str, str]
          ) -> tuple[list[Interaction], int]:
    """The interactions with every superseded placeholder replaced, and how many changed."""
    replacer = Replacer(superseded)
    if not replacer:
        return interactions, 0
    out = [replacer.interaction(interaction) for interaction in interactions]
    return out, sum(a is not b for a, b in zip(out, interactions, strict=True))
