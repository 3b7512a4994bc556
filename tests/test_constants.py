"""The public constants: every sc/sv a build sends is one redaction keeps, each stated once."""

from __future__ import annotations

import json
import re

from wyzeproto import constants
from wyzeproto.envelope import IDENTITIES
from wyzeproto.redact import Pseudonymizer, Redactor


def test_every_sc_and_sv_an_identity_sends_is_a_public_value() -> None:
    for identity in IDENTITIES:
        assert identity.sc in constants.SC_VALUES, identity.name
        assert identity.sv_values() <= constants.SV_VALUES, identity.name
        assert {identity.sc, *identity.sv_values()} <= constants.PUBLIC_VALUES


def test_redaction_keeps_every_build_constant_an_identity_sends() -> None:
    redactor = Redactor(Pseudonymizer(b"k"))
    for identity in IDENTITIES:
        for path in (*identity.sv_by_path, "/app/v2/home_page/get_object_list"):
            body = identity.envelope(path, None, "00000000-0000-4000-8000-1a2b3c4d5e6f")
            kept = json.loads(redactor.json_text(json.dumps(body)) or "{}")
            assert (kept["sc"], kept.get("sv")) == (body["sc"], body.get("sv")), path


def test_the_extra_values_are_only_those_no_identity_sends() -> None:
    sent_sc = {identity.sc for identity in IDENTITIES}
    sent_sv = {sv for identity in IDENTITIES for sv in identity.sv_values()}
    assert not constants._OTHER_SC & sent_sc, "stated in envelope.py already"
    assert not constants._OTHER_SV & sent_sv, "stated in envelope.py already"


def test_every_sc_and_sv_is_a_32_hex_constant() -> None:
    for value in constants.SC_VALUES | constants.SV_VALUES:
        assert re.fullmatch(r"[0-9a-f]{32}", value), value
