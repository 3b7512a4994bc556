"""Credentials for re-issuing recorded logins against a live server, from the environment.

Only ever read from ``WYZE_EMAIL``, ``WYZE_PASSWORD``, ``WYZE_KEY_ID`` and ``WYZE_API_KEY``;
never written to a file or printed. Without them, a loopback target gets the stand-in's own
made-up account (:func:`standin_account`), so ``make replay TARGET=URL`` works against
``make standin`` as it is.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from wyzeproto.cassette.files import Interaction
from wyzeproto.passwords import double_md5, triple_md5

VARIABLES = ("WYZE_EMAIL", "WYZE_PASSWORD", "WYZE_KEY_ID", "WYZE_API_KEY")


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str = field(repr=False)
    key_id: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str], required: bool = True) -> Credentials | None:
        """Raises KeyError naming the missing variables when ``required``; else None."""
        missing = [name for name in VARIABLES if not env.get(name)]
        if missing:
            if required:
                raise KeyError(f"set {', '.join(missing)} in the environment")
            return None
        return cls(env["WYZE_EMAIL"], env["WYZE_PASSWORD"], env["WYZE_KEY_ID"],
                   env["WYZE_API_KEY"])


def standin_account() -> Credentials:
    """The made-up key-pair account of ``standin/default_state.yaml`` (no second factor):
    public, fake on purpose, and only ever sent to a loopback target."""
    from standin.scenarios import PLAIN

    return Credentials(PLAIN.email, PLAIN.password, PLAIN.key_id or "", PLAIN.api_key or "")


def substitute(interaction: Interaction, credentials: Credentials) -> Interaction:
    """A copy of a login interaction with the user's own credentials in place of the
    recorded placeholders (other interactions are returned unchanged)."""
    request = interaction["request"]
    path = urlsplit(request["uri"]).path
    if not path.endswith("/user/login") or not request.get("body"):
        return interaction
    try:
        body = json.loads(request["body"])
    except ValueError:
        return interaction
    changed = copy.deepcopy(interaction)
    if path == "/app/user/login":
        body.update(user_name=credentials.email, password=double_md5(credentials.password))
    else:
        body.update(email=credentials.email, password=triple_md5(credentials.password))
    changed["request"]["body"] = json.dumps(body)
    headers = changed["request"].setdefault("headers", {})
    for name in list(headers):
        if name.lower() == "keyid":
            headers[name] = [credentials.key_id]
        elif name.lower() == "apikey":
            headers[name] = [credentials.api_key]
    return changed
