"""Paired measurement: configurations interleaved in each round, the ratio taken per round.

A shared machine drifts (a neighbour's build, the CPU's clock): two configurations measured
minutes apart differ by more than the few percent a goal is about. Measured back to back in
the same round they share the drift, so their ratio keeps what differs between them. The
figure is the median of the per-round ratios; the min and max beside it (``<metric>_min``,
``<metric>_max`` in bench/results.json) show how far one round can stray.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import median


def rotated(names: Sequence[str], round_no: int) -> list[str]:
    """The order of one round: each configuration goes first in turn, so none always runs
    right after start-up or right before another's clean-up."""
    shift = round_no % len(names)
    return [*names[shift:], *names[:shift]]


def ratios(samples: dict[str, list[float]], subject: str, anchor: str) -> list[float]:
    """Per-round ratio subject / anchor (the lists hold one value per round, in step)."""
    return [a / b for a, b in zip(samples[subject], samples[anchor], strict=True)]


def figure(metric: str, per_round: list[float]) -> dict[str, float]:
    """``{metric: median, metric_min: ..., metric_max: ...}``."""
    return {metric: median(per_round), f"{metric}_min": min(per_round),
            f"{metric}_max": max(per_round)}


def measure(names: Sequence[str], rounds: int,
            one_round: Callable[[list[str], int], dict[str, float]]) -> dict[str, list[float]]:
    """Run ``rounds`` rounds; ``one_round(order, round_no)`` runs every configuration, their
    work interleaved in the rotated order, and gives each one's sample for the round."""
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(rounds):
        for name, value in one_round(rotated(names, round_no), round_no).items():
            samples[name].append(value)
    return samples
