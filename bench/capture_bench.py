"""Capture cost: mitmdump CPU time per flow with the capture addon vs. bare mitmdump.

One run, same machine, same load, over HTTPS on loopback: a client sends N requests through
mitmdump (keep-alive, fixed concurrency) to the stand-in cloud via --map-remote. CPU is read
from /proc for the mitmdump process between "listening" and "exited" (so start-up imports are
excluded, and the addon's final rewrite at exit is included). Configurations:

- bare: mitmdump with --map-remote only (the anchor, 1.0)
- w: mitmproxy's own flow file (-w), the anchor users know
- capture: -s addons/capture.py with redaction on
"""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import httpx

ROOT = Path(__file__).resolve().parent.parent
MITMDUMP = Path(sys.executable).parent / "mitmdump"
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    import socket

    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError("mitmdump exited during start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("mitmdump did not start")


async def _load(proxy: str, ca: str, body: dict, flows: int, concurrency: int) -> None:
    context = ssl.create_default_context(cafile=ca)
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(proxy=proxy, verify=context,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one() -> None:
            async with limit:
                reply = await client.post(
                    "https://api.wyzecam.com/app/v2/home_page/get_object_list", json=body)
                reply.raise_for_status()

        await asyncio.gather(*(one() for _ in range(flows)))


def _one_run(workdir: Path, name: str, extra: list[str], upstream: str, body: dict,
             flows: int) -> float:
    port = _free_port()
    confdir = workdir / "mitmproxy-conf"
    args = [str(MITMDUMP), "-q", "--listen-host", "127.0.0.1", "--listen-port", str(port),
            "--set", f"confdir={confdir}", "--set", "connection_strategy=lazy",
            "--set", "upstream_cert=false", "--set", "ssl_insecure=true",
            "--map-remote", f"|^https://[^/]+/|{upstream}/", *extra]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, proc)
        before = _cpu_seconds(proc.pid)
        asyncio.run(_load(f"http://127.0.0.1:{port}", str(confdir / "mitmproxy-ca-cert.pem"),
                          body, flows, 10))
        proc.send_signal(2)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        return (usage.ru_utime + usage.ru_stime - before) / flows
    finally:
        if proc.poll() is None:
            proc.kill()


def run(workdir: Path, flows: int = 1500, rounds: int = 3) -> dict[str, float]:
    from replay.standin import StandIn

    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WYZE_REDACT_KEY", "bench-key-not-secret")
    standin = StandIn.default()
    standin.state.settings.app_limit = 10**9
    upstream = standin.start(port=0, tls=True)
    body = _login_and_envelope(upstream)
    per_flow: dict[str, list[float]] = {"bare": [], "w": [], "capture": []}
    try:
        for round_no in range(rounds):  # interleaved, so drift hits every configuration
            per_flow["bare"].append(_one_run(workdir, "bare", [], upstream, body, flows))
            per_flow["w"].append(_one_run(
                workdir, "w", ["-w", str(workdir / f"flows-{round_no}.mitm")], upstream, body,
                flows))
            per_flow["capture"].append(_one_run(
                workdir, "capture",
                ["-s", "addons/capture.py", "--set", f"capture_dir={workdir}",
                 "--set", f"capture_name=bench-{round_no}-{time.time_ns()}"],
                upstream, body, flows))
    finally:
        standin.stop()
    bare = median(per_flow["bare"])
    return {
        "capture_cpu_per_flow_vs_mitmdump": median(per_flow["capture"]) / bare,
        "mitmdump_w_cpu_per_flow_vs_mitmdump": median(per_flow["w"]) / bare,
        "mitmdump_bare_cpu_ms_per_flow": bare * 1000,
    }


def _login_and_envelope(upstream: str) -> dict:
    """A realistic device-list request: log in to the stand-in's demo account directly."""
    import requests

    from replay.standin.scenarios import PLAIN

    reply = requests.post(f"{upstream}/api/user/login", verify=False, json=PLAIN.auth_body(),
                          headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    reply.raise_for_status()
    return {"access_token": reply.json()["access_token"], "app_name": "com.hualai",
            "app_ver": "com.hualai___2.19.14", "app_version": "2.19.14",
            "phone_id": "00000000-0000-4000-8000-000000000001", "phone_system_type": "2",
            "sc": "a626948714654991afd3c0dbd7cdb901", "sv": "c417b62d72ee44bf933054bdca183e77",
            "ts": int(time.time() * 1000)}
