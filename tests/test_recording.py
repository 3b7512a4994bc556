"""From an exchange to a redacted, decoded, possibly truncated interaction on disk."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import brotli
import pytest
import zstandard

from wyzeproto.capture.recorder import (
    TRUNCATED_HEADER,
    Exchange,
    HostFilter,
    Recorder,
    build_interaction,
)
from wyzeproto.cassette.files import CassetteWriter, load_cassette
from wyzeproto.redact import Pseudonymizer, Redactor

BODY = json.dumps({"ts": 1, "code": "1", "msg": "", "data": {"device_list": []}}).encode()


def exchange(
    raw: bytes | None,
    encoding: str | None = None,
    ctype: str = "application/json",
    url: str = "https://api.wyzecam.com/app/v2/home_page/get_object_list",
) -> Exchange:
    fields = [(b"Content-Type", ctype.encode()), (b"Content-Length", str(len(raw or b"")).encode())]
    if encoding:
        fields.append((b"Content-Encoding", encoding.encode()))
    return Exchange(
        "POST", url, [(b"Host", b"api.wyzecam.com")], b'{"sc": "x"}', 200, "OK", fields, raw
    )


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
        ("zstd", lambda b: zstandard.ZstdCompressor().compress(b)),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw DEFLATE as some servers send it
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
    ],
)
def test_compressed_bodies_are_stored_decoded_with_headers_adjusted(encoding, compress) -> None:
    interaction, problems = build_interaction(exchange(compress(BODY), encoding))
    response = interaction["response"]
    assert problems == []
    assert response["body"]["string"] == BODY.decode()
    assert "Content-Encoding" not in response["headers"]


def test_a_body_that_does_not_decompress_is_kept_raw_and_reported() -> None:
    interaction, problems = build_interaction(exchange(b"not gzip at all", "gzip"))
    assert interaction["response"]["body"]["string"] == b"not gzip at all"
    assert interaction["response"]["headers"]["Content-Encoding"] == ["gzip"]
    assert problems and "gzip body does not decompress" in problems[0]


def test_binary_bodies_stay_bytes_and_text_follows_the_declared_charset() -> None:
    binary, _ = build_interaction(exchange(b"\x89PNG\r\n\x1a\n\x00\xff", ctype="image/png"))
    assert binary["response"]["body"]["string"] == b"\x89PNG\r\n\x1a\n\x00\xff"
    latin, _ = build_interaction(
        exchange("café".encode("latin-1"), ctype="text/plain; charset=iso-8859-1")
    )
    assert latin["response"]["body"]["string"] == "café"


def test_empty_request_body_is_null_as_vcrpy_records_it() -> None:
    ex = exchange(b"")
    ex.request_raw = b""
    interaction, _ = build_interaction(ex)
    assert interaction["request"]["body"] is None
    assert interaction["response"]["body"]["string"] == ""


def test_repeated_headers_are_grouped_keeping_order_and_first_spelling() -> None:
    ex = exchange(BODY)
    ex.response_fields += [(b"set-cookie", b"a=1"), (b"Set-Cookie", b"b=2")]
    interaction, _ = build_interaction(ex)
    assert interaction["response"]["headers"]["set-cookie"] == ["a=1", "b=2"]


def make_recorder(tmp_path: Path, max_body: int = 1_000_000) -> Recorder:
    return Recorder(
        CassetteWriter(tmp_path / "s.yaml"),
        Redactor(Pseudonymizer(b"k")),
        HostFilter(["api.wyzecam.com", "*.wyze.com"]),
        max_body,
    )


def test_oversized_bodies_are_truncated_after_redaction_with_a_marker(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path, max_body=64)
    secret = "Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1"
    raw = json.dumps({"msg": "words " * 100, "access_token": secret}).encode()
    interaction, warnings = recorder.record(exchange(raw))
    response = interaction["response"]
    redacted_size = len(raw) - len(secret) + len(recorder.redactor.value("access_token", secret))
    assert response["body"]["string"].endswith(
        f"\n[wyze-toolkit: body truncated, 64 of {redacted_size} bytes kept]"
    )
    assert response["headers"][TRUNCATED_HEADER] == [str(redacted_size)]
    assert response["headers"]["Content-Length"] == [str(len(response["body"]["string"]))]
    assert any("response body of" in w and "truncated to 64" in w for w in warnings)


def test_a_secret_beyond_the_cut_is_redacted_not_left_half_visible(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path, max_body=40)
    secret = "Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1"
    interaction, _ = recorder.record(exchange(json.dumps({"access_token": secret}).encode()))
    assert secret[:10] not in interaction["response"]["body"]["string"]


def test_host_filter_matches_default_wyze_hosts_and_ports() -> None:
    hosts = HostFilter(["api.wyzecam.com", "*.wyzecam.com", "*.wyze.com", "example.org:8443"])
    assert hosts.matches("api.wyzecam.com", 8443)
    assert hosts.matches("AUTH-PROD.api.wyze.com", 443)
    assert hosts.matches("example.org", 8443) and not hosts.matches("example.org", 443)
    assert not hosts.matches("wyze.com.evil.test", 443)
    assert not hosts.matches("notwyze.com", 443)


def test_summary_says_why_nothing_was_recorded(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path)
    assert "no finished HTTP flow reached the proxy" in recorder.summary()
    assert not recorder.wants("https://example.org/x")
    assert "no flow matched the capture hosts (flows seen to: example.org)" in recorder.summary()


def test_recorded_interactions_are_counted_and_loadable(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path)
    for _ in range(3):
        recorder.record(exchange(gzip.compress(BODY), "gzip"))
    recorder.writer.close()
    assert recorder.summary().startswith(f"3 interaction(s) recorded to {tmp_path / 's.yaml'}")
    assert len(load_cassette(tmp_path / "s.yaml").interactions) == 3


def test_the_recorder_hands_on_each_body_parsed_as_it_was_written(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path)
    raw = json.dumps({"access_token": "Zk3qP9xLm2Wv8TnR4bYc7HdJ5sQ1", "data": {"n": -0.0}})
    for _ in range(3):  # the third time, from the redactor's memo
        interaction, _ = recorder.record(exchange(raw.encode()))
        request, response = recorder.last_json
        assert request == (json.loads(interaction["request"]["body"]),)
        assert response == (json.loads(interaction["response"]["body"]["string"]),)
        assert str(response[0]["data"]["n"]) == "-0.0"


def test_a_truncated_body_is_not_handed_on_as_parsed(tmp_path: Path) -> None:
    recorder = make_recorder(tmp_path, max_body=40)
    recorder.record(exchange(json.dumps({"msg": "words " * 20}).encode()))
    assert recorder.last_json[1] is None and recorder.last_json[0] is not None
