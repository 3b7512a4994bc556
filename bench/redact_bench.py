"""Benchmark: redaction cost per byte of one long value, at 128 kB against 8 kB.

    python -m bench redact_bench

A body is redacted whole before it is cut to ``capture_max_body``, so one long value, sent
by a buggy app or planted by anyone on the network, must cost in proportion to its length.
Two did not: a run of 'x' with no space (the masked-text pattern tried every start and every
length: 20 s for 50 kB) and a long free text (its pseudonym's digest chain hashed all of
itself again at every step: 10 s for 1.6 MB). ``run()`` redacts a request body holding one
value of each shape below at 8 kB and at 128 kB, best of three (CPU time, a new redactor
each time, so that nothing is remembered), and returns the worst shape's cost per byte at
128 kB over its cost per byte at 8 kB as ``redact_long_value_cost_growth_128k_vs_8k``
(goal: at most 2; linear is 1, quadratic 16). The sizes are small so that a quadratic
shape shows in minutes rather than hours.
"""

from __future__ import annotations

import json
import random
import string
import time
from collections.abc import Callable
from pathlib import Path

from wyzeproto.capture.recorder import Exchange, build_interaction
from wyzeproto.redact import Pseudonymizer, Redactor

SMALL, LARGE = 8 << 10, 128 << 10
KEY = b"bench-key-not-secret"
_rng = random.Random(12)


def _pick(alphabet: str) -> Callable[[int], str]:
    return lambda n: "".join(_rng.choice(alphabet) for _ in range(n))


def _words(n: int) -> str:
    return " ".join(_rng.choice(["porch", "Camera", "2", "front", "Door", "42x"])
                    for _ in range(n // 6))[:n]


SHAPES: dict[str, Callable[[int], str]] = {
    "run of x": lambda n: "x" * n,
    "run of digits": lambda n: "9" * n,
    "masked words": lambda n: ("Xxxx zz " * (n // 8 + 1))[:n],
    "free text": _words,
    "lines": lambda n: ("line of text\n" * (n // 13 + 1))[:n],
    "hex": _pick(string.hexdigits.lower()),
    "base64": _pick(string.ascii_letters + string.digits + "+/"),
    "non-ASCII": lambda n: ("é ü " * (n // 4 + 1))[:n],
}


def _cost(value: str, field: str) -> float:
    body = json.dumps({"access_token": "lvtx.bench", field: value}).encode()
    exchange = Exchange("POST", "https://api.wyzecam.com/app/v2/bench", [
        (b"Content-Type", b"application/json")], body, 200, "OK",
        [(b"Content-Type", b"application/json")], b'{"code":"1"}')
    best = float("inf")
    for _ in range(3):
        interaction, _ = build_interaction(exchange)
        redactor = Redactor(Pseudonymizer(KEY))
        started = time.process_time()
        redactor.interaction_json(interaction)
        best = min(best, time.process_time() - started)
        if best > 1.0:  # slow enough to tell without two more runs
            break
    return best


def run(workdir: str | Path | None = None) -> dict[str, float]:
    growth: dict[str, float] = {}
    for shape, make in SHAPES.items():
        for field in ("note", "nickname"):  # a field no schema names, a free-text one
            small, large = _cost(make(SMALL), field), _cost(make(LARGE), field)
            growth[f"{shape} under {field}"] = (large / LARGE) / (max(small, 1e-6) / SMALL)
    worst = max(growth, key=growth.__getitem__)
    print(f"  worst: {worst}, {growth[worst]:.2f}x the cost per byte at 128 kB as at 8 kB")
    return {"redact_long_value_cost_growth_128k_vs_8k": growth[worst]}


if __name__ == "__main__":
    print(run())
