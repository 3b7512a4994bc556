"""Replay speed: in-process replay vs VCR.py, the serve addon vs mitmproxy's server replay,
and the standalone server's CPU per request vs a minimal fixed-response asyncio server.

Every figure is a ratio against an anchor measured in the same run on the same machine:

- ``replay_inprocess_speedup_vs_vcrpy``: requests per second through ``requests`` with
  :class:`replay.transport.ReplayAdapter` over a 10,000-interaction cassette, divided by
  requests per second of VCR.py's own playback (``record_mode=none``, matching on method, URI
  and body) of the same cassette and the same requests (spread over the whole cassette).
  ``replay_inprocess_cost_growth_10000_vs_100`` is our per-request time at 10,000 recorded
  interactions over that at 100 (1.0 means the cost does not grow with the cassette).
- ``serve_addon_throughput_vs_mitmproxy_server_replay``: requests per mitmdump CPU-second
  through ``mitmdump -s addons/serve.py`` divided by ``mitmdump --server-replay`` on the same
  flows, same plain-HTTP proxy load (keep-alive connections of 100 requests): the median of
  the per-round ratios of 12 rounds (bench/paired.py), min and max beside it. In a round the
  two take turns request by request, one request at a time (tests/harness/loadgen.py
  ``interleave``), as in bench/capture_bench.py: measured batch after batch at a fixed
  concurrency, one round strayed from the next by up to 0.5. CPU rather than wall time: on a
  shared 2-core machine wall time mostly measures the neighbours, and taking turns shares it.
- ``serve_standalone_cpu_per_request_vs_fixed_response``: server-process CPU per request of
  ``wyze-toolkit serve`` divided by that of a minimal asyncio server returning a fixed
  body, both under 30,000 keep-alive requests at concurrency 50; the median of 5 interleaved
  rounds, CPU read in nanoseconds from ``/proc/<pid>/task/*/schedstat``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from bench.paired import figure, measure, ratios
from wyzeproto.mitmdump import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
MITMDUMP = Path(sys.executable).parent / "mitmdump"
TICKS = os.sysconf("SC_CLK_TCK")
TOKEN = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
PROPS = "https://api.wyzecam.com/app/v2/device/get_property_list"


def _interaction(n: int) -> dict[str, Any]:
    body = {"sc": "a626948714654991afd3c0dbd7cdb901", "sv": "1df2807c63254e16a06213323fe8dec8",
            "app_ver": "com.hualai___2.19.14", "ts": 1700000000000 + n,
            "phone_id": "00000000-0000-4000-8000-1a2b3c4d5e6f", "access_token": TOKEN,
            "device_mac": f"0000{n:08X}", "device_model": "HL_CAM4", "target_pid_list": []}
    answer = {"code": "1", "msg": "SUCCESS", "ts": 1700000000123, "data": {"property_list": [
        {"pid": "P3", "value": str(n % 2), "ts": 1700000000000}]}}
    return {"request": {"method": "POST", "uri": PROPS, "body": json.dumps(body),
                        "headers": {"Content-Type": ["application/json"]}},
            "response": {"status": {"code": 200, "message": "OK"},
                         "headers": {"Content-Type": ["application/json;charset=utf-8"]},
                         "body": {"string": json.dumps(answer)}}}


def _cassette(workdir: Path, size: int) -> Path:
    from wyzeproto.cassette.files import write_cassette

    path = workdir / f"props-{size}.yaml"
    if not path.exists():
        write_cassette(path, [_interaction(n) for n in range(size)])
    return path


def _rate(session: requests.Session, bodies: list[str]) -> float:
    started = time.perf_counter()
    for body in bodies:
        reply = session.post(PROPS, data=body, headers={"Content-Type": "application/json"})
        assert reply.status_code == 200, reply.text[:300]
    return len(bodies) / (time.perf_counter() - started)


def replay_inprocess_speedup_vs_vcrpy(workdir: Path, size: int = 10_000) -> dict[str, float]:
    import vcr

    from replay.transport import ReplayAdapter
    from wyzeproto.match.matcher import Index, Matcher

    path = _cassette(workdir, size)
    picks = random.Random(4).sample(range(size), 20)
    recorded = [_interaction(n)["request"]["body"] for n in picks]
    fresh = [json.dumps({**json.loads(b), "ts": 1}) for b in recorded]
    session = requests.Session()
    session.mount("https://", ReplayAdapter(Matcher(Index.load([str(path)]))))
    ours = _rate(session, fresh * 100)  # 2,000 requests; volatile ts changed
    player = vcr.VCR(record_mode="none", match_on=["method", "uri", "body"])
    with player.use_cassette(str(path), allow_playback_repeats=True), \
            requests.Session() as plain:
        anchor = _rate(plain, recorded)  # VCR.py needs the recorded bodies byte for byte
    small_path = _cassette(workdir, 100)
    small = requests.Session()
    small.mount("https://", ReplayAdapter(Matcher(Index.load([str(small_path)]))))
    few = [json.dumps({**json.loads(_interaction(n % 100)["request"]["body"]), "ts": 1})
           for n in range(20)]
    ours_small = _rate(small, few * 100)
    return {"replay_inprocess_speedup_vs_vcrpy": ours / anchor,
            "replay_inprocess_requests_per_s": ours, "vcrpy_requests_per_s": anchor,
            # per-request time at 10,000 interactions over that at 100 (1.0 = no growth)
            "replay_inprocess_cost_growth_10000_vs_100": ours_small / ours}


def _fresh(body: str, n: int) -> bytes:
    """A recorded body as a client would send it again: new ``ts`` (every request distinct)."""
    return json.dumps({**json.loads(body), "ts": 1800000000000 + n}).encode()


def _start(args: list[str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc)
    except (RuntimeError, TimeoutError) as exc:
        _stop(proc)
        raise RuntimeError(f"{args[0]}: {exc}; see {log}") from None
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(2)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _cpu(pid: int) -> float:
    """CPU seconds of process ``pid`` so far: on-CPU nanoseconds from each thread's
    ``schedstat`` where the kernel has them (a clock tick, 10 ms at 100 Hz, is a few % of a
    server's whole run under load), else user + system ticks from ``stat``."""
    try:
        return sum(int((task / "schedstat").read_text().split()[0])
                   for task in Path(f"/proc/{pid}/task").iterdir()) / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS


def _load(port: int, raw: list[bytes], total: int, concurrency: int) -> float:
    from tests.harness.loadgen import hammer

    started = time.perf_counter()
    replies = asyncio.run(hammer("127.0.0.1", port, raw, total, concurrency))
    elapsed = time.perf_counter() - started
    bad = sum(1 for status, _ in replies if status != 200)
    if bad or len(replies) != total:
        raise RuntimeError(f"{bad} of {len(replies)} replies were not 200")
    return elapsed


def _flows_file(workdir: Path, size: int) -> Path:
    from mitmproxy import http, io
    from mitmproxy.test import tflow

    path = workdir / f"props-{size}.flows"
    with path.open("wb") as handle:
        writer = io.FlowWriter(handle)
        for n in range(size):
            item = _interaction(n)
            flow = tflow.tflow(resp=True)
            flow.request = http.Request.make("POST", PROPS.replace("https", "http"),
                                             item["request"]["body"],
                                             {"Content-Type": "application/json"})
            flow.response = http.Response.make(200, item["response"]["body"]["string"],
                                               {"Content-Type": "application/json"})
            writer.add(flow)
    return path


def serve_addon_throughput_vs_mitmproxy_server_replay(workdir: Path, size: int = 1000,
                                                      total: int = 2000, rounds: int = 12
                                                      ) -> dict[str, float]:
    from tests.harness.loadgen import interleave, raw_request

    cassette, flows = _cassette(workdir, size), _flows_file(workdir, size)
    raw = [raw_request("POST", "api.wyzecam.com", "/app/v2/device/get_property_list",
                       _interaction(n)["request"]["body"].encode(), proxy=True)
           for n in range(size)]
    common = [str(MITMDUMP), "--listen-host", "127.0.0.1", "-q", "--set",
              f"confdir={workdir / 'mitmproxy-conf'}", "--set", "connection_strategy=lazy",
              "--set", "upstream_cert=false"]
    setups = {
        "serve": ["-s", str(ROOT / "addons" / "serve.py"), "--set", f"serve_captures={cassette}"],
        "server_replay": ["--server-replay", str(flows), "--set", "server_replay_reuse=true",
                          "--set", "server_replay_extra=kill"],
    }
    procs, ports = {}, {}
    try:
        for name, extra in setups.items():
            ports[name] = free_port()
            procs[name] = _start([*common, "--listen-port", str(ports[name]), *extra],
                                 ports[name], workdir / f"mitmdump-{name}.log")
            _load(ports[name], raw, 200, 10)  # warm-up
        def one_round(order: list[str], round_no: int) -> dict[str, float]:
            # Both take turns request by request (as bench/capture_bench.py explains):
            # batch after batch, one strayed from the next by more than the goal is about.
            before = {name: _cpu(procs[name].pid) for name in order}
            replies = asyncio.run(interleave([(ports[name], None) for name in order], raw,
                                             total, 100))
            used = {name: _cpu(procs[name].pid) - before[name] for name in order}
            for name, got in zip(order, replies, strict=True):
                bad = sum(1 for status, _ in got if status != 200)
                if bad or len(got) != total:
                    raise RuntimeError(f"{name}: {bad} of {len(got)} replies were not 200")
            return {name: total / used[name] for name in order}

        # Paired rounds (bench/paired.py): the ratio per round, then the median.
        per_cpu = measure(list(setups), rounds, one_round)
    finally:
        for proc in procs.values():
            _stop(proc)
    return {**figure("serve_addon_throughput_vs_mitmproxy_server_replay",
                     ratios(per_cpu, "serve", "server_replay")),
            "serve_addon_requests_per_cpu_s": statistics.median(per_cpu["serve"]),
            "mitmproxy_server_replay_requests_per_cpu_s":
            statistics.median(per_cpu["server_replay"])}


FIXED_SERVER = r'''
import asyncio, sys
BODY = sys.argv[2].encode()
REPLY = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
         + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
class P(asyncio.Protocol):
    def connection_made(self, t): self.t, self.buf = t, bytearray()
    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0: return
            length = 0
            for line in bytes(self.buf[:end]).split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length": length = int(value)
            if len(self.buf) < end + 4 + length: return
            del self.buf[:end + 4 + length]
            self.t.write(REPLY)
async def main():
    server = await asyncio.get_running_loop().create_server(P, "127.0.0.1", int(sys.argv[1]))
    await asyncio.Event().wait()
asyncio.run(main())
'''


def serve_standalone_cpu_per_request_vs_fixed_response(workdir: Path, size: int = 10_000,
                                                       total: int = 30_000) -> dict[str, float]:
    from tests.harness.loadgen import raw_request

    cassette = _cassette(workdir, size)
    raw = [raw_request("POST", "127.0.0.1", "/app/v2/device/get_property_list",
                       _fresh(_interaction(n % size)["request"]["body"], n)) for n in range(total)]
    answer = _interaction(0)["response"]["body"]["string"]
    setups = {
        "replay": [sys.executable, "-m", "wyzeproto", "serve", str(cassette)],
        "fixed": [sys.executable, "-c", FIXED_SERVER],
    }
    samples: dict[str, list[float]] = {name: [] for name in setups}
    for _ in range(5):  # interleaved rounds, median: the machine's noise hits both alike
        for name, args in setups.items():
            port = free_port()
            full = [*args, "--port", str(port)] if name == "replay" else [*args, str(port),
                                                                           answer]
            proc = _start(full, port, workdir / f"standalone-{name}.log")
            try:
                _load(port, raw, 500, 10)  # warm-up
                before = _cpu(proc.pid)
                _load(port, raw, total, 50)
                samples[name].append((_cpu(proc.pid) - before) / total)
            finally:
                _stop(proc)
    cpu = {name: statistics.median(values) for name, values in samples.items()}
    return {"serve_standalone_cpu_per_request_vs_fixed_response": cpu["replay"] / cpu["fixed"],
            "serve_standalone_cpu_us_per_request": cpu["replay"] * 1e6,
            "fixed_response_cpu_us_per_request": cpu["fixed"] * 1e6}


def run(workdir: Path) -> dict[str, float]:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, float] = {}
    results.update(replay_inprocess_speedup_vs_vcrpy(workdir))
    results.update(serve_addon_throughput_vs_mitmproxy_server_replay(workdir))
    results.update(serve_standalone_cpu_per_request_vs_fixed_response(workdir))
    return results


if __name__ == "__main__":
    print(json.dumps(run(ROOT / "bench" / "work" / "replay_bench"), indent=2))
