"""``wyze-toolkit capture``: what it tells mitmdump and the person before the phone connects."""

from __future__ import annotations

from pathlib import Path

import pytest

from wyzeproto.cli import proxies
from wyzeproto.cli.main import execute


def _run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> list[list[str]]:
    seen: list[list[str]] = []
    monkeypatch.setattr(proxies, "run_mitmdump", lambda args: seen.append(args) or 0)
    execute(["capture", *argv])
    return seen


def test_mitmdump_is_told_not_to_print_real_urls_per_flow(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (args,) = _run(monkeypatch, "--dir", str(tmp_path))
    sets = [arg for before, arg in zip(args, args[1:], strict=False) if before == "--set"]
    assert "flow_detail=0" in sets


def test_the_start_banner_says_where_what_and_how_to_trust_the_ca(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, "--dir", str(tmp_path), "--name", "ios-login", "--hosts", "*.wyze.com",
         "--", "--set", f"confdir={tmp_path}/conf")
    err = capsys.readouterr().err
    assert f"recording to {tmp_path / 'ios-login.yaml'}" in err
    assert "hosts recorded: *.wyze.com" in err
    assert f"CA certificate: {tmp_path}/conf/mitmproxy-ca-cert.pem" in err
    assert "http://mitm.it" in err


@pytest.mark.parametrize("name", ["my session", "a/b", ".hidden", ""])
def test_a_cassette_name_with_a_space_or_a_slash_is_refused_in_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(proxies, "run_mitmdump", lambda args: seen.append(args) or 0)
    assert execute(["capture", "--name", name]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--name" in err and "Traceback" not in err
    assert seen == []  # mitmdump never started


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_max_body_is_refused_before_mitmdump_starts(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(proxies, "run_mitmdump", lambda args: seen.append(args) or 0)
    with pytest.raises(SystemExit) as exit_:  # argparse's usage error, as for every option
        execute(["capture", "--max-body", value])
    assert exit_.value.code == 2
    assert seen == [] and "Traceback" not in capsys.readouterr().err
