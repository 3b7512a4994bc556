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


def _naive_stretch(key: bytes, label: str, value: str, length: int, form) -> str:  # type: ignore[no-untyped-def]
    def mac(text: str) -> str:
        message = f"{label}\x00{text}".encode("utf-8", "surrogatepass")
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    out = form(mac(value))
    while len(out) < length:
        out += form(mac(out))
    return out


@given(key=st.binary(min_size=1, max_size=80), label=st.sampled_from(["text", "digits", "hex"]),
       value=st.text(max_size=50), length=st.integers(min_value=0, max_value=700),
       decimal=st.booleans())
def test_a_stretched_digest_is_the_chain_of_hmacs_it_stands_for(
        key: bytes, label: str, value: str, length: int, decimal: bool) -> None:
    def form(hex_digits: str) -> str:
        return str(int(hex_digits, 16)) if decimal else hex_digits

    expected = _naive_stretch(key, label, value, length, form)
    assert Pseudonymizer(key).digest.stretch(label, value, length, form) == expected
