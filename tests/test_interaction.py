"""The one interaction builder makes VCR.py's format-1 shape, and every producer uses it."""

from __future__ import annotations

from pathlib import Path

from vcr.serialize import deserialize
from vcr.serializers import yamlserializer

from wyzeproto.capture.recorder import Exchange, build_interaction
from wyzeproto.cassette.files import check_shape, write_cassette
from wyzeproto.cassette.interaction import make_interaction

URI = "https://api.wyzecam.com/app/v2/home_page/get_object_list"


def built(body: str | bytes = '{"code":"1"}') -> dict:
    return make_interaction(
        method="POST", uri=URI, body='{"sc":"a626948714654991afd3c0dbd7cdb901"}',
        headers={"Content-Type": ["application/json"]}, status=200, message="OK",
        response_headers={"Content-Type": ["application/json"]}, response_body=body)


def test_an_interaction_has_vcrpys_format_1_shape() -> None:
    assert built() == {
        "request": {"method": "POST", "uri": URI,
                    "body": '{"sc":"a626948714654991afd3c0dbd7cdb901"}',
                    "headers": {"Content-Type": ["application/json"]}},
        "response": {"status": {"code": 200, "message": "OK"},
                     "headers": {"Content-Type": ["application/json"]},
                     "body": {"string": '{"code":"1"}'}},
    }
    assert check_shape({"version": 1, "interactions": [built()]}, "x.yaml") == [built()]


def test_vcrpy_loads_a_cassette_of_built_interactions(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    write_cassette(path, [built(), built(b"\x89PNG\x00\xff")])
    requests, responses = deserialize(path.read_text(), yamlserializer)
    assert [(r.method, r.uri) for r in requests] == [("POST", URI)] * 2
    assert responses[0]["status"] == {"code": 200, "message": "OK"}
    assert responses[1]["body"]["string"] == b"\x89PNG\x00\xff"


def test_the_recorder_copies_an_exchange_into_the_same_shape() -> None:
    exchange = Exchange("POST", URI, [(b"Content-Type", b"application/json")],
                        b'{"sc":"a626948714654991afd3c0dbd7cdb901"}', 200, "OK",
                        [(b"Content-Type", b"application/json")], b'{"code":"1"}')
    assert build_interaction(exchange) == (built(), [])
