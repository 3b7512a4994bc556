"""`make demo`: the whole toolkit against a local stand-in of the Wyze cloud, in one command.

    wyze-toolkit demo [--out demo-output]

1. starts the stand-in cloud (made-up accounts and devices, TLS, 127.0.0.1 only);
2. starts mitmdump with the capture addon (project-local CA, ``--map-remote`` from the Wyze
   hosts to the stand-in, lazy connections: nothing leaves loopback);
3. drives a phone-like session through the proxy with the project's client, then wyze-sdk;
4. validates the redacted cassettes against schemas/, lints them for secrets, replays the
   logins from them, and prints a summary. Exit 0 only if every step passed.

Everything it started is stopped on the way out, also on Ctrl-C.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import standin
from demo.session import StepRunner, app_session, wyze_sdk_session
from replay.runner import print_table, replay_cassette
from standin import StandIn
from standin.tokens import triple_md5
from wyzeproto import resources
from wyzeproto.cassette.files import load_cassette
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.mitmdump import Mitmdump
from wyzeproto.redact import is_placeholder, lint
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.validate import format_finding, validate_paths

DEMO_STATE = Path(standin.__file__).with_name("demo_state.yaml")
WYZE_HOSTS = r"(api\.wyzecam\.com|auth-prod\.api\.wyze\.com|yd-saas-toc\.wyzecam\.com)"


def made_up_secrets(cloud: StandIn) -> set[str]:
    """Every personal value the stand-in holds: none may appear in a cassette."""
    found: set[str] = set()
    for account in cloud.state.accounts.values():
        found |= {account.email, account.user_id, triple_md5(account.password)}
        found |= {v for v in (account.key_id, account.api_key) if v}
    for device in cloud.state.devices.values():
        found |= {device.mac, device.nickname}
        found |= {str(device.device_params.get(k)) for k in ("ip", "ssid", "p2p_id")
                  if device.device_params.get(k)}
    return {value for value in found if not is_placeholder(value)}


def secret_forms(secret: str) -> set[str]:
    """Every way a value may sit in a file: raw, URL-encoded once or twice, and a MAC with
    ':' or '-' between its pairs (case is ignored by the caller)."""
    forms = {secret, quote(secret, safe=""), quote(quote(secret, safe=""), safe="")}
    if len(secret) == 12 and all(c in "0123456789abcdefABCDEF" for c in secret):
        forms |= {sep.join(secret[i:i + 2] for i in range(0, 12, 2)) for sep in ":-"}
    return forms


def capture(cloud_url: str, out: Path, name: str, say: Callable[[str], None],
            drive: Callable[[Mitmdump], None]) -> tuple[Path, str]:
    port = urlsplit(cloud_url).port
    proxy = Mitmdump(out / "mitmproxy", [
        "-s", str(resources.addon_path("capture")),
        "--set", f"capture_dir={out / 'captures'}", "--set", f"capture_name={name}",
        "--map-remote", f"!//{WYZE_HOSTS}(:\\d+)?/!//127.0.0.1:{port}/",
        # as `wyze-toolkit capture` runs it: mitmdump's own per-flow lines print real URLs;
        # the addon's line is the redacted one, so the log holds nothing the cassette does not
        "--set", "flow_detail=0",
    ], out / f"{name}.mitmdump.log")
    with proxy:
        say(f"      capture proxy on {proxy.proxy_url} (mitmdump + addons/capture.py)")
        drive(proxy)
    log = proxy.stop()
    return out / "captures" / f"{name}.yaml", log


def check(paths: list[Path], secrets: set[str], say: Callable[[str], None]) -> bool:
    ok = True
    names = [os.path.relpath(p) for p in paths]
    per_endpoint: Counter[str] = Counter()
    for path in paths:
        for item in load_cassette(path).interactions:
            url = urlsplit(item["request"]["uri"])
            per_endpoint[f"{item['request']['method']} {url.netloc}{url.path}"] += 1
    say("      interactions per endpoint:")
    for endpoint, count in sorted(per_endpoint.items()):
        say(f"        {count:3}  {endpoint}")
    report = validate_paths(names, load_catalog())
    say(f"      schema: {report.interactions - len({(f, i) for f, i, _ in report.findings})}"
        f"/{report.interactions} interactions valid")
    for name, index, problem in report.findings:
        for line in format_finding(name, index, problem, verbose=False):
            say(f"        {line}")
    ok &= report.status == ExitStatus.OK
    findings, checked = lint.lint_paths(names)
    logs = [p.parent.parent / f"{p.stem}.mitmdump.log" for p in paths]
    text = "".join(p.read_text(errors="replace") for p in [*paths, *logs] if p.exists())
    lowered = text.lower()
    leaked = sum(any(form.lower() in lowered for form in secret_forms(secret))
                 for secret in secrets)
    say(f"      secrets found by the linter: {len(findings)} in {checked} interactions; made-up "
        f"secrets of the stand-in found in the files: {leaked} of {len(secrets)}")
    ok &= not findings and not leaked
    for name in names:
        rows = replay_cassette(name)
        table = io.StringIO()
        print_table(name, rows, table)
        for line in table.getvalue().splitlines():
            say(line)
        ok &= not any(row.failed for row in rows)
    return ok


def run(out: Path, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the demo into ``out``; returns the summary (also written to summary.json).

    Everything it started is stopped on the way out; Ctrl-C propagates after that.
    """
    shutil.rmtree(out / "captures", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    cloud = StandIn.from_yaml(DEMO_STATE)
    steps = StepRunner(say)
    paths: list[Path] = []
    try:
        url = cloud.start(port=0, tls=True)
        say(f"demo 1/4: stand-in Wyze cloud on {url} (made-up accounts: {DEMO_STATE.name})")
        say("demo 2/4: the app's calls, through the capture proxy")
        app, _ = capture(url, out, "app-session", say,
                         lambda proxy: app_session(cloud, proxy.proxy_url, proxy.ca_cert, steps))
        say("demo 3/4: wyze-sdk, unmodified, through the capture proxy")
        paths.append(app)

        def sdk_session(proxy: Mitmdump) -> None:
            if not wyze_sdk_session(cloud, proxy.proxy_url, proxy.ca_cert, steps):
                say("      wyze-sdk is not installed: skipped")

        sdk, _ = capture(url, out, "wyze-sdk-session", say, sdk_session)
        if sdk.exists():
            paths.append(sdk)
        say("demo 4/4: checking the cassettes (schemas, secrets, replay)")
        ok = check(paths, made_up_secrets(cloud), say)
    except KeyboardInterrupt:
        say("demo: interrupted; everything it started has been stopped")
        raise
    finally:
        cloud.stop()
    ok &= all(step.ok for step in steps.steps)
    summary = {"passed": ok, "steps": [vars(s) for s in steps.steps],
               "cassettes": [str(p) for p in paths]}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    say(f"\ndemo: {'PASSED' if ok else 'FAILED'} in {time.monotonic() - started:.0f}s; "
        f"{sum(s.ok for s in steps.steps)}/{len(steps.steps)} session steps ok")
    say(f"      cassettes: {', '.join(os.path.relpath(p) for p in paths)}")
    say(f"      proxy logs and summary.json: {os.path.relpath(out)}/")
    return summary
