"""In-process replay: a requests transport adapter answering from the matcher."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from replay.client import WyzeClient
from replay.transport import ReplayAdapter, ReplayMiss
from wyzeproto.match.matcher import Index, Matcher

SDK = str(Path(__file__).resolve().parent / "cassettes" / "replay" / "sdk_session.yaml")


def _session(raise_on_miss: bool = False) -> requests.Session:
    session = requests.Session()
    session.mount("https://", ReplayAdapter(Matcher(Index.load([SDK])), raise_on_miss))
    return session


def test_the_client_runs_a_whole_session_in_process_without_a_socket() -> None:
    with WyzeClient(session=_session()) as client:
        client.login("someone@example.com", "pw", key_id="k", api_key="a")
        assert [d.mac for d in client.get_object_list().devices] == ["0000A1B2C3D4",
                                                                      "0000B2C3D4E5"]


def test_a_miss_answers_404_or_raises_when_asked() -> None:
    with _session() as session:
        reply = session.post("https://api.wyzecam.com/app/nothing", json={})
    assert reply.status_code == 404 and reply.json()["error"] == "replay miss"
    with _session(raise_on_miss=True) as session, pytest.raises(ReplayMiss, match="nothing"):
        session.post("https://api.wyzecam.com/app/nothing", json={})
