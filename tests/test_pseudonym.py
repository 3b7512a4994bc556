"""The pseudonyms' HMAC is the standard one: the same digest as ``hmac.new`` for any key."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from wyzeproto.redact.pseudonym import Pseudonymizer


@given(key=st.binary(min_size=1, max_size=200), kind=st.text(max_size=20),
       value=st.text(max_size=300))
def test_the_digest_is_hmac_sha256_of_kind_and_value(key: bytes, kind: str, value: str) -> None:
    message = f"{kind}\x00{value}".encode("utf-8", "surrogatepass")
    expected = hmac.new(key, message, hashlib.sha256).hexdigest()
    pseudonymizer = Pseudonymizer(key)
    assert pseudonymizer.digest(kind, value) == expected
    assert pseudonymizer.digest(kind, value) == expected  # the keyed states are not used up


def test_keys_of_one_block_and_longer_are_the_standard_ones() -> None:
    for size in (63, 64, 65, 128, 1000):
        key = bytes(range(256))[:size] * (1 + size // 256)
        key = key[:size]
        expected = hmac.new(key, b"mac\x00AABBCCDDEEFF", hashlib.sha256).hexdigest()
        assert Pseudonymizer(key).digest("mac", "AABBCCDDEEFF") == expected
