"""Capture cost: mitmdump CPU time per flow with the capture addon vs. bare mitmdump.

One run, same machine, same load, over HTTPS on loopback: a client sends N requests through
mitmdump (keep-alive, fixed concurrency) to the stand-in cloud via --map-remote. CPU is read
from /proc for the mitmdump process between "listening" and "exited" (so start-up imports are
excluded, and the addon's final rewrite at exit is included). Configurations:

- bare: mitmdump with --map-remote only (the anchor, 1.0)
- w: mitmproxy's own flow file (-w), the anchor users know
- capture: -s addons/capture.py with redaction on
- capture_drift: the same with -s addons/drift.py beside it (live drift, as `capture` runs)

Every round runs every configuration once, in an order rotated from round to round, and each
figure is the median of the per-round ratios, min and max beside it (bench/paired.py): on a
shared machine, runs minutes apart differ by more than the goals are about.

All of them run with -q, so no per-flow line is printed (mitmdump's own flow lines, and the
capture addon's, which honours -q). The same pair without -q, where mitmdump prints a line
per flow and the addon adds its own, is reported as capture_verbose_cpu_per_flow_vs_mitmdump.
"""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import time
from pathlib import Path
from statistics import median

import httpx

from bench.paired import figure, measure, ratios
from wyzeproto.mitmdump import Mitmdump

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


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


def _one_run(workdir: Path, extra: list[str], upstream: str, body: dict, flows: int,
             quiet: bool = True) -> float:
    """mitmdump CPU seconds per flow, from 'listening' until it has exited."""
    proxy = Mitmdump(workdir / "mitmproxy-conf",
                     [*(["-q"] if quiet else []), "--map-remote", f"|^https://[^/]+/|{upstream}/",
                      *extra]).start()
    try:
        assert proxy.proc is not None
        before = _cpu_seconds(proxy.proc.pid)
        asyncio.run(_load(proxy.proxy_url, proxy.ca_cert, body, flows, 10))
        proxy.proc.send_signal(signal.SIGINT)
        _, _, usage = os.wait4(proxy.proc.pid, 0)  # rusage of the whole life, exit included
        return (usage.ru_utime + usage.ru_stime - before) / flows
    finally:
        proxy.stop()


def run(workdir: Path, flows: int = 400, rounds: int = 7) -> dict[str, float]:
    from standin import StandIn

    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WYZE_REDACT_KEY", "bench-key-not-secret")
    standin = StandIn.default()
    standin.state.settings.app_limit = 10**9
    upstream = standin.start(port=0, tls=True)
    body = _login_and_envelope(upstream)
    capture = ["-s", "addons/capture.py", "--set", f"capture_dir={workdir}"]
    drift = ["-s", "addons/drift.py"]

    def one(name: str, round_no: int) -> float:
        cassette = ["--set", f"capture_name=bench-{name}-{round_no}-{time.time_ns()}"]
        extra = {"bare": [], "bare_verbose": [],
                 "w": ["-w", str(workdir / f"flows-{round_no}.mitm")],
                 "capture": [*capture, *cassette], "capture_verbose": [*capture, *cassette],
                 "capture_drift": [*capture, *drift, *cassette]}[name]
        return _one_run(workdir, extra, upstream, body, flows, not name.endswith("_verbose"))

    try:
        samples = measure(["bare", "w", "capture", "capture_drift", "bare_verbose",
                           "capture_verbose"], rounds, one)
    finally:
        standin.stop()
    return {
        **figure("capture_cpu_per_flow_vs_mitmdump", ratios(samples, "capture", "bare")),
        **figure("capture_with_drift_cpu_per_flow_vs_mitmdump",
                 ratios(samples, "capture_drift", "bare")),
        **figure("mitmdump_w_cpu_per_flow_vs_mitmdump", ratios(samples, "w", "bare")),
        "mitmdump_bare_cpu_ms_per_flow": median(samples["bare"]) * 1000,
        **figure("capture_verbose_cpu_per_flow_vs_mitmdump",
                 ratios(samples, "capture_verbose", "bare_verbose")),
    }


def _login_and_envelope(upstream: str) -> dict:
    """A realistic device-list request: log in to the stand-in's demo account directly."""
    import requests

    from standin.scenarios import PLAIN

    reply = requests.post(f"{upstream}/api/user/login", verify=False, json=PLAIN.auth_body(),
                          headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    reply.raise_for_status()
    return {"access_token": reply.json()["access_token"], "app_name": "com.hualai",
            "app_ver": "com.hualai___2.19.14", "app_version": "2.19.14",
            "phone_id": "00000000-0000-4000-8000-000000000001", "phone_system_type": "2",
            "sc": "a626948714654991afd3c0dbd7cdb901", "sv": "c417b62d72ee44bf933054bdca183e77",
            "ts": int(time.time() * 1000)}
