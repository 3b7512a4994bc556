"""`make demo` runs the whole pipeline, passes, and leaves nothing running, also on Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wyzeproto.cassette.files import load_cassette
from wyzeproto.redact import lint

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def ports_in(output: str) -> set[int]:
    return {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", output)}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str],
                                                                   Path]:
    """One whole demo run shared by the tests that only read what it left behind."""
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run([sys.executable, "-m", "wyzeproto", "demo", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done, out


def test_demo_captures_validates_lints_and_replays_with_every_step_passing(
    demo_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, tmp_path = demo_run
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "demo: PASSED" in out
    assert "schema: 18/18 interactions valid" in out  # 3 of them on the signed Ford host
    assert "secrets found by the linter: 0" in out
    assert "made-up secrets of the stand-in found in the files: 0 of" in out
    assert "FAIL" not in out and "mismatch" not in out
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["passed"] and all(step["ok"] for step in summary["steps"])
    names = {step["name"] for step in summary["steps"]}
    assert {"login, wrong password", "MFA login (/user/login, TOTP)", "token expiry and refresh",
            "logout", "wyze-sdk 2.2.0: Client(...) + devices_list()",
            "wyze-sdk: lock and unlock (signed Ford service)"} <= names
    app = load_cassette(tmp_path / "captures" / "app-session.yaml").interactions
    assert len(app) == 13
    assert all(lint.secret_findings(item) == [] for item in app)
    assert not any(listening(port) for port in ports_in(out))


def test_the_demo_proxy_logs_hold_no_real_url_and_none_of_the_standins_personal_values(
    demo_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    from demo.run import DEMO_STATE, made_up_secrets, secret_forms
    from standin.server import StandIn

    done, out = demo_run
    logs = sorted(out.glob("*.mitmdump.log"))
    assert len(logs) == 2, done.stdout + done.stderr
    text = "".join(log.read_text(errors="replace") for log in logs)
    assert "capture: POST api.wyzecam.com /app/v2/home_page/get_object_list 200" in text
    # mitmdump's own flow line ("127.0.0.1:5xxxx: POST https://127.0.0.1:4xxxx/...") prints
    # the URL as sent, query and path ids included; only the addon's redacted line may remain
    assert not re.search(r"(?:GET|POST|PUT|DELETE) https?://", text)
    secrets = made_up_secrets(StandIn.from_yaml(DEMO_STATE))
    lowered = text.lower()
    leaked = [s for s in secrets if any(f.lower() in lowered for f in secret_forms(s))]
    assert secrets and not leaked, f"{len(leaked)} personal value(s) of the stand-in in the logs"


def test_ctrl_c_stops_everything_the_demo_started(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "wyzeproto", "demo", "--out", str(tmp_path)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    assert proc.stdout is not None
    seen = ""
    for line in proc.stdout:  # interrupt once the stand-in and the proxy are both up
        seen += line
        if "capture proxy on" in line:
            break
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    rest, _ = proc.communicate(timeout=60)
    seen += rest
    assert proc.returncode == 130, seen
    assert "interrupted; everything it started has been stopped" in seen
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no process of the demo's group is left
    assert ports_in(seen) and not any(listening(port) for port in ports_in(seen))
