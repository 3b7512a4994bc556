"""Redact one interaction everywhere a value can hide, before anything touches disk.

Default deny: a value stays in clear only when :mod:`safe` says it is public or can carry no
identity; every other string and every number that could be an id, a phone number or a
coordinate becomes a :class:`Pseudonymizer` placeholder of the same shape. The walk covers
header names and values, cookies, the reason phrase, URL path segments and query values
(decoded as often as they were encoded), JSON at any depth (object keys, JSON inside strings,
a BOM, top-level scalars), form and multipart bodies, bodies in any charset and compressed
bodies whatever the headers say; a body that cannot be read is withheld (a marker with its
size, type and a keyed digest). A value gets one placeholder per session wherever it is
found. The input is never modified: a new interaction is returned. A body is rewritten only
when something changed, keeping its JSON formatting style; ``Content-Length`` is fixed.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from math import copysign
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from wyzeproto.cassette import bodies
from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.redact import big_member, detect, safe
from wyzeproto.redact.json_memo import JOINED_KEYS, Redacted, Style, encode
from wyzeproto.redact.kinds import ACCESS_TOKEN_LOOK, PLACEHOLDER, make_text
from wyzeproto.redact.policy import (
    COOKIE_HEADERS,
    FIELD_KINDS,
    HEADER_KINDS,
    KEPT_HEADER_VALUES,
    normalise,
)
from wyzeproto.redact.pseudonym import Pseudonymizer, is_placeholder

Interaction = dict[str, Any]
# A body as parsed JSON: ``(value,)``, or None when it was not read as one JSON document.
ParsedBody = tuple[Any] | None
DECODED_HEADER = "X-Wyze-Toolkit-Decoded"
WITHHELD = "[wyze-toolkit: body withheld, {size:,} bytes of {ctype}, digest {digest}]"
# What stays unquoted where the redactor writes a value back: percent-encoded free text, and a
# URL path segment (supersede.py writes a late placeholder in the same forms).
URL_SAFE = "/:?&=#;,+@!$'()*~[]"
SEGMENT_SAFE = "@:=,;+"
_MEMO = 100_000
# Kept when a schema shows the same value (an example request id): under an unknown field or
# a per-request id only. A documented example hash under 'password' is still a hash.
_PUBLISHABLE = frozenset({"", "request_id"})
# Kinds chosen by look or by default deny, not by a field name.
_GENERIC = frozenset({"value", "token", "digits", "email", "mac", "uuid", "ip", "cookie"})
_PRODUCT_PREFIX = re.compile(r"(?:[A-Z][A-Z0-9]{0,7}_){1,3}")
_WORD_BREAK = re.compile(r"\S\s+\S")
_WORD = re.compile(r"[A-Za-z]+(?:[_-][A-Za-z]+)*")  # an object key that is a name, no id
# A placeholder inside free text (an email, a MAC, a token that scrub_text replaced), or an
# address of the documentation ranges: kept as it is when the words around it are masked.
_PLACEHOLDER_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9.])(?:{PLACEHOLDER.pattern}"
    r"|(?:192\.0\.2|198\.51\.100|203\.0\.113)\.[0-9]{1,3}|2001:db8:[0-9a-f:]+)"
    r"(?![A-Za-z0-9])")
# Objects seen twice whose redacted form (and JSON text) is kept: a few kB each at most.
_OBJECT_MEMO = 10_000


# Per value that is not a string, null or a kept object: (index, type, sign of a float zero)
Checks = tuple[tuple[int, type, float], ...]
_PLAIN_TYPES = (str, type(None), Redacted)


def _checks(pairs: Sequence[tuple[str, Any]]) -> Checks:
    return tuple((index, type(value), copysign(1.0, value) if type(value) is float
                  and value == 0 else 0.0)
                 for index, (_, value) in enumerate(pairs) if type(value) not in _PLAIN_TYPES)


def _same_types(pairs: list[tuple[str, Any]], checks: Checks) -> bool:
    for index, kind, sign in checks:
        if type(pairs[index][1]) is not kind or (
                sign and copysign(1.0, pairs[index][1]) != sign):
            return False
    return True


def _compact(text: str) -> bool:
    """Whether ``text`` has neither ", " nor ": " (json.dumps' compact separators)."""
    return ", " not in text and ": " not in text


def unquote_all(text: str) -> str:
    """Undo percent-encoding as many times as it was applied (an email encoded twice)."""
    for _ in range(5):
        if "%" not in text:
            break
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _part_name(disposition: str) -> str:
    for piece in disposition.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == "name":
            return value.strip("\"'")
    return ""


class Redactor:
    def __init__(self, pseudonymizer: Pseudonymizer) -> None:
        self.p = pseudonymizer
        self._kinds: dict[str, str] = {}  # field name -> policy kind ("" for none)
        self._issued: dict[str, str] = {}  # raw value -> its placeholder: one per value
        self._generic: set[str] = set()  # values issued by look or default deny only
        self._leaves: dict[tuple[str, str], str] = {}  # (field, value) -> redacted
        self._keys: dict[str, str] = {}  # object key / header name -> redacted
        self._plain_keys: set[str] = set()  # object keys known to hold nothing
        self._numbers: dict[tuple[str, int | float, bool], int | float] = {}
        self._texts: dict[tuple[str, bool], str] = {}  # free text -> redacted
        # (name, value) -> (redacted, whether the value had been issued a placeholder)
        self._headers: dict[tuple[str, str], tuple[str, bool]] = {}
        # tuple(pairs) as json hands them over -> (redacted, changed, type checks): see _pairs
        self._objects: dict[tuple[Any, ...], tuple[Redacted, bool, Checks]] = {}
        self._objects_seen: set[int] = set()
        # A polled body's big member, its text -> (redacted, changed, compact): see _split
        self._members: dict[str, tuple[Redacted, bool, bool]] = {}
        self._shapes: list[big_member.Shape] = []  # envelopes seen (key, key after)
        self._marker = secrets.token_hex(16)  # stands for the member while the rest is read
        # json.loads with a hook builds a decoder and its scanner on every call: built once.
        self._parse = json.JSONDecoder(object_pairs_hook=self._pairs).decode
        self._holders: set[int] = set()  # json_memo.encode, for the body being parsed
        self._changed = False
        self._last_json: tuple[str, Any] | None = None  # json_text's last answer, parsed
        # A placeholder issued for a guess -> the one its value got later under its field:
        # what was written before then is given the later one when the cassette is closed.
        self.superseded: dict[str, str] = {}

    # -- values ---------------------------------------------------------------------------
    def value(self, kind: str, value: str) -> str:
        if not value or value in PUBLIC_VALUES:
            return value
        issued = self._issued.get(value)
        if issued is None or (kind not in _GENERIC and value in self._generic):
            # A field name outranks a guess: once a value is seen under its own kind, that
            # placeholder is the one every later place gets (as a stored cassette has it).
            guessed = kind in _GENERIC
            if guessed and value.startswith(ACCESS_TOKEN_LOOK):
                kind = "access_token"  # what its field will say: one placeholder, any order
            guess, issued = issued, self.p.pseudonym(kind, value)
            if guess is not None and guess != issued:
                self.superseded[guess] = issued
                self._forget()  # the memos hold the guess in texts and objects: rare
            if len(self._issued) < _MEMO:
                self._issued[value] = issued
                self._issued[issued] = issued
                if guessed:
                    self._generic.add(value)
                else:
                    self._generic.discard(value)
        return issued

    def _forget(self) -> None:
        """Drops every memoised answer that may hold a placeholder issued for a guess."""
        for memo in (self._leaves, self._keys, self._texts, self._headers, self._objects,
                     self._objects_seen, self._members):
            memo.clear()

    def text(self, text: str, ips: bool = True) -> str:
        """Free text: replace whatever looks like a secret, or was issued a placeholder."""
        if not text:
            return text
        issued = self._issued.get(text)
        if issued is not None:
            return issued
        return self._scrub(text, ips)

    def _scrub(self, text: str, ips: bool) -> str:
        """What :func:`detect.scrub_text` makes of ``text`` (decoded first), memoised."""
        known = self._texts.get((text, ips))
        if known is None:
            # Percent-encoded text is read decoded: encoded, '%20' runs into a number or a
            # MAC next to it ('%20000040240569' is no 14-digit id) and hides what it encodes.
            decoded = unquote_all(text) if "%" in text else text
            if decoded != text:
                redacted = detect.scrub_text(decoded, self.value, ips)
                known = text if redacted == decoded else quote(redacted, safe=URL_SAFE)
            else:
                known = detect.scrub_text(text, self.value, ips)
            if len(text) <= 512 and len(self._texts) < _MEMO:
                self._texts[(text, ips)] = known
        return known

    def field(self, key: str, value: str) -> str:
        """A string under a field name (JSON key, query or form parameter)."""
        memo = (key, value)
        known = self._leaves.get(memo)
        if known is None:
            known = self._field(key, value)
            if len(value) <= 512 and len(self._leaves) < _MEMO:
                self._leaves[memo] = known
        return known

    def _field(self, key: str, value: str) -> str:
        kind = self._kind(key)
        if kind in _PUBLISHABLE and value in safe.schema_public()[1]:
            return value  # the schemas publish it: keeping it tells nobody anything new
        if kind:
            return self._string_as(kind, value)
        if value[:1] in "{[\ufeff" and value[-1:] in "}]":
            redacted = self.json_text(value)
            if redacted is not None:
                return redacted
        if safe.is_public_field(key):
            name = normalise(key)
            if safe.is_verbatim(key, value):
                return value
            return self.text(value, "ver" not in name)
        if safe.is_identity_free(value) or is_placeholder(value):
            return value
        if len(value) > 12:
            scrubbed = self.text(value)  # 'JA_RO2_<MAC>' keeps its product prefix
            rest = PLACEHOLDER.sub("", scrubbed)
            if rest != scrubbed and (not rest or _PRODUCT_PREFIX.fullmatch(rest)):
                return scrubbed
        if _WORD_BREAK.search(value):
            return self.free_text(value)
        return self.value("value", value)

    def free_text(self, value: str) -> str:
        """Free text under a field not known to be public, pseudonymised in its own shape: the
        secrets in it (an email, a MAC, a token) become their own placeholders, every other
        letter and digit a keyed one of the same class (:func:`kinds.make_text`)."""
        issued = self._issued.get(value)
        if issued is not None:
            return issued
        scrubbed = self.text(value)
        out: list[str] = []
        pos = 0
        for match in _PLACEHOLDER_IN_TEXT.finditer(scrubbed):
            out.append(make_text(self.p.digest, "text", scrubbed[pos:match.start()]))
            out.append(match.group())
            pos = match.end()
        out.append(make_text(self.p.digest, "text", scrubbed[pos:]))
        masked = "".join(out)
        if len(self._issued) < _MEMO:
            self._issued[value] = masked
            self._issued[masked] = masked
            self._generic.add(value)
        return masked

    def _kind(self, key: str) -> str:
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._kinds[key] = FIELD_KINDS.get(normalise(key), "")
        return kind

    def _string_as(self, kind: str, value: str) -> str:
        if kind == "coordinate":
            return "0.0" if value else value
        if len(value) > 12 and _PRODUCT_PREFIX.match(value) and not is_placeholder(value):
            # 'JA_RO2_<MAC>': a product prefix and an id. The id is replaced where it is and
            # the prefix kept, when the prefix is all that is left and it is a product code.
            # Anything else takes its field's kind whole: a 20-character TUTK UID under
            # 'p2p_id' looks like a token, but its field says what it is.
            scrubbed = self.text(value)
            if _PRODUCT_PREFIX.fullmatch(PLACEHOLDER.sub("", scrubbed)):
                return scrubbed
        return self.value(kind, value)

    def string(self, value: str) -> str:
        """A string with no field name to go by: default deny, like an unknown field."""
        return self.field("", value)

    def number(self, key: str, number: int | float) -> int | float:
        memo = (key, number, type(number) is float)  # 1 == 1.0, but not in a body
        known = self._numbers.get(memo)
        if known is None:
            known = self._number(key, number)
            if len(self._numbers) < _MEMO:
                self._numbers[memo] = known
        return known

    def _number(self, key: str, number: int | float) -> int | float:
        kind = self._kind(key)
        if kind == "coordinate":
            return 0.0 if number else number
        if not kind and (safe.is_public_field(key) or safe.is_identity_free_number(number)):
            return number
        if type(number) is float and not number.is_integer():
            return 0.0  # coordinate-like: the exact place is the secret
        digits = str(abs(int(number)))
        if len(digits) < 7:
            return type(number)(0)
        placeholder = self.value("digits", digits)
        if not placeholder.isdigit():  # issued as another kind first: keep the type
            placeholder = self.p.pseudonym("digits", digits)
        signed = int(placeholder) * (-1 if number < 0 else 1)
        return type(number)(signed)

    def key(self, key: str) -> str:
        """An object key or a header name: kept unless it holds a secret by its look."""
        known = self._keys.get(key)
        if known is None:
            issued = self._issued.get(key)
            if issued is None or (key in self._generic and _WORD.fullmatch(key)):
                # A word is a name: that 'state' was denied as a value under an unknown field
                # elsewhere says nothing about it as a key. A key that looks like a personal
                # value (a MAC, an id, an email) is still caught by its look.
                known = self._scrub(key, True)
            else:
                known = issued
            if len(self._keys) < _MEMO:
                self._keys[key] = known
        return known

    # JSON is redacted while it is parsed: json calls _object for every object (inner
    # objects already done), so there is no second walk over the tree.
    def json_text(self, original: str) -> str | None:
        """Redacted JSON text (the original itself when nothing changed); None if not JSON."""
        bom = "\ufeff" if original.startswith("\ufeff") else ""
        outer_changed, self._changed = self._changed, False
        outer_holders, self._holders = self._holders, set()
        holders = self._holders
        big = not bom and len(original) >= big_member.MIN_SIZE and original[:1] == "{"
        try:
            split = self._split(original) if big and self._shapes else None
            parsed, compact = split if split is not None else (None, None)
            if split is None:
                parsed = self._parse(original[len(bom):])
                if big and len(self._shapes) < 4:
                    shape = big_member.shape_of(parsed)
                    if shape is not None and shape not in self._shapes:
                        self._shapes.append(shape)
            if type(parsed) in (list, str, int, float):  # objects are done by the hook
                parsed = self._leaf("", parsed)
            changed = self._changed
        except (ValueError, RecursionError):
            self._last_json = None  # not what an inner JSON string left there
            return None
        finally:
            self._changed, self._holders = outer_changed, outer_holders
        if not changed:
            self._last_json = None if bom else (original, parsed)
            return original
        self._changed = True
        if compact is None:
            compact = _compact(original)
        style: Style = (",", ":", original.isascii()) if compact else (", ", ": ",
                                                                         original.isascii())
        text = encode(parsed, holders, style)
        # What json.loads would make of the text (a BOM it refuses: left to the reader).
        self._last_json = None if bom else (text, parsed)
        return bom + text

    def _split(self, text: str) -> tuple[dict[str, Any], bool] | None:
        """The redacted body, if it is an envelope seen before around a big member (see
        :mod:`big_member`), and whether the text is compact: the member is parsed, and its
        text searched for separators (60 us in 20 kB of JSON), only when its text is new."""
        for shape in self._shapes:
            found = big_member.locate(text, shape, self._marker)
            if found is not None:
                break
        else:
            return None
        start, end, pairs, at = found
        # Compared in place, not sliced and hashed (a 20 kB copy, and 10 us to hash it): a
        # kept text of another length fails at once, one of the same length at memory speed.
        size = end - start
        known = next((seen for kept, seen in self._members.items()
                      if len(kept) == size and text.startswith(kept, start)), None)
        if known is None:
            member_text = text[start:end]
            outer, self._changed = self._changed, False
            try:
                member = self._parse(member_text)
            except (ValueError, RecursionError):  # the cut was not one object after all
                return None
            finally:
                member_changed, self._changed = self._changed, outer
            if type(member) is not Redacted:
                member = Redacted(member)  # kept, and its text with it
            if len(self._members) >= 8:
                del self._members[next(iter(self._members))]
            known = self._members[member_text] = (member, member_changed,
                                                   _compact(member_text))
        if known[1]:
            self._changed = True
        pairs[at] = (pairs[at][0], known[0])
        # No separator spans a cut: the member's text starts with { and ends with }.
        compact = known[2] and _compact(text[:start]) and _compact(text[end:])
        return self._pairs(pairs), compact

    def _leaf(self, key: str, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            new: Any = self.field(key, value)
        elif kind is int or kind is float:
            new = self.number(key, value)
        elif kind is list:
            return self._list(key, value)
        else:
            return value  # objects are done already; booleans and null carry nothing
        if new is not value and new != value:
            self._changed = True
            return new
        return value

    # This runs for every object of every body of every flow. json hands each over as its
    # (key, value) pairs, inner objects already done. An object seen before (the same keys,
    # values and value types, inner objects included) gets the result it got then, which is
    # what walking it again would give (every leaf answer is memoised too): its pairs, as one
    # tuple, find it with one hash and one comparison, before any dict is built. Equal is not
    # the same for numbers (1 == 1.0 == True, -0.0 == 0.0): the types and zero signs of the
    # values that are not strings, null or kept objects are checked on every hit.
    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        memo_key = tuple(pairs)
        try:
            known = self._objects.get(memo_key)
        except TypeError:  # a list or a walked (plain) object inside: never memoised
            return self._object(dict(pairs), None)
        if known is not None and _same_types(pairs, known[2]):
            if known[1]:
                self._changed = True
            return known[0]  # a Redacted, shared by every body it recurs in
        return self._object(dict(pairs), memo_key)

    def _object(self, obj: dict[str, Any], memo_key: tuple[Any, ...] | None) -> dict[str, Any]:
        """``obj`` walked; kept in the memo under ``memo_key`` the second time it is seen."""
        outer, self._changed = self._changed, False
        try:
            redacted, stable = self._walk_object(obj)
            changed = self._changed
        finally:
            self._changed = outer
        if changed:
            self._changed = True
        if memo_key is not None and stable:
            # Stored the second time an object is seen: most objects never come back.
            seen = hash(memo_key)  # the sightings keep hashes only, not every object seen
            if seen not in self._objects_seen:
                if len(self._objects_seen) < _MEMO:
                    self._objects_seen.add(seen)
            elif self._memos_have_room():
                kept = Redacted(redacted)
                self._objects[memo_key] = (kept, changed, _checks(memo_key))
                return kept
        holders = self._holders
        if len(redacted) <= JOINED_KEYS:  # encode() writes bigger ones in one go
            types = set(map(type, redacted.values()))
            if Redacted in types or (holders and (dict in types or list in types) and any(
                    id(v) in holders for v in redacted.values())):
                holders.add(id(redacted))
        return redacted

    def _memos_have_room(self) -> bool:
        # Only then was every leaf answer of the object memoised (the memos only grow).
        return (len(self._objects) < _OBJECT_MEMO and len(self._leaves) < _MEMO
                and len(self._numbers) < _MEMO and len(self._keys) < _MEMO
                and len(self._plain_keys) < _MEMO)

    def _walk_object(self, obj: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The object with its values and keys redacted; and whether every answer came from
        (or went into) a memo, so that the same object always gets the same result."""
        field, number, leaves, numbers = self.field, self.number, self._leaves, self._numbers
        stable = True
        for key, value in obj.items():
            kind = type(value)
            if kind is str:
                new: Any = leaves.get((key, value))
                if new is None:
                    new = field(key, value)
                    stable = stable and len(value) <= 512
            elif kind is int or kind is float:
                new = numbers.get((key, value, kind is float))
                if new is None:
                    new = number(key, value)
            elif kind is list:
                obj[key] = self._list(key, value)
                continue
            else:
                continue  # objects are done already; booleans and null carry nothing
            if new is not value and new != value:
                obj[key] = new
                self._changed = True
        fresh = obj.keys() - self._plain_keys  # set operations run in C; new keys are rare
        if fresh:
            renamed = {key: self.key(key) for key in fresh}
            if any(new != key for key, new in renamed.items()):
                self._changed = True
                return {renamed.get(key, key): value for key, value in obj.items()}, stable
            if len(self._plain_keys) < _MEMO:
                self._plain_keys |= fresh
        return obj, stable

    def _list(self, key: str, items: list[Any]) -> list[Any]:
        redacted = [self._leaf(key, item) for item in items]
        holders = self._holders
        if any(type(item) is Redacted or id(item) in holders for item in redacted):
            holders.add(id(redacted))
        return redacted

    # -- places ---------------------------------------------------------------------------
    def pairs(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [
            (self.key(k), self.field(k, unquote_all(v)) if k else self.string(unquote_all(v)))
            for k, v in pairs
        ]

    def uri(self, uri: str) -> str:
        parts = urlsplit(uri)
        # Segment by segment: '/' is a token character in base64, but a path is not a token.
        path = "/".join(self._segment(segment) for segment in parts.path.split("/"))
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            redacted = self.pairs(pairs)
            if redacted != pairs:
                query = urlencode(redacted, quote_via=quote, safe="")
        fragment = self.text(parts.fragment)
        if (path, query, fragment) == (parts.path, parts.query, parts.fragment):
            return uri
        return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))

    def _segment(self, segment: str) -> str:
        decoded = unquote_all(segment)
        redacted = self.text(decoded)
        return segment if redacted == decoded else quote(redacted, safe=SEGMENT_SAFE)

    def header(self, name: str, value: str) -> str:
        # The same headers come with every flow. A value issued a placeholder since it was
        # memoised (by a body read later) is worked out again: that placeholder is now due.
        # Cookies are not memoised: their parts are looked up one by one.
        memo = (name, value)
        known = self._headers.get(memo)
        if known is not None and (known[1] or value not in self._issued):
            return known[0]
        redacted = self._header(name, value)
        if (len(value) <= 512 and len(self._headers) < _MEMO
                and normalise(name) not in COOKIE_HEADERS):
            self._headers[memo] = (redacted, value in self._issued)
        return redacted

    def _header(self, name: str, value: str) -> str:
        key = normalise(name)
        if value in KEPT_HEADER_VALUES.get(key, ()):
            return value
        if key in COOKIE_HEADERS:
            return self.cookie(value, set_cookie=key == "setcookie")
        kind = HEADER_KINDS.get(key)
        if kind is None:
            if safe.is_public_header(name):
                if value.isdigit():  # a length, a count, a number of seconds
                    return value
                return self.text(value, ips="ver" not in key)
            if safe.is_identity_free(value) or is_placeholder(value):
                return value
            return self.value("value", value)
        scheme, sep, rest = value.partition(" ")
        if sep and scheme.isalpha() and rest:  # "Bearer <token>", "Basic <...>"
            return f"{scheme} {self.value(kind, rest.strip())}"
        if kind == "ip" and "," in value:
            return ", ".join(self.value("ip", v.strip()) for v in value.split(","))
        return self.value(kind, value)

    def cookie(self, value: str, set_cookie: bool) -> str:
        parts = value.split(";")
        limit = 1 if set_cookie else len(parts)  # Set-Cookie attributes follow the pair
        out = []
        for index, part in enumerate(parts):
            name, eq, cookie_value = part.partition("=")
            if index < limit and eq and cookie_value.strip():
                out.append(f"{self.key(name)}={self.value('cookie', cookie_value.strip())}")
            else:
                out.append(self.text(part))
        return ";".join(out)

    def headers(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, values in headers.items():
            out.setdefault(self.key(name), []).extend(self.header(name, v) for v in values)
        return out

    def body(self, body: Any, headers: dict[str, list[str]]) -> Any:
        """The redacted body; ``headers`` (the redacted copy) are adjusted in place when the
        body had to be decoded to be read."""
        if body is None or body == "" or body == b"":
            return body
        if isinstance(body, bytes):
            return self.binary(body, headers)
        ctype = (bodies.header(headers, "content-type") or "").lower()
        stripped = body.strip("\ufeff \t\r\n")
        if stripped[:1] in "{[" or (stripped[:1] == '"' and stripped[-1:] == '"'):
            redacted = self.json_text(body)
            if redacted is not None:
                return redacted
        if "x-www-form-urlencoded" in ctype:
            pairs = parse_qsl(body, keep_blank_values=True)
            redacted_pairs = self.pairs(pairs)
            return body if redacted_pairs == pairs else urlencode(redacted_pairs)
        boundary = bodies.multipart_boundary(bodies.header(headers, "content-type"))
        if boundary and f"--{boundary}" in body:
            return self.multipart(body, boundary)
        if "json" in ctype:
            redacted = self.json_text(body.strip())
            if redacted is not None:
                return redacted
        return self.text(body)

    def multipart(self, body: str, boundary: str) -> str:
        delimiter = f"--{boundary}"
        pieces = body.split(delimiter)
        out = [self.text(pieces[0])]
        for piece in pieces[1:]:
            head, sep, content = piece.partition("\r\n\r\n")
            if not sep or piece.startswith("--"):
                out.append(self.text(piece))
                continue
            lines = [line for line in head.split("\r\n") if line]
            part_headers: dict[str, list[str]] = {}
            for line in lines:
                name, _, value = line.partition(":")
                part_headers.setdefault(name.strip(), []).append(value.strip())
            tail = "\r\n" if content.endswith("\r\n") else ""
            content = content[: len(content) - len(tail)]
            redacted_headers = self.headers(part_headers)
            field = _part_name(bodies.header(part_headers, "content-disposition") or "")
            if field and not bodies.header(part_headers, "content-type"):
                redacted: Any = self.field(field, content)  # a form field as a part
            else:
                redacted = self.body(content, redacted_headers)
            if isinstance(redacted, bytes):
                redacted = redacted.decode("latin-1")
            rendered = "".join(
                f"\r\n{name}: {value}" for name, values in redacted_headers.items()
                for value in values
            )
            out.append(f"{rendered}\r\n\r\n{redacted}{tail}")
        return delimiter.join(out)

    def binary(self, data: bytes, headers: dict[str, list[str]]) -> Any:
        ctype = bodies.header(headers, "content-type")
        inflated = bodies.sniff_decompress(data)
        if inflated is not None:
            # Stored inflated: the cassette says so instead of keeping unread bytes.
            for name in [k for k in headers if k.lower() == "content-encoding"]:
                del headers[name]
            headers[DECODED_HEADER] = [inflated[1]]
            return self.binary(inflated[0], headers)
        text = bodies.sniff_text(data, ctype)
        if text is not None:
            for name in [k for k in headers if k.lower() == "content-encoding"]:
                del headers[name]  # the importers' bodies are decoded whatever this says
            return self.body(text, headers)
        digest = self.p.digest("body", data.decode("latin-1"))[:16]
        return WITHHELD.format(size=len(data), ctype=ctype or "unknown type", digest=digest)

    def interaction(self, interaction: Interaction) -> Interaction:
        return self.interaction_json(interaction)[0]

    def _parsed(self, body: Any) -> ParsedBody:
        """``body`` (just redacted) as parsed JSON, if it is the text json_text wrote last."""
        last, self._last_json = self._last_json, None
        return (last[1],) if last is not None and last[0] is body else None

    def interaction_json(self, interaction: Interaction
                         ) -> tuple[Interaction, tuple[ParsedBody, ParsedBody]]:
        """The redacted interaction, and its request and response bodies as the redaction
        parsed them: a reader of the copy (live drift) need not parse them again. The values
        are shared with the redactor's memo: read them, never change them."""
        request = interaction["request"]
        response = interaction["response"]
        # Bodies first: their field names say best what a value is, and the placeholder
        # issued there is the one a header, a cookie or a path gets for the same value.
        req_headers = {k: list(v) for k, v in request["headers"].items()}
        resp_headers = {k: list(v) for k, v in response["headers"].items()}
        self._last_json = None
        req_body = self.body(request.get("body"), req_headers)
        req_json = self._parsed(req_body)
        resp_body = self.body(response["body"]["string"], resp_headers)
        resp_json = self._parsed(resp_body)
        req_headers = self.headers(req_headers)
        resp_headers = self.headers(resp_headers)
        bodies.fix_content_length(req_headers, req_body)
        bodies.fix_content_length(resp_headers, resp_body)
        status = dict(response["status"])
        if isinstance(status.get("message"), str):
            status["message"] = self.text(status["message"])
        return {
            "request": {
                "method": request["method"],
                "uri": self.uri(request["uri"]),
                "body": req_body,
                "headers": req_headers,
            },
            "response": {
                "status": status,
                "headers": resp_headers,
                "body": {"string": resp_body},
            },
        }, (req_json, resp_json)
