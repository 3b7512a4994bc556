"""mitmproxy flow files in (mitmproxy 11 or 12, whichever runs the tests), HAR out that
mitmproxy reads back, with compressed and binary bodies, through the same redaction."""

from __future__ import annotations

import gzip
import io
import json
import logging
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from mitmproxy.io import FlowReader, FlowWriter

from wyzeproto.cassette.files import load_cassette
from wyzeproto.cli.main import execute
from wyzeproto.mitmdump import MITMDUMP

with warnings.catch_warnings():  # mitmproxy's test harness pulls in ldap3, which warns
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import tflow

EMAIL = "made.up.person@example.com"  # made up; the redactor must replace it
BINARY = bytes(range(256)) * 4  # a made-up binary body (a thumbnail, say)


def _flow(path: str, body: bytes, headers: dict[str, str] | None = None,
          response: bool = True) -> Any:
    flow = tflow.tflow(resp=response)
    flow.request.scheme, flow.request.host, flow.request.port = "https", "api.wyzecam.com", 443
    flow.request.method, flow.request.path = "POST", path
    flow.request.headers["Host"] = "api.wyzecam.com"
    flow.request.content = json.dumps({"email": EMAIL, "ts": 1}).encode()
    if response:
        for name, value in (headers or {}).items():
            flow.response.headers[name] = value
        flow.response.content = body
    return flow


def _flows() -> list[Any]:
    plain = json.dumps({"code": "1", "data": {"email": EMAIL}}).encode()
    zipped = _flow("/app/v2/made_up/gzip", b"", {"Content-Type": "application/json"})
    zipped.response.headers["Content-Encoding"] = "gzip"
    zipped.response.raw_content = gzip.compress(plain)
    return [
        _flow("/app/v2/made_up/plain", plain, {"Content-Type": "application/json"}),
        zipped,
        _flow("/app/v2/made_up/binary", BINARY, {"Content-Type": "image/jpeg"}),
        _flow("/app/v2/made_up/no_response", b"", response=False),
    ]


def _write(path: Path, flows: list[Any], tail: bytes = b"") -> None:
    buffer = io.BytesIO()
    writer = FlowWriter(buffer)
    for flow in flows:
        writer.add(flow)
    path.write_bytes(buffer.getvalue() + tail)


def _bodies(cassette: Path) -> dict[str, Any]:
    return {i["request"]["uri"].rsplit("/", 1)[1]: i["response"]["body"]["string"]
            for i in load_cassette(cassette).interactions}


def test_a_flow_file_imports_decoded_and_redacted_with_the_unanswered_flow_named(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    flows, out = tmp_path / "session.flows", tmp_path / "imported.yaml"
    _write(flows, _flows())
    caplog.set_level(logging.WARNING)
    assert execute(["import", str(flows), "--out", str(out)]) == 0
    bodies = _bodies(out)
    assert set(bodies) == {"plain", "gzip", "binary"}
    assert json.loads(bodies["gzip"]) == json.loads(bodies["plain"])  # decoded, like capture
    # an image is withheld by the redaction policy, as in a live capture: size and type kept
    assert bodies["binary"].startswith("[wyze-toolkit: body withheld, 1,024 bytes of image/jpeg")
    assert EMAIL not in out.read_text()
    assert "session.flows::flow 3: skipped: no response" in caplog.text


def test_a_truncated_flow_file_imports_the_flows_before_the_break(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    flows, out = tmp_path / "cut.flows", tmp_path / "imported.yaml"
    _write(flows, _flows()[:2], tail=b"999999:{truncated")
    caplog.set_level(logging.WARNING)
    assert execute(["import", str(flows), "--out", str(out)]) == 0
    assert set(_bodies(out)) == {"plain", "gzip"}
    assert "cut.flows::flow 2: not readable" in caplog.text


def test_a_har_from_export_loads_in_mitmdump_and_comes_back_the_same(tmp_path: Path) -> None:
    flows, first = tmp_path / "session.flows", tmp_path / "first.yaml"
    _write(flows, _flows())
    assert execute(["import", str(flows), "--out", str(first)]) == 0
    har, again_flows, again = tmp_path / "s.har", tmp_path / "again.flows", tmp_path / "again.yaml"
    assert execute(["export", str(first), "--out", str(har)]) == 0
    done = subprocess.run([str(MITMDUMP), "-q", "-n", "-r", str(har), "-w", str(again_flows),
                           "--set", f"confdir={tmp_path / 'conf'}"],
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    with open(again_flows, "rb") as handle:
        loaded = list(FlowReader(handle).stream())
    assert len(loaded) == 3
    assert execute(["import", str(again_flows), "--out", str(again)]) == 0
    assert _bodies(again) == _bodies(first)
