"""VCR.py cassettes (format version 1): load them safely, write them crash-safe.

An interaction is a plain dict in VCR.py's on-disk shape (see
:mod:`wyzeproto.cassette.interaction`, which builds one), so what we hold in memory is what
VCR.py, pytest-recording and a reviewer's eyes see.

Writing: the capture proxy appends one interaction at a time, in a form that is a valid
cassette at every byte (see :class:`CassetteWriter`), so a proxy killed with SIGKILL leaves
a loadable cassette and loses only the flows still in flight. :meth:`CassetteWriter.close`
then rewrites the file once, atomically, into the canonical sorted form.
"""

from __future__ import annotations

import mmap
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wyzeproto.cassette import yaml_events, yaml_text
from wyzeproto.cassette.interaction import Interaction as Interaction  # its home; re-exported

FORMAT_VERSION = 1

_JOURNAL_HEAD = f"version: {FORMAT_VERSION}\ninteractions:\n"
_CANONICAL_HEAD = "interactions:\n"
_CANONICAL_TAIL = f"version: {FORMAT_VERSION}\n"


class CassetteError(Exception):
    """A file that is not a usable cassette. ``str()`` starts with the file name."""

    def __init__(self, path: str | os.PathLike[str], message: str) -> None:
        super().__init__(f"{os.fspath(path)}: {message}")
        self.path = os.fspath(path)
        self.message = message


@dataclass(frozen=True)
class Cassette:
    path: str
    interactions: list[Interaction]


_TEXT = (str, bytes, type(None))  # a body as VCR.py stores it: text, !!binary or none


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__  # never the value: it may be a secret


def _headers_problem(headers: Any, where: str) -> str | None:
    if not isinstance(headers, dict):
        return f"{where} is a {_type(headers)}, expected a map of names to lists of strings"
    for name, values in headers.items():
        if not isinstance(name, str):
            return f"{where} has a name that is a {_type(name)}, expected a string"
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"{where}.{name} is not a list of strings"
    return None


def interaction_problem(interaction: Any) -> str | None:
    """What makes ``interaction`` not a VCR.py format-1 interaction, or None.

    Every reader (validate, lint, drift, infer, diff, replay, serve, export, docs) goes
    through :func:`load_cassette`, so a wrongly typed field is refused here, once, naming the
    field, instead of surfacing as a crash deep in one of them.
    """
    if not isinstance(interaction, dict):
        return f"is a {_type(interaction)}, expected a mapping with request and response"
    for side in ("request", "response"):
        if side not in interaction:
            return f"has no '{side}'"
        if not isinstance(interaction[side], dict):
            return f"{side} is a {_type(interaction[side])}, expected a mapping"
    request, response = interaction["request"], interaction["response"]
    for key in ("method", "uri"):
        if key not in request:
            return f"request has no '{key}'"
        if not isinstance(request[key], str):
            return f"request.{key} is a {_type(request[key])}, expected a string"
    if not request["uri"].startswith(("http://", "https://")):
        return "request.uri is not an http:// or https:// URL"
    if not isinstance(request.get("body"), _TEXT):
        return f"request.body is a {_type(request['body'])}, expected a string or null"
    for side, node in (("request", request), ("response", response)):
        if "headers" not in node:
            return f"{side} has no 'headers'"
        problem = _headers_problem(node["headers"], f"{side}.headers")
        if problem:
            return problem
    for key in ("status", "body"):
        if key not in response:
            return f"response has no '{key}'"
    status, body = response["status"], response["body"]
    if not isinstance(status, dict) or "code" not in status:
        return f"response.status is a {_type(status)}, expected a mapping with a code"
    code = status["code"]
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 999:
        return (f"response.status.code is a {_type(code)}, expected an HTTP status number"
                if not isinstance(code, int) or isinstance(code, bool)
                else "response.status.code is not an HTTP status (100-999)")
    if not isinstance(status.get("message", ""), (str, type(None))):
        return f"response.status.message is a {_type(status['message'])}, expected a string"
    if not isinstance(body, dict) or "string" not in body:
        return f"response.body is a {_type(body)}, expected a mapping with a string"
    if not isinstance(body["string"], _TEXT):
        return f"response.body.string is a {_type(body['string'])}, expected a string"
    return None


def check_shape(data: Any, path: str) -> list[Interaction]:
    """Return the interactions of a loaded document, or raise naming what is wrong."""
    if not isinstance(data, dict):
        raise CassetteError(path, "not a cassette: the top level is not a mapping")
    if "interactions" not in data or "version" not in data:
        raise CassetteError(path, "not a cassette: needs 'interactions' and 'version'")
    if data["version"] != FORMAT_VERSION:
        raise CassetteError(
            path, f"cassette format version {data['version']!r} is not supported (only 1)"
        )
    interactions = data["interactions"]
    if not isinstance(interactions, list):
        raise CassetteError(path, "'interactions' is not a list")
    for index, interaction in enumerate(interactions):
        problem = interaction_problem(interaction)
        if problem is not None:
            sep = " " if problem.startswith(("has ", "is ")) else ": "
            raise CassetteError(path, f"interaction {index}{sep}{problem}")
    return interactions


