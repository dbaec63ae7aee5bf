"""Benchmarks; each prints JSON figures as its last lines (see ARCHITECTURE.md)."""

from __future__ import annotations

import json
import statistics


def report(bench: str, metric: str, value: float, n: int | None = None, **extra: object) -> None:
    """Print one figure as a JSON line in the agreed format."""
    row: dict[str, object] = {"bench": bench, "metric": metric, "value": round(value, 3)}
    if n is not None:
        row["n"] = n
    row.update(extra)
    print(json.dumps(row, ensure_ascii=False), flush=True)


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct``-th percentile (0-100) of ``samples`` by the inclusive method."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[int(pct) - 1]
