"""The schema files: valid 2020-12, every $ref resolves, every example validates, and the two
validators (jsonschema-rs for speed, python-jsonschema as the reference) agree."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.schema.catalog import EMPTY, UNCHECKED, load_catalog
from wyzeproto.schema.check import NOT_JSON, parse_json
from wyzeproto.schema.store import BASE_URI, SchemaError, check_store, load_store

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.rglob("*.json"))


@pytest.fixture(scope="module")
def store() -> Any:
    return load_store(SCHEMAS)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the protocol's own hash


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.relative_to(SCHEMAS).as_posix())
def test_every_schema_file_is_valid_json_schema_2020_12(path: Path) -> None:
    doc = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == BASE_URI + path.relative_to(SCHEMAS).as_posix()
    assert doc.get("description"), "every schema file says what it documents and its sources"


def test_every_ref_resolves_and_every_example_validates(store: Any) -> None:
    assert check_store(store) == []


def test_every_endpoint_schema_file_carries_an_example() -> None:
    for path in SCHEMA_FILES:
        if "common" not in path.parts:
            assert json.loads(path.read_text()).get("examples"), path


def test_a_bad_ref_is_reported_with_its_file_and_pointer(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "x/a.json", "description": "d",
        "properties": {"m": {"$ref": "/schemas/common/nowhere.json#/$defs/mac"}}}))
    problems = check_store(load_store(tmp_path))
    assert problems == [f"{tmp_path.as_posix()}/x/a.json::#/properties/m: $ref "
                        "'/schemas/common/nowhere.json#/$defs/mac' does not resolve; point it "
                        "at a file and $defs entry under schemas/"]


def test_an_example_that_does_not_validate_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_URI + "a.json",
        "type": "object", "required": ["code"], "examples": [{"code": "1"}, {}]}))
    problems = check_store(load_store(tmp_path))
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path.as_posix()}/a.json::#/examples/1::$:")


def test_a_schema_whose_id_does_not_match_its_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_URI + "b.json"}))
    with pytest.raises(SchemaError, match=r"a\.json: \$id must be"):
        load_store(tmp_path)


def test_a_schema_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(SchemaError, match=r"a\.json: not a readable JSON file"):
        load_store(tmp_path)


@pytest.mark.parametrize(("kind", "value"), [
    ("mac", "0000A1B2C3D4"),
    ("uuid", "00000000-0000-4000-8000-1a2b3c4d5e6f"),
    ("hex32", "000000001a2b3c4d5e6f7a8b9c0d1e2f"),
    ("email", "user-1a2b3c4d5e@example.invalid"),
    ("token", "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"),
    ("token", "REDACTED_refresh_token_1a2b3c4d5e6f7a8b"),
    ("p2p_id", "ZZZZ1A2B3C4D5E6F7A8B"),
    ("ip_or_empty", "192.0.2.17"),
    ("ip_or_empty", "2001:db8::17"),
    ("url", "https://redacted.example.invalid/thumbnail/1a2b3c4d5e6f7a8b"),
])
def test_patterns_accept_the_redaction_placeholders(store: Any, kind: str, value: str) -> None:
    assert store.is_valid(f"common/formats.json#/$defs/{kind}", value)


@pytest.mark.parametrize(("kind", "value"), [
    ("mac", "00:00:a1:b2:c3:d4"), ("mac", "0000a1b2c3d4"), ("uuid", "not-a-uuid"),
    ("hex32", "abc"), ("email", "no-at-sign"), ("token", ""), ("token", "has space"),
    ("p2p_id", "zzzz1a2b3c4d5e6f7a8b"), ("ts_request", -1), ("ts_request", "12:00"),
])
def test_patterns_reject_wrong_shapes(store: Any, kind: str, value: Any) -> None:
    assert not store.is_valid(f"common/formats.json#/$defs/{kind}", value)


def test_the_2018_login_hash_is_double_md5_and_the_auth_hash_triple_md5(store: Any) -> None:
    double = _md5(_md5("hunter2"))
    triple = _md5(double)
    assert triple == "7f5f74be86aa53a4abffeeeb0a3c2750"  # as both clients computed it
    formats = store.resolve("common/formats.json")["$defs"]
    assert "md5hex(md5hex(password))" in formats["password_md5x2"]["description"]
    assert "md5hex(md5hex(md5hex(password)))" in formats["password_md5x3"]["description"]
    login_2018 = {"sc": "f5609af3fa9541fd82a486df5fd9965a",
                  "sv": "1ee66ee1fe03403b9ded3fe2fa869f2a", "app_ver": "com.hualai___1.1.52",
                  "ts": 1524247514196, "access_token": "",
                  "phone_id": "00000000-0000-4000-8000-1a2b3c4d5e6f",
                  "user_name": "user-1a2b3c4d5e@example.invalid", "password": double}
    assert store.is_valid("api-2018/app/user/login.request.json", login_2018)
    assert not store.is_valid("api-2018/app/user/login.request.json",
                              {**login_2018, "password": "hunter2"})
    assert store.is_valid("auth/api/user/login.request.json",
                          {"email": "user-1a2b3c4d5e@example.invalid", "password": triple})


def test_the_2018_tbds_are_filled_with_described_examples(store: Any) -> None:
    errors = store.resolve("common/app-errors.json")["$defs"]
    for name in ("user_name_or_password_error", "user_is_locked"):
        assert "2018 write-up" in errors[name]["description"] and errors[name]["examples"]
    device_list = store.resolve("api-2018/app/device/get_device_list.response.json")
    assert "TBD" in device_list["description"] and device_list["examples"]


def test_unknown_extra_fields_are_accepted_but_wrong_types_are_not(store: Any) -> None:
    ref = "app-api/app/v2/home_page/get_object_list.response.json"
    body = copy.deepcopy(store.resolve(ref)["examples"][0])
    body["brand_new_field"] = {"x": 1}
    body["data"]["device_list"][0]["new_device_field"] = [1, 2]
    assert store.is_valid(ref, body)
    body["code"] = 1
    assert not store.is_valid(ref, body)


# ---------------------------------------------------------------- the validators agree

def _corpus() -> Iterator[tuple[str, Any]]:
    """(schema ref, instance) for every schema example and every reference-cassette body."""
    catalog = load_catalog(SCHEMAS)
    for path in SCHEMA_FILES:
        rel = path.relative_to(SCHEMAS).as_posix()
        doc = json.loads(path.read_text())
        for example in doc.get("examples", []):
            yield rel, example
        for name, sub in doc.get("$defs", {}).items():
            for example in sub.get("examples", []):
                yield f"{rel}#/$defs/{name}", example
    for name in find_cassettes([str(ROOT / "captures")]):
        for interaction in load_cassette(name).interactions:
            request = interaction["request"]
            endpoint = catalog.match(request["method"], request["uri"])
            if endpoint is None:
                continue
            parsed, _ = parse_json(interaction["response"]["body"]["string"])
            status = interaction["response"]["status"]["code"]
            outcome = endpoint.outcome_for(status, parsed if parsed is not NOT_JSON else None)
            if parsed is not NOT_JSON and outcome and outcome.response not in (EMPTY, UNCHECKED):
                yield outcome.response, parsed
            parsed, _ = parse_json(request.get("body"))
            if parsed is not NOT_JSON and endpoint.request not in (EMPTY, UNCHECKED):
                yield endpoint.request, parsed


def _mutations(value: Any, depth: int = 0) -> Iterator[Any]:
    """Copies of value with one change each: a key dropped, a type swapped, a value altered."""
    swaps: list[Any] = [None, 1, "1", 1.5, True, [], {}, "", -1, "0000a1b2c3d4"]
    for swap in swaps:
        if swap != value or type(swap) is not type(value):
            yield swap
    if depth > 4:
        return
    if isinstance(value, dict):
        for key in list(value)[:12]:
            dropped = {k: v for k, v in value.items() if k != key}
            yield dropped
            for mutated in _mutations(value[key], depth + 1):
                yield {**value, key: mutated}
    elif isinstance(value, list) and value:
        for mutated in _mutations(value[0], depth + 1):
            yield [mutated, *value[1:]]


def test_jsonschema_rs_and_jsonschema_agree_on_the_corpus_and_mutations(store: Any) -> None:
    checked = rejected = disagreements = 0
    problems = []
    for ref, instance in _corpus():
        fast, slow = store.fast(ref), store.reference(ref)
        for candidate in [instance, *_mutations(instance)]:
            checked += 1
            verdict = bool(fast.is_valid(candidate))
            rejected += not verdict
            if verdict != slow.is_valid(candidate):
                disagreements += 1
                if len(problems) < 5:
                    problems.append(f"{ref}: {json.dumps(candidate)[:200]}")
    assert checked > 5000 and 1000 < rejected < checked - 1000  # both verdicts well exercised
    assert disagreements == 0, "\n".join(problems)
