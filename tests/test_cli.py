"""`wyze-toolkit`: one command, one error map, one reporter."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from wyzeproto import __version__, resources
from wyzeproto.cli import main as cli
from wyzeproto.cli.main import build_parser, execute
from wyzeproto.exitcodes import ExitStatus

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "captures" / "reference"
ONE_CASSETTE = REFERENCE / "app-api" / "app-api.home_page.get_object_list.yaml"
REPORTING = ["validate", "lint", "drift", "replay", "import", "export", "docs", "demo", "infer",
             "diff", "stream-info"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = execute(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)  # type: ignore[attr-defined]


def test_the_console_script_prints_its_version() -> None:
    script = Path(sys.executable).parent / "wyze-toolkit"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"wyze-toolkit {__version__}"


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_has_help_and_the_reporting_ones_take_format(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        execute([name, "--help"])
    text = capsys.readouterr().out
    assert exit_.value.code == 0 and f"wyze-toolkit {name}" in text
    assert ("--format" in text) == (name in REPORTING)


def test_an_unknown_subcommand_is_a_usage_error_with_exit_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        execute(["valdiate"])
    assert exit_.value.code == ExitStatus.UNUSABLE
    assert "invalid choice: 'valdiate'" in capsys.readouterr().err


def test_addon_path_points_at_the_addon_mitmdump_loads(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("capture", "serve"):
        code, out, _ = run(capsys, "addon-path", name)
        path = Path(out.strip())
        assert code == 0 and path == resources.addon_path(name) and path.is_file()
        assert "addons = [" in path.read_text()


@pytest.mark.parametrize("command", ["validate", "lint", "drift", "replay"])
def test_every_checker_reports_json_with_the_same_stable_keys(
        command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, command, str(ONE_CASSETTE), "--format", "json")
    report = json.loads(out)
    assert code == report["exit_status"] == 0 and report["ok"] is True
    assert {"command", "ok", "exit_status", "summary", "counts", "findings",
            "unusable"} <= set(report)
    assert report["command"] == command and report["findings"] == []


@pytest.mark.parametrize("command", ["validate", "lint", "drift", "replay", "export"])
def test_a_folder_with_no_cassettes_is_unusable_input_for_every_reader(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--out", str(tmp_path / "o.har")] if command == "export" else []
    code, out, err = run(capsys, command, str(tmp_path), *extra)
    assert code == ExitStatus.UNUSABLE
    assert f"{tmp_path}: no cassettes" in err and "Traceback" not in out + err


def test_lint_goes_on_past_a_broken_cassette_and_still_reports_the_others(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-broken.yaml").write_text("interactions: [\n")
    (tmp_path / "b-leaky.yaml").write_text(
        ONE_CASSETTE.read_text().replace("0000A1B2C3D4", "7C78B2A1C3D4", 1))
    code, out, err = run(capsys, "lint", str(tmp_path))
    assert code == ExitStatus.UNUSABLE  # unusable input wins over findings
    assert "a-broken.yaml" in err and "b-leaky.yaml::interaction" in out


def test_drift_reports_a_catalog_that_cannot_load_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "drift", str(ONE_CASSETTE), "--schemas", str(tmp_path))
    assert code == ExitStatus.UNUSABLE and "Traceback" not in out + err
    assert err.startswith(f"{tmp_path / 'catalog.yaml'}: cannot read the catalog")
    assert len(err.strip().splitlines()) == 1


def test_validate_takes_a_users_own_schema_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(resources.schemas_dir(), mine)
    code, _, err = run(capsys, "validate", str(ONE_CASSETTE), "--schemas", str(mine))
    assert code == 0 and " 0 with findings" in err
    # The user's folder is the one read: break it, and validation says so about that file.
    (mine / "catalog.yaml").write_text("endpoints: {}\n")
    code, _, err = run(capsys, "validate", str(ONE_CASSETTE), "--schemas", str(mine))
    assert code == ExitStatus.UNUSABLE and err.startswith(f"{mine / 'catalog.yaml'}: ")


def test_an_unwritable_out_path_is_one_line_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = tmp_path / "no-such-folder" / "x.har"
    code, out, err = run(capsys, "export", str(ONE_CASSETTE), "--out", str(out_path))
    assert code == ExitStatus.UNUSABLE and "Traceback" not in out + err
    assert err.strip() == f"{out_path}: No such file or directory; check the path and its " \
        "permissions"


def test_a_bug_is_one_line_and_debug_adds_the_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("boom")
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_with(broken))
    code, out, err = run(capsys, "lint", str(ONE_CASSETTE))
    assert code == ExitStatus.UNUSABLE and "Traceback" not in err
    assert err.strip() == "wyze-toolkit lint: unexpected RuntimeError: boom; rerun with " \
        "--debug and report it"
    for argv in (["--debug", "lint", str(ONE_CASSETTE)], ["lint", str(ONE_CASSETTE), "--debug"]):
        code, out, err = run(capsys, *argv)
        assert code == ExitStatus.UNUSABLE and "Traceback" in err and "boom" in err


def _parser_with(run_lint: object):  # type: ignore[no-untyped-def]
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    action.choices["lint"].set_defaults(run=run_lint)  # type: ignore[attr-defined]
    return parser


def test_ctrl_c_during_a_check_exits_130(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(_: object) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_with(interrupted))
    code, _, err = run(capsys, "lint", str(ONE_CASSETTE))
    assert code == ExitStatus.INTERRUPTED and err.strip() == "wyze-toolkit: interrupted"


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_refused_before_anything_starts(
        port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        execute(["standin", "--port", port])
    assert exit_.value.code == ExitStatus.UNUSABLE and "--port" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_saying_to_pick_another(
        capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "standin", "--port", str(port))
    assert code == ExitStatus.UNUSABLE and "Traceback" not in out + err
    assert err.strip().startswith(f"127.0.0.1:{port}: cannot listen")
    assert err.strip().endswith("pick another --port")


@pytest.mark.parametrize("command", ["lint", "drift"])
def test_a_summary_never_sounds_clean_when_a_file_could_not_be_read(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, command, str(tmp_path / "missing.yaml"), str(ONE_CASSETTE))
    assert code == ExitStatus.UNUSABLE
    assert err.strip().endswith("1 file(s) could not be read (above)")


@pytest.mark.parametrize("command", ["infer", "diff"])
def test_infer_and_diff_say_what_to_do_about_a_file_that_is_no_cassette(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("interactions:\n- request: 3\n", encoding="utf-8")
    argv = ([command, str(broken), "--out", str(tmp_path / "drafts")] if command == "infer"
            else [command, str(ONE_CASSETTE), str(broken)])
    code, _, err = run(capsys, *argv)
    assert code == ExitStatus.UNUSABLE
    assert err.startswith(f"{broken}: ") and err.rstrip().endswith("; pass a VCR v1 cassette")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("command", ["infer", "diff"])
def test_infer_and_diff_say_what_to_do_about_a_schemas_folder_without_a_catalog(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    argv = ([command, str(ONE_CASSETTE), "--out", str(tmp_path / "drafts")]
            if command == "infer" else [command, str(ONE_CASSETTE), str(ONE_CASSETTE)])
    code, _, err = run(capsys, *argv, "--schemas", str(tmp_path))
    assert code == ExitStatus.UNUSABLE
    assert err.startswith(f"{tmp_path / 'catalog.yaml'}: ") and "pass --schemas" in err
    assert len(err.splitlines()) == 1


def test_infer_says_what_to_do_when_out_is_a_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "infer", str(ONE_CASSETTE), "--out", str(taken))
    assert code == ExitStatus.UNUSABLE
    assert err == f"--out {taken}: exists and is not a folder; pick a new folder\n"
