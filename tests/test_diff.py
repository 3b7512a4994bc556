"""Cassette diff: endpoints, fields, types, outcomes and headers that changed; values do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import small_schemas
from tests.harness.small_schemas import interaction
from wyzeproto.cassette.files import write_cassette
from wyzeproto.cli.main import execute

OK = {"code": "1", "msg": "", "data": {"widget_count": 2, "name": "made-up-a"},
      "ts": 1733000000000, "requestid": "aaaa"}


def _cassette(path: Path, items: list[dict[str, Any]]) -> str:
    write_cassette(path, items)
    return str(path)


def _diff(tmp_path: Path, old: list[dict[str, Any]], new: list[dict[str, Any]],
          capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    schemas = small_schemas.build(tmp_path / "schemas")
    a = _cassette(tmp_path / "a.yaml", old)
    b = _cassette(tmp_path / "b.yaml", new)
    status = execute(["diff", a, b, "--schemas", str(schemas), "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_the_same_structure_with_other_values_and_placeholders_is_no_difference(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = {**OK, "data": {"widget_count": 9, "name": "made-up-b"}, "ts": 1733000999999,
             "requestid": "bbbb"}
    status, report = _diff(tmp_path, [interaction(OK)], [interaction(other)], capsys)
    assert (status, report["findings"]) == (0, [])


def test_fields_types_outcomes_and_endpoints_that_changed_are_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_body = {**OK, "data": {"widget_count": "2", "colour": {"r": 1}}}
    old = [interaction(OK)]
    new = [interaction(new_body), interaction({"code": "3044"}),
           interaction(OK, path="/app/v2/device/get_gadget/42")]
    status, report = _diff(tmp_path, old, new, capsys)
    assert status == 1
    found = {(f["kind"], f["path"]) for f in report["findings"]}
    assert ("type_changed", "$.data.widget_count") in found
    assert ("field_added", "$.data.colour") in found
    assert ("field_added", "$.data.colour.r") not in found  # its parent says it already
    assert ("field_gone", "$.data.name") in found
    assert ("outcome_added", "HTTP 200 code '3044'") in found
    assert ("endpoint_added", "") in found
    [added] = [f for f in report["findings"] if f["kind"] == "endpoint_added"]
    assert added["endpoint"] == "POST api.wyzecam.com/app/v2/device/get_gadget/{id}"
    changed = next(f for f in report["findings"] if f["kind"] == "type_changed")
    assert (changed["before"], changed["after"]) == ("integer", "string")


def test_a_new_response_header_is_a_difference_but_a_new_date_is_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = interaction(OK), interaction(OK)
    old["response"]["headers"]["Date"] = ["Mon, 01 Jan 2024 00:00:00 GMT"]
    new["response"]["headers"]["Date"] = ["Tue, 02 Jan 2024 00:00:00 GMT"]
    new["response"]["headers"]["X-New-Feature"] = ["1"]
    status, report = _diff(tmp_path, [old], [new], capsys)
    assert [(f["kind"], f["path"]) for f in report["findings"]] == [
        ("header_added", "x-new-feature")]


def test_text_output_names_where_then_what(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    schemas = small_schemas.build(tmp_path / "schemas")
    a = _cassette(tmp_path / "a.yaml", [interaction(OK)])
    b = _cassette(tmp_path / "b.yaml", [interaction({**OK, "extra": True})])
    assert execute(["diff", a, b, "--schemas", str(schemas)]) == 1
    assert "test.get_widget::response::$.extra: field added" in capsys.readouterr().out


def test_a_missing_side_is_unusable_input(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    a = _cassette(tmp_path / "a.yaml", [interaction(OK)])
    assert execute(["diff", a, str(tmp_path / "nothing-here")]) == 2
    assert "nothing-here: no such file" in capsys.readouterr().err
