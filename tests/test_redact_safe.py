"""What may stay in clear: a schema annotation keeps a field, the hand list only what no schema
defines, and nothing is kept because nothing said it was secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from wyzeproto import resources
from wyzeproto.redact import Pseudonymizer, Redactor, safe
from wyzeproto.redact.policy import normalise

# A made-up field name no schema or policy knows, and a value that is not identity-free by shape.
FIELD = "frobnication_profile"
VALUE = "Quartz Harbor Deluxe"


def _clear_caches() -> None:
    safe.schema_public.cache_clear()
    safe.is_public_field.cache_clear()


@pytest.fixture
def schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A schemas folder of one endpoint schema, in place of the toolkit's."""
    monkeypatch.setattr(resources, "schemas_dir", lambda: tmp_path)
    _clear_caches()
    yield tmp_path
    _clear_caches()


def _write_schema(folder: Path, annotated: bool) -> None:
    field: dict[str, object] = {"type": "string", "description": "made up for this test"}
    if annotated:
        field["x-wyze-public"] = True
    (folder / "thing.response.json").write_text(json.dumps(
        {"type": "object", "properties": {"data": {"type": "object",
                                                   "properties": {FIELD: field}}}}))


def _redacted_value() -> str:
    body = json.dumps({"data": {FIELD: VALUE}})
    redacted = Redactor(Pseudonymizer(b"test-key-not-secret")).json_text(body)
    assert redacted is not None
    return str(json.loads(redacted)["data"][FIELD])


def test_a_field_the_schemas_annotate_public_is_kept_in_clear_by_the_annotation_alone(
        schemas: Path) -> None:
    _write_schema(schemas, annotated=True)
    assert _redacted_value() == VALUE


def test_the_same_field_without_the_annotation_is_pseudonymised(schemas: Path) -> None:
    _write_schema(schemas, annotated=False)
    assert _redacted_value() != VALUE


def test_the_hand_list_of_public_fields_holds_only_names_no_schema_defines() -> None:
    defined: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                defined.update(normalise(name) for name in properties)
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    for path in resources.schemas_dir().rglob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert sorted(safe.PUBLIC_FIELDS & defined) == [], (
        "annotate these where the schemas define them (x-wyze-public: true) and drop them "
        "from safe._PUBLIC_FIELDS")


@pytest.mark.parametrize("name", ["product_model", "firmware_ver", "code", "msg", "sc", "sv",
                                  "app_ver", "ErrNo", "mfa_options", "pvalue"])
def test_the_protocols_public_fields_are_public_through_their_schema_annotation(
        name: str) -> None:
    assert normalise(name) in safe.schema_public()[0]
    assert safe.is_public_field(name)


def test_a_keypad_code_name_is_not_public() -> None:
    # Ford's pwd/operations 'name' is what the owner calls a code ("Grandma"): personal
    assert not safe.is_public_field("name")


def _redacted_body(body: dict) -> dict:
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    interaction = {"request": {"method": "POST", "uri": "https://api.wyzecam.com/app/v2/x",
                               "body": json.dumps(body),
                               "headers": {"Content-Type": ["application/json"]}},
                   "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                                "body": {"string": "{}"}}}
    return json.loads(redactor.interaction(interaction)["request"]["body"])


@pytest.mark.parametrize("name", ["dana_whitfield_1987", "john-smith", "JOHN_SMITH",
                                  "SMART_HOME_1"])
def test_a_snake_case_or_upper_code_value_the_schemas_do_not_name_is_pseudonymised(
        name: str) -> None:
    assert _redacted_body({"owner_login": name})["owner_login"] != name


@pytest.mark.parametrize("word", ["iot_state", "WYZE_CAKP2JFUS", "P1047,P1048"])
def test_protocol_words_the_schemas_name_stay_under_an_unknown_field(word: str) -> None:
    assert _redacted_body({"some_new_field": word})["some_new_field"] == word


def test_a_uuid_inside_a_header_name_is_replaced_even_when_its_digits_repeat() -> None:
    redactor = Redactor(Pseudonymizer(b"test-key-not-secret"))
    uuid = "a0000000-0000-4000-8000-000000000000"
    (name,) = redactor.headers({f"X-Device-{uuid}": ["1"]})
    assert uuid not in name and name.startswith("X-Device-")
    assert redactor.headers({name: ["1"]}) == {name: ["1"]}  # a placeholder stays whole
