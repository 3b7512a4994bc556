"""`wyze-toolkit docs`: docs/api.md and docs/openapi.yaml are generated, current, and
docs/openapi.yaml is valid OpenAPI 3.1 that refers to nothing outside itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from wyzeproto.cli.main import execute
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.docs import render

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def openapi() -> Any:
    return yaml.safe_load((DOCS / "openapi.yaml").read_text())


def _args(out: Path, reference: Path = ROOT / "captures" / "reference") -> list[str]:
    return ["--schemas", str(ROOT / "schemas"), "--captures", str(ROOT / "captures"),
            "--out", str(out), "--reference-out", str(reference)]


def main(argv: list[str]) -> int:
    return execute(["docs", *argv])


def test_the_committed_docs_are_up_to_date() -> None:
    assert main(["--check", *_args(DOCS)]) == 0


def test_check_fails_naming_the_stale_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(DOCS / "api.md", tmp_path / "api.md")
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n")
    assert main(["--check", *_args(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'openapi.yaml'}: out of date" in out and "api.md" not in out


def test_check_fails_when_a_file_is_missing(tmp_path: Path) -> None:
    assert main(["--check", *_args(tmp_path)]) == 1


def test_writing_then_checking_round_trips(tmp_path: Path) -> None:
    assert main(_args(tmp_path, tmp_path / "reference")) == 0
    assert main(["--check", *_args(tmp_path, tmp_path / "reference")]) == 0


def test_rendering_is_deterministic() -> None:
    assert render(ROOT / "schemas", ROOT / "captures") == render(ROOT / "schemas",
                                                                 ROOT / "captures")


def test_openapi_spec_validator_accepts_the_document(openapi: Any) -> None:
    from openapi_spec_validator import validate

    validate(openapi)
    assert openapi["openapi"] == "3.1.0"


def test_the_openapi_document_refers_to_nothing_outside_itself(openapi: Any) -> None:
    refs = re.findall(r"\$ref: '?([^'\n]+)", (DOCS / "openapi.yaml").read_text())
    assert refs and all(ref.startswith("#/components/schemas/") for ref in refs)


def test_every_endpoint_is_an_openapi_operation(openapi: Any) -> None:
    for endpoint in load_catalog(ROOT / "schemas").endpoints:
        operation = openapi["paths"][endpoint.path][endpoint.method.lower()]
        assert endpoint.id in operation["operationId"].split("+")


def test_every_endpoint_has_a_section_with_url_fields_examples_and_errors() -> None:
    text = (DOCS / "api.md").read_text()
    sections = {s.split('"')[0]: s for s in text.split('<a id="')[1:]}
    common = list((ROOT / "schemas" / "common").glob("*.json"))
    assert sections.pop("shared-definitions").count("### ") == len(common)
    catalog = load_catalog(ROOT / "schemas")
    assert len(sections) == len(catalog.endpoints)
    for endpoint in catalog.endpoints:
        section = sections[endpoint.id.replace(".", "-").lower()]
        assert f"### {endpoint.method} {endpoint.path}" in section
        assert f"`https://{endpoint.hosts[0]}{endpoint.path}`" in section
        assert f"`{endpoint.id}`" in section
        if endpoint.request_body != "none":
            assert "| field | type | required | description |" in section
            assert "**Example request**" in section
        assert "**Example response**" in section
        if len(endpoint.reachable()) > 1:
            assert "**Errors and other outcomes:**" in section


def test_the_2018_tbds_are_answered_in_the_reference() -> None:
    text = (DOCS / "api.md").read_text()
    assert "md5hex(md5hex(password))" in text and "md5hex(md5hex(md5hex(password)))" in text
    assert "UserNameOrPasswordError" in text and "UserIsLocked" in text
    assert "data.device_info_list[].p2p_id" in text


def test_the_worked_signing_examples_are_what_the_public_clients_compute() -> None:
    from wyze_sdk.service.base import WpkNetServiceClient
    from wyze_sdk.signature import RequestVerifier
    from wyzeapy.crypto import ford_create_signature, olive_create_signature

    from wyzeproto.schema import signing_examples as ex

    v = ex.VECTORS
    olive = RequestVerifier(WpkNetServiceClient.WYZE_SALTS["9319141212m2ik"], ex.TOKEN)
    venus = RequestVerifier(WpkNetServiceClient.WYZE_SALTS["venp_4c30f812828de875"], ex.TOKEN)
    assert olive.md5_string(ex.TOKEN + ex.OLIVE_SECRET) == v["olive_key"]["result"]
    assert venus.md5_string(ex.TOKEN + ex.VENUS_SECRET) == v["venus_key"]["result"]
    for name, verifier in (("olive_get", olive), ("olive_post", olive), ("venus_get", venus)):
        assert verifier.generate_dynamic_signature(
            timestamp=ex.NONCE, body=v[name]["message"]) == v[name]["result"], name
    query = dict(pair.split("=", 1) for pair in v["olive_get"]["message"].split("&"))
    assert olive_create_signature(query, ex.TOKEN) == v["olive_get"]["result"]
    params = dict(pair.split("=", 1) for pair in v["ford_get"]["params"].split("&"))
    assert ford_create_signature(v["ford_get"]["path"], "get", params) \
        == v["ford_get"]["result"]
    assert olive.md5_string(olive.md5_string(ex.NONCE)) == v["requestid"]["result"]


def test_each_service_section_states_its_signing_once_at_the_top() -> None:
    text = (DOCS / "api.md").read_text()
    catalog = load_catalog(ROOT / "schemas")
    for name, gen in catalog.generations.items():
        section = text.split(f"## {gen['title']}\n", 1)[1]
        assert section.lstrip().startswith(f"**Signing:** {gen['signing'].split()[0]}"), name
    assert text.count("**Signing:**") == len(catalog.generations)
    assert "672c0a2861d2019ccbc2c67917a8a821" in text  # the olive GET worked example


def test_every_signed_operation_names_a_declared_security_scheme(openapi: Any) -> None:
    schemes = openapi["components"]["securitySchemes"]
    assert {"olive_signature2", "venus_signature2", "ford_sign", "bearer",
            "developer_key"} <= set(schemes)
    signed = 0
    for methods in openapi["paths"].values():
        for op in methods.values():
            for requirement in op.get("security", []):
                assert set(requirement) <= set(schemes)
                signed += 1
    assert signed > 90
    earth = openapi["paths"]["/plugin/earth/get_iot_prop"]["get"]
    assert earth["security"] == [{"olive_signature2": []}]
    assert {p["name"] for p in earth["parameters"] if p["in"] == "query"} >= {"nonce", "did"}