def load_cassette(path: str | os.PathLike[str]) -> Cassette:
    """Load and shape-check one cassette with the safe (libyaml) loader."""
    name = os.fspath(path)
    try:
        if not os.path.isdir(name) and os.path.exists(name) and not os.path.isfile(name):
            # /dev/zero, a FIFO, a socket: reading one would never end or never start
            raise CassetteError(name, "not a regular file (a device, a pipe or a socket)")
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise CassetteError(name, "no such file") from None
    except IsADirectoryError:
        raise CassetteError(name, "is a directory, expected a cassette file") from None
    except OSError as exc:
        raise CassetteError(name, f"cannot read: {exc.strerror}") from None
    if not raw.strip():
        raise CassetteError(name, "empty file, not a cassette")
    try:
        data = yaml_events.load(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CassetteError(name, f"broken YAML{at}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise CassetteError(name, f"broken YAML: {exc}") from None
    return Cassette(name, check_shape(data, name))


def find_cassettes(paths: list[str]) -> list[str]:
    """Expand files and directories (recursively, ``*.yaml``/``*.yml``) in a stable order."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                found.extend(
                    os.path.join(root, f) for f in sorted(files) if f.endswith((".yaml", ".yml"))
                )
        else:
            found.append(path)
    return found


def dump_cassette(interactions: list[Interaction]) -> str:
    """The canonical text of a cassette: keys sorted, ``interactions`` then ``version``."""
    return yaml_text.dump({"interactions": interactions, "version": FORMAT_VERSION})


def _atomic_write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_cassette(path: str | os.PathLike[str], interactions: list[Interaction]) -> None:
    """Write a whole cassette atomically (temp file, fsync, rename)."""
    name = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(name)), exist_ok=True)
    _atomic_write(name, dump_cassette(interactions))


class CassetteWriter:
    """Append interactions to one cassette as they finish; nothing is created until the first.

    While recording, the file is a valid cassette at every byte, even if the process is
    killed in the middle of a write (Linux can cut a ``write(2)`` between pages when a fatal
    signal arrives). Each interaction is written as::

        _: |                      <- a pending key: what follows is one literal string
          - request: ...          <- the interaction, indented under 'interactions:'

    A cut anywhere in it leaves a valid document whose ``_`` string is the partial text (VCR.py
    and the loaders ignore unknown top-level keys). Then one byte turns ``_`` into ``#``: the
    line becomes a comment and the interaction joins the list. A one-byte write cannot be cut.
    The pending header never straddles a page boundary, and chunks are ASCII (the emitter
    escapes the rest), so no cut can split a character either. :meth:`close` rewrites the
    file once, atomically, into canonical sorted form.
    """

    PENDING = b"_: |\n"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.count = 0
        self._fd: int | None = None
        self._size = 0

    def append(self, interaction: Interaction) -> None:
        chunk = yaml_text.dump_item(interaction, indent=2).encode("ascii")
        if self._fd is None:
            if os.path.exists(self.path):
                raise FileExistsError(f"{self.path}: already exists; pick another cassette name")
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            # The first item goes in with the header through a rename, so the file never
            # exists with an empty 'interactions:' (which would load as null).
            first = _JOURNAL_HEAD.encode("ascii") + chunk
            _atomic_write(self.path, first.decode("ascii"))
            self._fd = os.open(self.path, os.O_WRONLY)  # not O_APPEND: pwrite needs offsets
            self._size = len(first)
        else:
            offset = self._size
            room = _PAGE - offset % _PAGE
            pad = b"\n" * room if room < len(self.PENDING) else b""
            _write_all(self._fd, pad + self.PENDING, chunk, offset)
            os.pwrite(self._fd, b"#", offset + len(pad))  # commit: '_: |' becomes '#: |'
            self._size = offset + len(pad) + len(self.PENDING) + len(chunk)
        self.count += 1

    def close(self, superseded: Mapping[str, str] | None = None) -> None:
        """Rewrite the journal into canonical order. Safe to call twice.

        ``superseded`` maps a placeholder issued early to the one its value got later
        (:attr:`Redactor.superseded`): the interactions already written get the later one.
        """
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        if superseded:
            # Only then is the journal read as data (rare; the common case stays a text
            # rewrite). Not a text replace on the YAML: there a placeholder may be escaped.
            from wyzeproto.redact import supersede

            interactions, changed = supersede.apply(load_cassette(self.path).interactions,
                                                    superseded)
            if changed:
                _atomic_write(self.path, dump_cassette(interactions))
                return
        with open(self.path, encoding="utf-8") as handle:
            text = handle.read()
        if text.startswith(_JOURNAL_HEAD):
            body = _COMMITTED.sub("", text[len(_JOURNAL_HEAD) :])
            _atomic_write(self.path, _CANONICAL_HEAD + _UNINDENT.sub("", body) + _CANONICAL_TAIL)


_PAGE = mmap.PAGESIZE
_COMMITTED = re.compile(r"^(?:#: \|)?\n", re.MULTILINE)  # commit lines and padding
_UNINDENT = re.compile(r"^  ", re.MULTILINE)


def _write_all(fd: int, head: bytes, data: bytes, offset: int) -> None:
    """``head`` then ``data`` at ``offset``: one pwritev, no copy of the 20 kB chunk to join
    them (a short write, rare, finishes with pwrite)."""
    written = os.pwritev(fd, [head, data], offset)
    view = memoryview(head + data)[written:] if written < len(head) + len(data) else None
    offset += written
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written
