"""Schema inference: drafts that say what a reverse engineer would, from made-up samples."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from genson import SchemaBuilder

from tests.harness import small_schemas
from tests.harness.small_schemas import interaction
from wyzeproto.cassette.files import write_cassette
from wyzeproto.cli.main import execute
from wyzeproto.schema.infer import Shape

NEW_PATH = "/app/v2/device/get_gadget_list"  # made up: an endpoint no catalog knows


def gadget_list(n: int) -> dict[str, Any]:
    """A made-up success body, shaped like the app API's, with every format the issue names."""
    return {"code": "1", "msg": "", "ts": 1_733_000_000_000 + n, "data": {
        "gadget_list": [
            {"mac": f"0000A1B2C3{n:02X}", "owner": f"00000000-0000-4000-8000-0000000000{n:02x}",
             "email": f"user-{n:010x}@example.invalid", "kind": ["lamp", "plug", "cam"][n % 3],
             "firmware_md5": f"{n:032x}", "added": f"2024-05-{n + 1:02d}T10:00:00Z",
             "last_seen_s": 1_733_000_000 + n, "battery": 0.5 + n / 100, "rssi": -40 - n,
             "nickname": None if n % 2 else f"made-up {n}",
             "params": json.dumps({"brightness": n, "mode": "auto"})},
            {"mac": f"0000D1E2F3{n:02X}", "owner": f"00000000-0000-4000-8000-1000000000{n:02x}",
             "email": f"user-{n + 1:010x}@example.invalid", "kind": "lamp",
             "firmware_md5": f"{n + 7:032x}", "added": "2024-06-01T10:00:00+02:00",
             "last_seen_s": 1_733_000_100 + n, "battery": 1, "rssi": -70,
             "nickname": "made-up", "params": json.dumps({"brightness": 3, "mode": "off"})},
        ]}}


EXPIRED = {"code": "2001", "msg": "access token is error"}


def _samples() -> list[dict[str, Any]]:
    items = [interaction(gadget_list(n), path=NEW_PATH) for n in range(8)]
    items += [interaction(EXPIRED, path=NEW_PATH) for _ in range(2)]
    return items


