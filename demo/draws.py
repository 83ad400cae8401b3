"""Deterministic draws: every seed module draws from its own `random.Random(SEED)`, so that the
same database gives the same demo."""

import math

SEED = 2026


def some(rng, items, k):
    """k distinct items drawn at random, or all of them when there are fewer."""
    return rng.sample(items, max(0, min(k, len(items))))


def weighted_sample(rng, items, weights, k):
    """k distinct items, drawn with probability proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(
        ((math.log(1 - rng.random()) / w, i) for i, w in enumerate(weights)), reverse=True
    )
    return [items[i] for _, i in keyed[:k]]
