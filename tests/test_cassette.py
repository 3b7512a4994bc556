"""Cassettes are VCR.py format 1, load safely, and survive a SIGKILL mid-capture."""

from __future__ import annotations

import mmap
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vcr.serialize import deserialize
from vcr.serializers import yamlserializer

from wyzeproto.cassette.files import (
    CassetteError,
    CassetteWriter,
    dump_cassette,
    find_cassettes,
    load_cassette,
    write_cassette,
)


def interaction(n: int, body: str | bytes = '{"code": "1"}') -> dict:
    return {
        "request": {
            "method": "POST",
            "uri": f"https://api.wyzecam.com/app/v2/home_page/get_object_list?n={n}",
            "body": '{"access_token": "lvtx.REDACTED_access_token_0123456789abcdef"}',
            "headers": {"Content-Type": ["application/json;charset=utf-8"]},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": body},
        },
    }


def test_vcrpy_own_deserializer_loads_what_we_write(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    write_cassette(path, [interaction(0), interaction(1, b"\x89PNG\x00\xff")])
    requests, responses = deserialize(path.read_text(), yamlserializer)
    assert [r.uri for r in requests] == [interaction(i)["request"]["uri"] for i in (0, 1)]
    assert requests[0].body == interaction(0)["request"]["body"].encode()
    assert responses[1]["body"]["string"] == b"\x89PNG\x00\xff"


def test_appended_cassette_is_rewritten_in_canonical_sorted_form(tmp_path: Path) -> None:
    path = tmp_path / "session.yaml"
    writer = CassetteWriter(path)
    items = [interaction(i) for i in range(3)]
    for item in items:
        writer.append(item)
    assert path.read_text().startswith("version: 1\n")  # journal order while recording
    assert load_cassette(path).interactions == items
    writer.close()
    assert path.read_text() == dump_cassette(items)
    writer.close()  # twice is harmless
    assert path.read_text() == dump_cassette(items)


def test_a_session_that_records_nothing_creates_no_file(tmp_path: Path) -> None:
    writer = CassetteWriter(tmp_path / "empty.yaml")
    writer.close()
    assert not (tmp_path / "empty.yaml").exists()


def test_writer_refuses_to_overwrite_an_existing_cassette(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    write_cassette(path, [interaction(0)])
    with pytest.raises(FileExistsError):
        CassetteWriter(path).append(interaction(1))
    assert len(load_cassette(path).interactions) == 1


_KILL_ME = """
import sys
from wyzeproto.cassette.files import CassetteWriter
sys.path.insert(0, {tests!r})
from test_cassette import interaction
writer = CassetteWriter({path!r})
i = 0
while True:
    writer.append(interaction(i, "x" * (i % 5000)))
    i += 1
    if i == 50:
        print("ready", flush=True)
"""


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.17, 0.3])
def test_sigkill_mid_capture_leaves_a_loadable_cassette(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "killed.yaml"
    code = _KILL_ME.format(path=str(path), tests=str(Path(__file__).parent))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    loaded = load_cassette(path).interactions
    assert len(loaded) >= 50
    assert loaded == [interaction(i, "x" * (i % 5000)) for i in range(len(loaded))]
    deserialize(path.read_text(), yamlserializer)  # VCR.py agrees


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("interactions: [\n", "broken YAML at line"),
        ("- a\n- b\n", "top level is not a mapping"),
        ("interactions: []\n", "needs 'interactions' and 'version'"),
        ("interactions: []\nversion: 2\n", "version 2 is not supported"),
        ("interactions: {}\nversion: 1\n", "'interactions' is not a list"),
        ("interactions:\n- request: {}\n  response: {}\nversion: 1\n", "request has no 'method'"),
        ("!!python/object:os.system {}\n", "broken YAML"),
    ],
)
def test_unusable_files_raise_an_error_naming_file_and_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_missing_file_and_directory_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no such file"):
        load_cassette(tmp_path / "nope.yaml")
    with pytest.raises(CassetteError, match="is a directory"):
        load_cassette(tmp_path)


def test_find_cassettes_walks_folders_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("b/2.yaml", "a/1.yml", "a/notes.md", "c.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in find_cassettes([str(tmp_path)])]
    assert found == ["c.yaml", "a/1.yml", "b/2.yaml"]


def _journal_writes(tmp_path: Path, items: list[dict]) -> tuple[bytes, list[tuple[int, bytes]]]:
    """The committed journal, and each append's (offset, bytes as written before its commit)."""
    path = tmp_path / "journal.yaml"
    writer = CassetteWriter(path)
    writes: list[tuple[int, bytes]] = []
    for index, item in enumerate(items):
        before = path.stat().st_size if index else 0
        writer.append(item)
        if index:
            written = path.read_bytes()[before:]
            writes.append((before, written.replace(b"#: |\n", b"_: |\n", 1)))
    journal = path.read_bytes()
    writer.close()
    return journal, writes


def test_a_write_cut_at_any_byte_still_leaves_a_loadable_cassette(tmp_path: Path) -> None:
    """SIGKILL can cut a write(2) between pages; simulate every cut point of every append."""
    items = [interaction(i, "é" * 700 + "x" * (i * 1500)) for i in range(6)]
    items.append(interaction(6, bytes(range(256)) * 30))
    journal, writes = _journal_writes(tmp_path, items)
    assert journal.isascii()
    page = mmap.PAGESIZE
    path = tmp_path / "cut.yaml"
    for number, (offset, data) in enumerate(writes, start=1):
        header = data.index(CassetteWriter.PENDING)
        # the pending header never straddles a page: a cut cannot fall inside it
        end = header + len(CassetteWriter.PENDING)
        assert (offset + header) // page == (offset + end - 1) // page
        cuts = set(range(0, len(data) + 1, 3)) | {header, end, len(data)}
        cuts |= {c for c in range(len(data) + 1) if (offset + c) % page in (0, 1, page - 1)}
        for cut in sorted(c for c in cuts if not header < c < end):
            path.write_bytes(journal[:offset] + data[:cut])
            loaded = load_cassette(path).interactions
            assert loaded == items[:number], (number, cut)
    deserialize(path.read_text(), yamlserializer)  # VCR.py loads a cut file too
