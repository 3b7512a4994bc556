"""The validator's cassette loader gives exactly what the safe loader gives, value or error."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wyzeproto.cassette import yaml_events, yaml_text
from wyzeproto.cassette.files import find_cassettes

ROOT = Path(__file__).resolve().parent.parent


def outcome(load: Any, data: str | bytes) -> str:
    """A strict picture of a load: repr tells True from 1 and 1 from 1.0; errors by text."""
    try:
        return "value " + repr(load(data))
    except Exception as exc:  # noqa: BLE001 - PyYAML lets ValueError out of '!!int x'
        return f"error {type(exc).__name__}: {exc}"


def assert_same(data: str | bytes) -> None:
    assert outcome(yaml_events.load, data) == outcome(yaml_text.load, data)


CASSETTES = find_cassettes([str(ROOT / "captures"), str(ROOT / "tests" / "cassettes")])


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: Path(p).name)
def test_every_committed_cassette_loads_to_the_same_value(path: str) -> None:
    assert_same(Path(path).read_bytes())


FAST = ["a: yes\nb: ~\nc: 0x1F\nd: .nan\ne: 2002-12-14\nf: 1.5\ng:\nh: '<<'\n",
        "- !!str 1\n- !!binary aGk=\n- !!timestamp 2001-01-01\n- ! 12\n- !!int '7'\n",
        "{a: 1, a: 2}", "? a\n: [1, {b: c}]\n", "a: \"\\u00e9\\t\"\nb: |\n  lit\n"]


@pytest.mark.parametrize("data", [Path(CASSETTES[0]).read_bytes(), *FAST], ids=range(1 + len(FAST)))
def test_plain_yaml_is_read_without_the_reference_loader(
        data: str | bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: str | bytes) -> Any:
        raise AssertionError("the reference loader was used")
    expected = outcome(yaml_text.load, data)
    monkeypatch.setattr(yaml_text, "load", refuse)
    assert outcome(yaml_events.load, data) == expected


UNUSUAL = [
    # plain scalars of every implicit type, YAML 1.1 style
    "a: yes\nb: No\nc: ~\nd: 0x1F\ne: 0o17\nf: 017\ng: 1_000\nh: 1:30\ni: .inf\nj: -.Inf\n"
    "k: .nan\nl: 2001-12-14t21:59:43.10-05:00\nm: 2002-12-14\nn: 3.14\no: 1e3\np:\nq: null\n"
    "r: '<<'\ns: \"=\"\nt: 0b101\nu: +12\nv: -0\nw: 1.0\nx: true\ny: off\nz: 190:20:30.15\n",
    # explicit tags, on scalars and collections
    "- !!str 1\n- !!int '7'\n- !!float 1\n- !!binary aGk=\n- !!null ''\n- !!bool yes\n"
    "- !!timestamp 2001-01-01\n- ! 12\n- !!str\n",
    "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "!!map {a: 1}",
    "!!seq [1]", "!!str [1]", "!!map x", "!!binary '!!!'", "!!int x", "!!timestamp x",
    "!!python/name:os.system x", "!foo x", "!foo [x]", "a: !!binary |\n  aGVsbG8=\n",
    "%YAML 1.1\n%TAG !e! tag:yaml.org,2002:\n---\n!e!int 3\n",
    # anchors, aliases, merge keys, value keys, complex and explicit keys, duplicates
    "a: &x 1\nb: *x\n", "a: &x [1]\nb: *x\n", "&x [*x]", "a: &x {p: 1}\nb:\n  <<: *x\n  q: 2\n",
    "<<: {a: 1}\nb: 2\n", "=: 1\n", "? [a]\n: 1\n", "? {a: 1}\n: 1\n", "? a\n: 1\n",
    "{a: 1, a: 2, b: 3}", "*x", "a: *x",
    # documents: none, empty, several, explicit markers
    "", " ", "# only a comment\n", "---\n...\n", "--- 1\n--- 2\n", "--- 1\n...\n", "1\n", "'x'",
    "---\na: 1\n...\n---\n", "[]", "{}", "- []\n- {}\n- [[]]\n",
    # strings that are awkward to write
    "a: \"\\u00e9\\x41\\t\\U0001F600\"\n", "a: >\n  folded\n  text\n", "a: |\n  lit\n  eral\n",
    "a: 'it''s'\n", "a: b c  d\n", "- a\n- 'b'\n- \"c\"\n",
    b"\xef\xbb\xbfa: 1\n", "a: 1\n".encode("utf-16"), b"a: \xe2\x82\xac\n",
    # broken YAML
    "a: [", "a: b: c", "\t- a", "@x", "a: 'x", "[1, 2", "{a", "- a\nb: c\n", "a:\n- b\n c\n",
    b"\x00\x01\xff\xfe", b"a: \xff\n", "[" * 1500 + "]" * 1500,
]


@pytest.mark.parametrize("data", UNUSUAL, ids=range(len(UNUSUAL)))
def test_unusual_yaml_loads_or_fails_exactly_as_the_safe_loader_does(data: str | bytes) -> None:
    assert_same(data)


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
plain_looking = st.sampled_from(["yes", "no", "~", "null", "1", "-1.5", "0x10", "1:2", ".inf",
                                 "2001-01-01", "<<", "=", "", "true", "On", "1e3", "a b"])
scalars = (st.none() | st.booleans() | st.integers() | text | plain_looking
           | st.binary(max_size=20) | st.floats(allow_nan=False))


def trees_of(leaves: Any) -> Any:
    return st.recursive(leaves, lambda children: st.lists(children, max_size=4) | st.dictionaries(
        text | plain_looking, children, max_size=4), max_leaves=25)


trees = trees_of(scalars)


@settings(max_examples=300)
@given(st.dictionaries(text | plain_looking, trees, max_size=5))
def test_what_the_cassette_writer_writes_loads_to_the_same_value(tree: dict[str, Any]) -> None:
    assert_same(yaml_text.dump(tree))


@settings(max_examples=300)
@given(trees_of(scalars | st.dates(min_value=datetime.date(1900, 1, 1))),
       st.sampled_from([None, True, False]))
def test_what_pyyaml_writes_loads_to_the_same_value(tree: Any, flow: bool | None) -> None:
    assert_same(yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True))
