"""The cassette emitter writes YAML that the safe loader reads back unchanged."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wyzeproto.cassette import yaml_text

# Text as HTTP gives it to us: any Unicode except lone surrogates (never produced by decoding).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
scalars = st.none() | st.booleans() | st.integers() | text | st.binary(max_size=40)
trees = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400)
@given(st.dictionaries(text, trees, max_size=5))
def test_any_tree_of_cassette_values_loads_back_identically(tree: dict) -> None:
    assert yaml_text.load(yaml_text.dump(tree)) == tree


@given(trees)
def test_a_sequence_item_appended_under_a_key_loads_back(node: object) -> None:
    document = "items:\n" + yaml_text.dump_item(node) + yaml_text.dump_item("second")
    assert yaml_text.load(document) == {"items": [node, "second"]}


def test_words_yaml_would_turn_into_booleans_stay_strings() -> None:
    tree = {"on": ["yes", "no", "off", "null", "1.0", "~", "0x10", "2024-01-01"]}
    assert yaml_text.load(yaml_text.dump(tree)) == tree


def test_output_is_sorted_block_style_and_json_stays_readable() -> None:
    text_out = yaml_text.dump({"b": {"string": '{"code": "1", "msg": "it\'s"}'}, "a": 1})
    assert text_out == 'a: 1\nb:\n  string: \'{"code": "1", "msg": "it\'\'s"}\'\n'


def test_output_matches_what_pyyaml_reads_from_its_own_dump() -> None:
    tree = {"interactions": [{"request": {"body": None, "headers": {"A": ["1"]}}}], "version": 1}
    assert yaml_text.load(yaml_text.dump(tree)) == yaml.safe_load(yaml.safe_dump(tree))


def test_astral_and_control_characters_round_trip() -> None:
    tree = {"s": "tab\there\nnew line \x7f \x00 \U0001f600 \ufeff"}
    assert yaml_text.load(yaml_text.dump(tree)) == tree


def test_exactly_printable_ascii_is_written_single_quoted() -> None:
    # quote() tests this with str methods (C, for a 20 kB body per flow); the regex says it.
    for code in [*range(0x100), 0x2028, 0xFEFF, 0x1F600]:
        text = f"a{chr(code)}b"
        single = yaml_text.quote(text).startswith("'")
        assert single == bool(yaml_text._SINGLE_QUOTABLE.fullmatch(text)), hex(code)
        assert yaml_text.load(yaml_text.quote(text)) == text