@pytest.fixture
def inferred(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(cassette, schemas folder used, inferred folder)."""
    schemas = small_schemas.build(tmp_path / "schemas")
    cassette = tmp_path / "session.yaml"
    write_cassette(cassette, _samples())
    out = tmp_path / "inferred"
    assert execute(["infer", str(cassette), "--out", str(out), "--schemas", str(schemas)]) == 0
    return cassette, schemas, out


def _schema(out: Path, outcome: str) -> dict[str, Any]:
    [path] = out.rglob(f"*.{outcome}.json")
    return json.loads(path.read_text())


def _item(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["properties"]["data"]["properties"]["gadget_list"]["items"]["properties"]


def test_the_folder_passes_validate_with_its_own_schemas_and_every_sample_fits(
        inferred: tuple[Path, Path, Path]) -> None:
    cassette, _, out = inferred
    assert execute(["validate", "--schemas", str(out), str(cassette)]) == 0


def test_one_schema_per_outcome_keyed_the_way_the_catalog_keys_them(
        inferred: tuple[Path, Path, Path]) -> None:
    _, _, out = inferred
    catalog = yaml.safe_load((out / "catalog.yaml").read_text())
    [endpoint] = catalog["endpoints"]
    assert endpoint["path"] == NEW_PATH
    whens = {o["name"]: o["when"] for o in endpoint["outcomes"]}
    assert whens == {"success": {"status": 200, "fields": {"code": "1"}},
                     "error_2001": {"status": 200, "fields": {"code": "2001"}}}
    assert _schema(out, "success")["properties"]["code"] == {"type": "string", "enum": ["1"]}
    assert "enum" not in _schema(out, "error_2001")["properties"]["code"]  # 2 samples: too few


def test_formats_patterns_and_epochs_are_recognised(inferred: tuple[Path, Path, Path]) -> None:
    item = _item(_schema(inferred[2], "success"))
    assert item["owner"]["format"] == "uuid"
    assert item["email"]["format"] == "email"
    assert item["added"]["format"] == "date-time"
    assert "[0-9A-Fa-f]{12}" in item["mac"]["pattern"]
    assert "mac placeholders" in item["mac"]["description"]
    assert item["firmware_md5"]["pattern"] == "^(?:[0-9a-f]{32}|[0-9A-F]{32})$"
    assert "seconds" in item["last_seen_s"]["description"]
    top = _schema(inferred[2], "success")["properties"]
    assert "milliseconds" in top["ts"]["description"]


def test_integers_numbers_nulls_enums_and_json_in_strings(
        inferred: tuple[Path, Path, Path]) -> None:
    item = _item(_schema(inferred[2], "success"))
    assert item["rssi"] == {"type": "integer"}  # many values: no enum
    assert item["battery"] == {"type": "number"}  # 1 beside 0.5: a number
    assert item["nickname"]["type"] == ["string", "null"]
    assert item["kind"]["enum"] == ["cam", "lamp", "plug"]
    assert item["params"]["contentMediaType"] == "application/json"
    assert item["params"]["contentSchema"]["properties"]["brightness"] == {"type": "integer"}


def test_required_means_present_in_every_sample_of_that_outcome() -> None:
    shape = Shape()
    for body in ({"a": 1, "b": 2}, {"a": 3}, {"a": 4, "b": None}):
        shape.add(body)
    schema = shape.schema()
    assert schema["required"] == ["a"]
    assert schema["properties"]["b"]["type"] == ["integer", "null"]


def test_descriptions_say_how_many_samples_from_which_cassettes_and_examples_pass_the_linter(
        inferred: tuple[Path, Path, Path]) -> None:
    cassette, _, out = inferred
    success = _schema(out, "success")
    assert success["description"] == f"inferred from 8 samples in {cassette}"
    assert _schema(out, "error_2001")["examples"] == [EXPIRED]
    # the made-up gadget lists carry a nickname in clear, which the secret linter flags
    assert "examples" not in success


def test_a_sample_holding_a_secret_gives_no_example(tmp_path: Path) -> None:
    body = {"code": "1", "data": {"access_token": "lvtx.not-redacted-made-up-token-value-123"}}
    cassette = tmp_path / "raw.yaml"
    write_cassette(cassette, [interaction(body, path=NEW_PATH)])
    out = tmp_path / "out"
    assert execute(["infer", str(cassette), "--out", str(out), "--schemas",
                    str(small_schemas.build(tmp_path / "s"))]) == 0
    assert "examples" not in _schema(out, "success")


def _mutations() -> list[tuple[str, Any]]:
    def flip_type(body: dict[str, Any]) -> None:
        body["data"]["gadget_list"][0]["rssi"] = "-40"

    def drop_required(body: dict[str, Any]) -> None:
        del body["data"]["gadget_list"][1]["mac"]

    def break_format(body: dict[str, Any]) -> None:
        body["data"]["gadget_list"][0]["owner"] = "not-a-uuid"

    def break_epoch(body: dict[str, Any]) -> None:
        body["ts"] = 1_733_000_000  # seconds where milliseconds were always seen

    return [("type flipped", flip_type), ("always-present field removed", drop_required),
            ("format broken", break_format), ("epoch unit changed", break_epoch)]


@pytest.mark.parametrize(("what", "mutate"), _mutations(), ids=[m[0] for m in _mutations()])
def test_the_inferred_schema_rejects_mutated_samples_and_accepts_every_real_one(
        inferred: tuple[Path, Path, Path], what: str, mutate: Any) -> None:
    schema = _schema(inferred[2], "success")
    validator = jsonschema.Draft202012Validator(schema)
    for n in range(8):
        assert validator.is_valid(gadget_list(n))
    mutated = copy.deepcopy(gadget_list(3))
    mutate(mutated)
    assert not validator.is_valid(mutated), what


def test_better_than_genson_on_the_same_samples(inferred: tuple[Path, Path, Path]) -> None:
    """GenSON merges every sample into one schema: no formats, no enums, no outcomes."""
    builder = SchemaBuilder()
    for item in _samples():
        builder.add_object(json.loads(item["response"]["body"]["string"]))
    genson = json.dumps(builder.to_schema())
    assert '"format"' not in genson and '"enum"' not in genson and '"pattern"' not in genson
    # success and error merged: 'data' is not required, so a success without it passes
    assert jsonschema.Draft202012Validator(builder.to_schema()).is_valid({"code": "1", "msg": ""})
    ours = jsonschema.Draft202012Validator(_schema(inferred[2], "success"))
    assert not ours.is_valid({"code": "1", "msg": ""})
    text = json.dumps(_schema(inferred[2], "success"))
    assert '"format"' in text and '"enum"' in text and '"pattern"' in text


def test_better_than_mitmproxy2swagger_as_it_documents_itself(
        inferred: tuple[Path, Path, Path]) -> None:
    """mitmproxy2swagger (its README): the schema comes from the first sample seen, has no
    ``required``, types every number as ``number``, names no format, and keeps one response
    per HTTP status. On the same samples the draft does each of those better."""
    _, _, out = inferred
    success = _schema(out, "success")
    item = _item(success)
    assert "required" in success and "mac" in success["properties"]["data"]["properties"][
        "gadget_list"]["items"]["required"]
    assert item["rssi"]["type"] == "integer"  # not 'number'
    assert item["nickname"]["type"] == ["string", "null"]  # sample 1 is null, sample 0 not
    statuses = [o["when"]["status"] for o in
                yaml.safe_load((out / "catalog.yaml").read_text())["endpoints"][0]["outcomes"]]
    assert statuses == [200, 200]  # two outcomes under one status


def test_a_documented_endpoint_is_drafted_with_what_its_schema_misses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = small_schemas.build(tmp_path / "schemas")
    cassette = tmp_path / "c.yaml"
    body = {"code": "1", "data": {"widget_count": "3", "colour": "made-up"}}
    write_cassette(cassette, [interaction(body), interaction({"code": "3044"})])
    out = tmp_path / "out"
    assert execute(["infer", str(cassette), "--out", str(out), "--schemas", str(schemas),
                    "--endpoint", "test.get_widget"]) == 0
    text = capsys.readouterr().out
    assert "test.get_widget::response::$.data.widget_count: ~ type: schema says integer; " \
           "samples say string (1x)" in text
    assert "test.get_widget::response::$: + outcome:" in text and "'3044'" in text
    assert execute(["validate", "--schemas", str(out), str(cassette)]) == 0


def test_an_unknown_endpoint_id_is_a_usage_error(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cassette = tmp_path / "c.yaml"
    write_cassette(cassette, [interaction({"code": "1"})])
    assert execute(["infer", str(cassette), "--out", str(tmp_path / "o"),
                    "--endpoint", "no.such.endpoint"]) == 2
    assert "--endpoint no.such.endpoint: no such endpoint" in capsys.readouterr().err
