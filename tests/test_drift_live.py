"""Drift of one interaction: what the catalog and schemas do not say, by types and kinds only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harness import small_schemas
from tests.harness.small_schemas import interaction
from wyzeproto.schema.catalog import Catalog, load_catalog
from wyzeproto.schema.drift_live import DriftChecker, DriftLog, drift_of

OK = {"code": "1", "msg": "", "data": {"widget_count": 2, "name": "made-up"}}


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return load_catalog(small_schemas.build(tmp_path / "schemas"))


def _kinds(catalog: Catalog, item: dict) -> list[tuple[str, str, str]]:
    return [(d.kind, d.path, d.seen) for d in drift_of(catalog, item)]


def test_a_documented_interaction_has_no_drift(catalog: Catalog) -> None:
    assert drift_of(catalog, interaction(OK)) == []


def test_an_unknown_endpoint_is_named_by_method_host_and_path(catalog: Catalog) -> None:
    [found] = drift_of(catalog, interaction(OK, path="/app/v2/device/get_gadget"))
    assert (found.kind, found.endpoint) == ("endpoint",
                                            "POST api.wyzecam.com/app/v2/device/get_gadget")


def test_a_new_field_is_reported_with_its_type_never_its_value(catalog: Catalog) -> None:
    body = {**OK, "data": {**OK["data"], "secret_sauce": "hunter2-value"}}
    [found] = drift_of(catalog, interaction(body))
    assert (found.kind, found.path, found.seen) == ("field", "$.data.secret_sauce", "string")
    assert "hunter2" not in json.dumps(found.__dict__)


def test_a_type_that_differs_names_the_expected_and_the_seen_type(catalog: Catalog) -> None:
    body = {**OK, "data": {"widget_count": "2"}}
    assert _kinds(catalog, interaction(body)) == [("type", "$.data.widget_count", "string")]
    assert drift_of(catalog, interaction(body))[0].expected == "integer"


def test_a_new_error_code_is_a_new_outcome_and_a_new_status_is_its_own_kind(
        catalog: Catalog) -> None:
    [code] = drift_of(catalog, interaction({"code": "3044", "msg": "made up"}))
    assert (code.kind, code.seen) == ("outcome", "HTTP 200 with code '3044'")
    assert "access_token_expired" in code.expected
    [status] = drift_of(catalog, interaction({"error": "x"}, status=503))
    assert (status.kind, status.expected, status.seen) == ("status", "HTTP 200", "HTTP 503")


def test_a_placeholder_is_described_by_its_kind(catalog: Catalog) -> None:
    body = {**OK, "data": {**OK["data"], "owner": "00000000-0000-4000-8000-0123456789ab"}}
    [found] = drift_of(catalog, interaction(body))
    assert found.seen == "string (uuid placeholder)"


def test_the_log_reports_each_distinct_finding_once_with_first_and_last_index(
        catalog: Catalog) -> None:
    log = DriftLog()
    body = {**OK, "data": {**OK["data"], "extra": 1}}
    assert len(log.add(0, drift_of(catalog, interaction(body)))) == 1
    assert log.add(1, drift_of(catalog, interaction(OK))) == []
    assert log.add(4, drift_of(catalog, interaction(body))) == []
    [entry] = log.as_json("s.yaml")["findings"]
    assert (entry["first_interaction"], entry["last_interaction"], entry["count"]) == (0, 4, 2)
    assert log.summary() == "1 distinct finding(s) in 3 interaction(s) (1 field)"


def test_a_checker_that_saw_a_shape_still_sees_a_new_field_or_type_in_the_next_body(
        catalog: Catalog) -> None:
    checker = DriftChecker(catalog)
    assert checker.check(interaction(OK)) == []
    assert checker.check(interaction(OK)) == []  # the same shape, from the cache
    assert [d.kind for d in checker.check(
        interaction({**OK, "data": {**OK["data"], "widget_count": None}}))] == ["type"]
    assert [d.path for d in checker.check(
        interaction({**OK, "data": {**OK["data"], "more": 1}}))] == ["$.data.more"]


def test_bodies_handed_on_by_the_redactor_give_the_findings_of_the_written_text(
        catalog: Catalog) -> None:
    from wyzeproto.redact import Pseudonymizer, Redactor

    redactor, checker = Redactor(Pseudonymizer(b"made-up key")), DriftChecker(catalog)
    more = {**OK, "data": {**OK["data"], "more": 1}}
    for body in (OK, OK, OK, more, more, more):  # from the third sighting on, memoised
        redacted, parsed = redactor.interaction_json(interaction(body))
        assert checker.check(redacted, parsed) == DriftChecker(catalog).check(redacted)
    assert [d.path for d in checker.check(redacted, parsed)] == ["$.data.more"]
