"""Re-issue every recorded login, and the requests after it, with the client; check each.

    wyze-toolkit replay [CAPTURES...] [--target URL] [--live]

Offline (the default), each request is rebuilt by :mod:`replay.rebuild` from the recorded
inputs (the signed services' requests signed afresh by the client, by their generation's
scheme) and answered by the matcher from the same cassette; nothing leaves the process. Per
request it checks that the rebuilt request equals the recorded one (volatile fields aside),
that the answer is the recorded one, and that the exchange validates against ``schemas/``
(``wyzeproto.schema.validate.check_interaction``). ``--target URL`` sends the requests to a live
server on loopback (the stand-in) instead and reports how its answers differ, logging in
with ``WYZE_*`` credentials if set, else the stand-in's made-up account; the real cloud needs
``--live`` (make: ``LIVE=1``) and ``WYZE_EMAIL``, ``WYZE_PASSWORD``, ``WYZE_KEY_ID``,
``WYZE_API_KEY``.
Exit status: 0 all match, 1 a mismatch, 2 unusable input.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from replay.client import WyzeClient
from replay.credentials import Credentials, substitute
from replay.rebuild import plan
from replay.results import WyzeApiError
from replay.transport import match_request, request_body, to_response
from wyzeproto.cassette.files import load_cassette
from wyzeproto.cassette.interaction import Interaction, make_interaction
from wyzeproto.match.answer import miss_answer, recorded_answer
from wyzeproto.match.compare import request_differences, response_differences
from wyzeproto.match.matcher import Index, Matcher, Miss

try:
    from wyzeproto.schema.validate import check_interaction
except ImportError:  # the schema checker is optional for replay
    check_interaction = None  # type: ignore[assignment]


@dataclass
class Row:
    index: int
    endpoint: str
    request: str = "-"
    status: str = "-"
    response: str = "-"
    schema: str = "n/a"
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


class _Exchange(requests.adapters.BaseAdapter):
    """Keeps what the client sent; answers offline from the matcher, or passes it on."""

    def __init__(self, matcher: Matcher | None) -> None:
        super().__init__()
        self.matcher = matcher
        self.onward = requests.adapters.HTTPAdapter()
        self.sent: requests.PreparedRequest | None = None
        self.found: Any = None
        self.reply: requests.Response | None = None

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        self.sent = request
        if self.matcher is None:
            self.reply = self.onward.send(request, stream, timeout, verify, cert, proxies)
            return self.reply
        found = self.found = match_request(self.matcher, request)
        answer = miss_answer(found) if isinstance(found, Miss) else recorded_answer(found)
        self.reply = to_response(request, answer)
        return self.reply

    def close(self) -> None:
        self.onward.close()


def _api_code(reply: requests.Response) -> str:
    try:
        data = reply.json()
    except ValueError:
        return ""
    code = data.get("code", data.get("errorCode")) if isinstance(data, dict) else None
    return "" if code is None else f" {code}"


def _schema(row: Row, interaction: Interaction) -> None:
    if check_interaction is None:
        return
    try:
        problems = check_interaction(interaction)
    except Exception as exc:  # a broken catalog is reported, not fatal to replay
        row.schema = "n/a"
        row.problems.append(f"schema: the catalog did not load ({type(exc).__name__})")
        return
    row.schema = "ok" if not problems else f"{len(problems)} problem(s)"
    row.problems.extend(f"schema: {p}" for p in problems)


def replay_cassette(path: str, target: str | None = None, live: bool = False,
                    credentials: Credentials | None = None) -> list[Row]:
    """Re-issue one cassette's requests; a row per interaction. Raises CassetteError."""
    cassette = load_cassette(path)
    matcher = None
    if target is None and not live:
        index = Index()
        for number, item in enumerate(cassette.interactions):
            index.add(path, number, item)
        matcher = Matcher(index)
    exchange = _Exchange(matcher)
    session = requests.Session()
    session.trust_env = False  # never a proxy from the environment
    session.mount("https://", exchange)
    session.mount("http://", exchange)
    rows = []
    with WyzeClient(base_url=target, session=session) as client:
        for number, interaction in enumerate(cassette.interactions):
            rows.append(_one(client, exchange, number, interaction, credentials))
    return rows


