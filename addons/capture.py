"""Record Wyze cloud traffic into share-safe VCR.py cassettes (redacted before disk).

    mitmdump -s addons/capture.py --set capture_dir=captures

Every finished flow to a Wyze host (``capture_hosts``) becomes one interaction in one
cassette per session, ``<capture_dir>/<capture_name>.yaml``. Every personal value is
replaced by a keyed placeholder before the interaction is written (see captures/README.md).
The flow itself is never changed: the addon copies it, then redacts the copy.

Options can change while mitmproxy runs (``set`` in the console, ``--set`` in a script).
As with mitmproxy's own ``save_stream_file``, only a change of the path (``capture_dir``,
``capture_name``) closes the cassette and starts a new one; ``capture_hosts`` and
``capture_max_body`` apply to the running cassette from the next flow on. ``capture_redact``
may change freely until the first interaction is written; after that, a change without a
new path is refused (an error naming the option, the old value stays), because one cassette
half redacted and half not is neither safe to share nor honestly private.

Flows are recorded in batches, at most ``DELAY`` seconds after they finish: redacting and
writing one flow alone, between two others, finds the CPU's caches cold (mitmproxy's own
work has run meanwhile) and costs about three times what it does in a loop. A batch is
recorded when ``BATCH`` flows (or ``BATCH_BYTES`` of bodies) wait, when ``DELAY`` has passed
since the first, before an option change that starts a new cassette or changes how it is
recorded, and at exit (Ctrl-C, SIGTERM). So the cassette trails the traffic by half a
second at most, and a proxy killed with SIGKILL loses at most that last half second (the
file stays loadable).
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from mitmproxy import ctx, exceptions, hooks, http

from wyzeproto.capture.recorder import Exchange, HostFilter, Recorded, Recorder
from wyzeproto.cassette.files import CassetteWriter
from wyzeproto.constants import DEFAULT_HOSTS
from wyzeproto.mitmdump import no_other_hooks
from wyzeproto.redact import Redactor, default_redactor, safe

log = logging.getLogger(__name__)
ORIGINAL_URL = "capture_original_url"
ORIGINAL_FIELDS = "capture_original_header_fields"
# Options that say where the cassette is (a change starts a new one), and how it is recorded
# (a change applies to the running one).
PATH_OPTIONS = frozenset({"capture_dir", "capture_name"})
SETTINGS = frozenset({"capture_hosts", "capture_max_body", "capture_redact"})
BATCH = 16
BATCH_BYTES = 8 << 20  # big bodies are not held back: memory, not CPU, is what they cost
DELAY = 0.5
OPTION_TYPES = {"capture_dir": str, "capture_name": str, "capture_hosts": list,
                "capture_max_body": int, "capture_redact": bool}


def bad_option(name: str, values: Sequence[str]) -> str | None:
    """What is wrong with ``--set name=value`` for this addon, or None if nothing is.

    mitmproxy applies ``--set`` for a script's options only once the script has loaded, and a
    bad value or a mistyped name is then dropped without a word: the proxy runs and records
    nothing. Checked here, at load, it stops mitmdump at start instead (an error logged
    during start-up makes mitmdump exit).
    """
    kind = OPTION_TYPES.get(name)
    if kind is None:
        close = difflib.get_close_matches(name, OPTION_TYPES, 1, 0.6)
        hint = (f"did you mean {close[0]}?" if close
                else f"the options are {', '.join(OPTION_TYPES)}")
        return f"{name}: no such option; {hint}"
    value = values[-1] if values else ""
    if kind is bool and value not in ("", "true", "false"):
        return f"{name}={value}: give true or false"
    if kind is int:
        try:
            number = int(value)
        except ValueError:
            return f"{name}={value}: give a whole number of bytes"
        if number <= 0:
            return f"{name}={value}: give a positive number of bytes"
    return None


def _session_name() -> str:
    return time.strftime("session-%Y%m%dT%H%M%SZ", time.gmtime())


_URL_PREFIXES: dict[tuple[object, ...], str] = {}  # what the URL is without its path


def _pretty_url(request: http.Request) -> str:
    """``request.pretty_url``, which costs some 23 us a flow (the Host header's authority
    parsed, its host through IDNA). Everything in it but the path is the same for every
    request to a host, so that part is kept, under everything it is made of."""
    data = request.data
    path = data.path
    key = (data.method, data.scheme, data.authority, data.host, data.port, data.http_version,
           data.headers.get("host"))
    by_prefix = path not in (b"", b"*") and data.method != b"CONNECT"  # else no path in it
    prefix = _URL_PREFIXES.get(key) if by_prefix else None
    if prefix is not None:
        return prefix + request.path
    url = request.pretty_url
    text_path = request.path
    if by_prefix and url.endswith(text_path) and len(_URL_PREFIXES) < 1000:
        _URL_PREFIXES[key] = url[:len(url) - len(text_path)]
    return url


class Capture:
    def __init__(self) -> None:
        self.recorder: Recorder | None = None
        self.session_name = ""
        self.log_each = True
        self.started = False  # mitmproxy's running hook has fired
        self.pending: list[Exchange] = []  # finished flows not yet recorded
        self.pending_bytes = 0
        self.timer: asyncio.TimerHandle | None = None
        # Called with every batch as recorded (addons/drift.py checks them).
        self.listeners: list[Callable[[list[Recorded]], None]] = []

    def load(self, loader) -> None:  # type: ignore[no-untyped-def]
        loader.add_option("capture_dir", str, "captures", "Folder the cassette is written to.")
        loader.add_option(
            "capture_name",
            str,
            "",
            "Cassette name without .yaml (default: session-<UTC timestamp>).",
        )
        loader.add_option(
            "capture_hosts",
            Sequence[str],
            list(DEFAULT_HOSTS),
            "Hosts to record: 'host' (any port), 'host:port', or globs like '*.wyze.com'.",
        )
        loader.add_option(
            "capture_max_body",
            int,
            1_000_000,
            "Bodies larger than this many bytes are recorded truncated, with a marker.",
        )
        loader.add_option(
            "capture_redact",
            bool,
            True,
            "Pseudonymise every personal value before writing. Turn off only for private use.",
        )
        master = getattr(loader, "master", None)  # a bare loader (docs, tests) has none
        self.check_deferred(getattr(getattr(master, "options", None), "deferred", {}))

    @staticmethod
    def check_deferred(deferred: dict) -> None:  # type: ignore[type-arg]
        """Refuse, at start, the ``--set capture_*`` that mitmproxy would silently drop."""
        for name in [k for k in deferred if k.startswith("capture") or k.startswith("captur_")]:
            raw = deferred[name]
            values = getattr(raw, "val", raw)  # mitmproxy keeps --set strings unconverted
            problem = bad_option(name, [values] if isinstance(values, str) else list(values))
            if problem:
                del deferred[name]
                log.error("capture: --set %s; fix it and start again (nothing is recorded)",
                          problem)

    def running(self) -> None:
        self.started = True

    def configure(self, updated: set[str]) -> None:
        try:
            self._configure(updated)
        except exceptions.OptionsError as exc:
            if self.started or self.recorder is not None:
                raise  # a change while running: mitmproxy rolls it back and says why
            # At start, mitmproxy would print this with a traceback; one line is enough, and
            # an error logged while mitmdump starts makes it exit before a phone connects.
            log.error("capture: %s", exc)

    def _configure(self, updated: set[str]) -> None:
        if "termlog_verbosity" in updated:
            # One line per interaction unless the user asked for quiet (mitmdump -q sets
            # termlog_verbosity=error); building a log record costs more than writing YAML.
            verbosity = getattr(ctx.options, "termlog_verbosity", "info")
            self.log_each = verbosity in ("info", "debug")
        if not updated & (PATH_OPTIONS | SETTINGS):
            return
        self.flush()  # the flows that finished before the change are recorded as they were
        # Parse and check everything before changing anything: on an OptionsError mitmproxy
        # rolls the options back, and the running cassette must be as it was.
        opts = ctx.options
        try:
            hosts = HostFilter(opts.capture_hosts)
        except ValueError as exc:
            raise exceptions.OptionsError(f"capture_hosts: {exc}") from None
        if opts.capture_max_body <= 0:
            raise exceptions.OptionsError("capture_max_body must be a positive number of bytes")
        path = self._path(opts.capture_dir, opts.capture_name)
        current = self.recorder
        new_cassette = current is None or path != current.writer.path
        if new_cassette and os.path.exists(path):
            raise exceptions.OptionsError(f"capture_name: {path} already exists; pick another")
        if new_cassette:
            self._check_writable(opts.capture_dir)
        if current is not None and (current.redactor is not None) == opts.capture_redact:
            redactor = current.redactor
        elif current is not None and current.recorded and not new_cassette:
            raise exceptions.OptionsError(
                f"capture_redact: {path} already holds {current.recorded} interaction(s) "
                f"recorded with redaction {'on' if current.redactor else 'off'}; set a new "
                "capture_name with it, so that no cassette is half redacted")
        else:
            redactor = self._redactor(opts.capture_redact)
        if redactor is None and (new_cassette or current.redactor is not None):
            log.warning("capture: redaction is OFF; %s will hold secrets, never commit it", path)
        if current is None or new_cassette:
            if current is not None:
                current.close()
                log.info("capture: %s; now recording to %s", current.summary(), path)
            self.recorder = Recorder(CassetteWriter(path), redactor, hosts, opts.capture_max_body)
            return
        current.hosts, current.max_body, current.redactor = hosts, opts.capture_max_body, redactor
        if updated & SETTINGS:
            log.info("capture: %s set; still recording to %s",
                     ", ".join(sorted(updated & SETTINGS)), path)

    def _path(self, directory: str, name: str) -> str:
        if not name:
            # One default name per process, so a change of capture_dir alone moves the session
            # rather than renaming it, and re-setting an option never splits it.
            self.session_name = self.session_name or _session_name()
            name = self.session_name
        if os.sep in name or name.startswith(".") or any(c.isspace() for c in name):
            raise exceptions.OptionsError(f"capture_name {name!r}: give a plain file name")
        return os.path.join(directory, name + ".yaml")

    @staticmethod
    def _check_writable(directory: str) -> None:
        # At start, not at the first flow: a phone pointed at a proxy that cannot write is a
        # session lost without a word.
        try:
            os.makedirs(directory, exist_ok=True)
            with tempfile.TemporaryFile(dir=directory):
                pass
        except OSError as exc:
            raise exceptions.OptionsError(
                f"capture_dir: {directory}: cannot write there ({exc.strerror or exc}); "
                "pick a folder you can write to") from None

    @staticmethod
    def _redactor(redact: bool) -> Redactor | None:
        if not redact:
            return None
        safe.schema_public()  # read the schemas now, at start, not on the first flow
        try:
            return default_redactor()
        except (OSError, ValueError) as exc:
            raise exceptions.OptionsError(f"capture_redact: no redaction key: {exc}") from None

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        # Before --map-remote rewrites the URL and the Host header (its hook is 'request'):
        # record the Wyze host the client asked for, not the stand-in it was sent to. The
        # header fields are an immutable tuple (a change makes a new one): kept as sent.
        flow.metadata[ORIGINAL_URL] = _pretty_url(flow.request)
        flow.metadata[ORIGINAL_FIELDS] = flow.request.headers.fields

    def response(self, flow: http.HTTPFlow) -> None:
        recorder = self.recorder
        if recorder is None or flow.response is None:
            return
        url = flow.metadata.get(ORIGINAL_URL) or flow.request.pretty_url
        if not recorder.wants(url):
            return
        request, response = flow.request, flow.response
        sent = flow.metadata.get(ORIGINAL_FIELDS)
        # Plain values, taken now (the bodies are immutable bytes, the fields tuples): what
        # the proxy saw, whatever another addon does to the flow before the batch is recorded.
        exchange = Exchange(
            method=request.method,
            url=url,
            request_fields=list(request.headers.fields if sent is None else sent),
            request_raw=request.raw_content,
            status=response.status_code,
            reason=response.reason,
            response_fields=list(response.headers.fields),
            response_raw=response.raw_content,
        )
        self.pending.append(exchange)
        self.pending_bytes += len(exchange.request_raw or b"") + len(exchange.response_raw or b"")
        if len(self.pending) >= BATCH or self.pending_bytes >= BATCH_BYTES:
            self.flush()
        elif self.timer is None:
            try:
                self.timer = asyncio.get_running_loop().call_later(DELAY, self.flush)
            except RuntimeError:  # no event loop to wait in: at once
                self.flush()

    def flush(self) -> None:
        """Record every flow waiting, in the order they finished, then hand the batch to
        the listeners."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        pending, self.pending, self.pending_bytes = self.pending, [], 0
        recorder = self.recorder
        if not pending or recorder is None:
            return
        batch = [done for done in (self._record(recorder, exchange) for exchange in pending)
                 if done is not None]
        for listener in self.listeners:
            try:
                listener(batch)
            except Exception as exc:  # the batch is on disk: a reader's bug must not cost it
                log.error("capture: %s failed on a batch: %s",
                          getattr(listener, "__qualname__", "a listener"), type(exc).__name__)

    def _record(self, recorder: Recorder, exchange: Exchange) -> Recorded | None:
        try:
            interaction, warnings = recorder.record(exchange)
        except Exception as exc:  # fail closed and loud; never print the unredacted flow
            recorder.failed += 1
            problem = type(exc).__name__
            if isinstance(exc, OSError):  # the disk, not the flow: say where and why
                problem = f"{recorder.writer.path}: {exc.strerror or problem}"
                recorder.not_written[problem] += 1
            log.error("capture: NOT recorded %s %s: %s", exchange.method,
                      urlsplit(exchange.url).netloc, problem)
            return None
        for warning in warnings:
            log.warning("capture: %s", warning)
        if self.log_each:
            recorded = urlsplit(interaction["request"]["uri"])
            log.info("capture: %s %s %s %s", exchange.method, recorded.netloc, recorded.path,
                     exchange.status)
        return recorder.writer.path, recorder.recorded - 1, interaction, recorder.last_json

    def error(self, flow: http.HTTPFlow) -> None:
        recorder = self.recorder
        url = flow.metadata.get(ORIGINAL_URL) or flow.request.pretty_url
        if recorder is None or not recorder.wants(url):
            return
        recorder.failed += 1
        message = flow.error.msg if flow.error else "unknown error"
        host = urlsplit(url).netloc
        recorder.upstream_errors[f"{host}: {message}"] += 1
        log.warning("capture: flow failed, not recorded: %s %s: %s",
                    flow.request.method, host, message)

    def tls_failed_client(self, data) -> None:  # type: ignore[no-untyped-def]
        # The client refused our certificate: the CA is not trusted, and nothing of that
        # connection reaches response(); the summary says so instead of "nothing recorded".
        recorder = self.recorder
        if recorder is None:
            return
        conn = getattr(data, "conn", None) or getattr(getattr(data, "context", None), "client",
                                                      None)
        host = getattr(conn, "sni", None) or "unknown host"
        if recorder.hosts.matches(host, 443) or host == "unknown host":
            recorder.tls_refused[host] += 1

    def done(self) -> None:
        self.flush()
        if self.recorder is None:
            return
        self.recorder.close()
        log.info("capture: %s", self.recorder.summary())


addons = [Capture()]
no_other_hooks(globals(), hooks.all_hooks)
