"""The reference cassettes in captures/reference/: complete, current, valid and secret-free."""

from __future__ import annotations

from pathlib import Path

import pytest

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.cli.main import execute
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.check import check
from wyzeproto.schema.reference_cassettes import build

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "captures" / "reference"


def test_the_reference_cassettes_on_disk_are_what_the_builder_writes() -> None:
    assert execute(["docs", "--check", "--reference-out", str(REFERENCE),
                    "--schemas", str(ROOT / "schemas"), "--out", str(ROOT / "docs")]) == 0


def test_every_documented_endpoint_and_outcome_has_a_reference_interaction() -> None:
    catalog = load_catalog(ROOT / "schemas")
    seen: set[tuple[str, str]] = set()
    for name in find_cassettes([str(REFERENCE)]):
        for interaction in load_cassette(name).interactions:
            result = check(catalog, interaction)
            assert result.problems == [], (name, result.problems)
            assert result.endpoint is not None and result.outcome is not None
            seen.add((result.endpoint.id, result.outcome))
    wanted = {(e.id, o.name) for e in catalog.endpoints for o in e.reachable()}
    assert wanted == seen


def test_the_readme_labels_the_cassettes_as_made_up_and_names_sources() -> None:
    text = (REFERENCE / "README.md").read_text()
    assert "**Every cassette here is made up.**" in text
    assert "nblavoie/wyzecam-api" in text and "Wyze support article 16129834216731" in text


def test_the_reference_cassettes_pass_the_secret_linter() -> None:
    lint = pytest.importorskip("wyzeproto.redact.lint")
    for name in find_cassettes([str(REFERENCE)]):
        for interaction in load_cassette(name).interactions:
            assert lint.secret_findings(interaction) == [], name


def test_the_reference_cassettes_load_in_vcrpy() -> None:
    serialize = pytest.importorskip("vcr.serialize")
    yamlserializer = pytest.importorskip("vcr.serializers.yamlserializer")
    for name in find_cassettes([str(REFERENCE)]):
        requests, responses = serialize.deserialize(Path(name).read_text(), yamlserializer)
        assert len(requests) == len(responses) > 0


def test_the_builder_refuses_an_example_that_does_not_validate(tmp_path: Path) -> None:
    catalog = load_catalog(ROOT / "schemas")
    ref = "app-api/app/user/logout.response.json"
    doc = catalog.store.resolve(ref)
    doc["examples"][0] = {"code": 1}
    catalog.store._rs_cache.clear()
    catalog.store._py_cache.clear()
    with pytest.raises(Exception, match=r"app-api\.user\.logout/success: the reference "):
        build(catalog)