def _one(client: WyzeClient, exchange: _Exchange, number: int, interaction: Interaction,
         credentials: Credentials | None) -> Row:
    recorded = interaction["request"]
    parts = urlsplit(recorded["uri"])
    row = Row(number, f"{recorded['method']} {parts.netloc}{parts.path}")
    call = plan(client, substitute(interaction, credentials) if credentials else interaction,
                recorded_tokens=exchange.matcher is not None)
    if call is None:
        row.request = "skipped (not a client endpoint)"
        return row
    exchange.sent = exchange.reply = exchange.found = None
    try:
        call()
    except WyzeApiError:
        pass  # an error answer is an answer: it is compared like any other
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        row.problems.append(f"client: {type(exc).__name__}: {exc}")
    sent, reply = exchange.sent, exchange.reply
    if sent is None or reply is None:
        row.request = "not sent"
        row.problems.append("request: the client sent nothing")
        return row
    differences = request_differences(sent.method or "", sent.url or "", sent.body,
                                      sent.headers.get("Host"), recorded)
    if credentials:  # the login fields were replaced on purpose
        differences = [d for d in differences if not d.startswith(("json.email", "json.pass"))]
    row.request = "match" if not differences else "DIFFERS"
    row.problems.extend(f"request: {d}" for d in differences)
    row.status = f"{reply.status_code}{_api_code(reply)}"
    if exchange.matcher is not None:
        found = exchange.found
        same = not isinstance(found, Miss) and found is not None and found.index == number
        row.response = "recorded" if same else "DIFFERS"
        if not same:
            row.problems.append(f"response: {found.message()}" if isinstance(found, Miss)
                                else f"response: answered by interaction {found.index}")
    else:
        answer = response_differences(reply.status_code, reply.content, interaction["response"])
        row.response = "as recorded" if not answer else f"{len(answer)} difference(s)"
        row.problems.extend(f"response: {d}" for d in answer)
    host = sent.headers.get("Host") or urlsplit(sent.url or "").netloc
    sent_url = urlsplit(sent.url or "")
    query = f"?{sent_url.query}" if sent_url.query else ""
    rebuilt = make_interaction(
        method=sent.method, uri=f"https://{host}{sent_url.path}{query}",
        body=request_body(sent), headers={k: [v] for k, v in sent.headers.items()},
        status=reply.status_code, message=reply.reason,
        response_headers={k: [v] for k, v in reply.headers.items()}, response_body=reply.text)
    _schema(row, rebuilt)
    return row


def print_table(path: str, rows: list[Row], out: Any = None, verbose: bool = False,
                problems: bool = True) -> None:
    """One cassette's rows as a table, then (with ``problems``) each row's differences."""
    out = out or sys.stdout
    width = max([len(r.endpoint) for r in rows] + [8])
    print(path, file=out)
    print(f"  {'#':>3}  {'endpoint':<{width}}  {'request':<8}  {'status':<9}  "
          f"{'response':<17}  schema", file=out)
    for r in rows:
        print(f"  {r.index:>3}  {r.endpoint:<{width}}  {r.request:<8}  {r.status:<9}  "
              f"{r.response:<17}  {r.schema}", file=out)
    for r in rows if problems else ():
        shown = r.problems if verbose else r.problems[:5]
        for problem in shown:
            print(f"{path}::interaction {r.index}::{problem}", file=out)
        if len(shown) < len(r.problems):
            print(f"{path}::interaction {r.index}::... and {len(r.problems) - len(shown)} "
                  "more (-v shows all)", file=out)
    print(file=out)


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
