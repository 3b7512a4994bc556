"""The drift report names fields the traffic carries and the schemas do not document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wyzeproto.cassette.files import load_cassette, write_cassette
from wyzeproto.cli.main import execute
from wyzeproto.schema import drift
from wyzeproto.schema.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
DEVICE_LIST = ROOT / "captures/reference/app-api/app-api.home_page.get_object_list.yaml"


def with_new_fields(tmp_path: Path) -> Path:
    interaction = load_cassette(DEVICE_LIST).interactions[0]
    body = json.loads(interaction["response"]["body"]["string"])
    for device in body["data"]["device_list"]:
        device["new_field_2027"] = 1
    body["data"]["device_list"][0]["device_params"]["brand_new"] = "x"
    interaction["response"]["body"]["string"] = json.dumps(body)
    request = json.loads(interaction["request"]["body"])
    request["extra_flag"] = True
    interaction["request"]["body"] = json.dumps(request)
    path = tmp_path / "drifted.yaml"
    write_cassette(path, [interaction])
    return path


def test_new_fields_are_reported_with_endpoint_side_and_path_but_do_not_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_new_fields(tmp_path)
    assert execute(["drift", str(path)]) == 0
    out = capsys.readouterr().out
    assert "app-api.home_page.get_object_list::response::$.data.device_list[*].new_field_2027: " \
           "not in the schema (" in out
    assert "::request::$.extra_flag: not in the schema (1x)" in out
    assert execute(["drift", str(path), "--strict"]) == 1


def test_objects_the_schema_leaves_open_are_not_reported_field_by_field(tmp_path: Path) -> None:
    report = drift.drift([str(with_new_fields(tmp_path))], load_catalog())
    # device_params names some keys, so its new key is drift; nothing else is invented
    paths = {path for (_, _, path) in report}
    assert paths == {"$.extra_flag", "$.data.device_list[*].new_field_2027",
                     "$.data.device_list[*].device_params.brand_new"}


def test_the_committed_captures_have_no_undocumented_fields() -> None:
    assert execute(["drift", "captures", "--strict"]) == 0
