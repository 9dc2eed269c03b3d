"""What every generator draws with: its Context, and the draws most generators share.

This module sits below `generators`, `contacts` and `identifiers`, so the registry can import
the people and the identifiers without either of them importing the registry back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.pools import Pools
from helpers.specs import key_codes, once


@dataclass
class Context:
    """What a generator may use: its own random stream, the rows to make, the table so far."""

    rng: np.random.Generator
    start: int  # index of this chunk's first row in the whole table
    n: int
    locale: str
    pools: Pools
    table: dict[str, object] = field(default_factory=dict)  # columns made so far in this chunk
    parts: dict[str, object] = field(default_factory=dict)  # e.g. the name indices, for e-mail
    options: dict[str, object] = field(default_factory=dict)  # e.g. phone_format


def pick(ctx: Context, values: np.ndarray) -> np.ndarray:
    """One value per row, drawn with the column's own stream."""
    return values[ctx.rng.integers(len(values), size=ctx.n)]


def source(ctx: Context, spec: dict) -> object:
    """The values of the column this one derives from ("of"), if the table has it."""
    return ctx.table.get(spec["of"]) if isinstance(spec.get("of"), str) else None


def choose(ctx: Context, k: int, p: np.ndarray | None) -> np.ndarray:
    """Exactly ctx.rng.choice(k, size=ctx.n, p=p) (numpy's own steps: one uniform per row
    through the cumulative probabilities, or integers below k), without its checks of `p` on
    every call, which cost more than the draw: p is checked once, where it is read."""
    if p is None:
        return ctx.rng.integers(0, k, size=ctx.n, dtype=np.int64)
    cdf = once(cumulative, p)
    return cdf.searchsorted(ctx.rng.random(ctx.n), side="right").astype(np.int64, copy=False)


def cumulative(p: np.ndarray) -> np.ndarray:
    """p's cumulative sums, the last made exactly 1, as rng.choice makes them; p is checked
    as rng.choice checks it."""
    np.random.default_rng(0).choice(len(p), p=p)  # its errors for a p that is not one
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return cdf


def codes_by(ctx: Context, keys: object, by: dict[str, list[str]], every: list[str]) -> np.ndarray:
    """Per row, the index in `every` of one of its key's options (by[key], or by["*"]); a row
    whose key has none gets any value. One uniform per row, spent on that row's own options."""
    draws = ctx.rng.random(ctx.n)
    codes = (draws * len(every)).astype(int)  # rows whose key has no options: any value
    if keys is None:
        return codes
    key_of_row, names = key_codes(keys)
    counts, starts, flat = (once(option_table, by, every, names)  # a categorical's own list
                            if isinstance(keys, pd.Categorical) else option_table(by, every, names))
    count = counts[key_of_row]  # code -1 (a missing category) reads the last entry: none
    picks = (draws * count).astype(int)  # the row's uniform spent on its own options
    return np.where(count > 0, flat[starts[key_of_row] + picks], codes)


def option_table(by: dict[str, list[str]], every: list[str],
                 keys: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For codes_by, per key (and a last entry for a missing one): how many options it has,
    where they start in `flat`, and flat: every key's options as indices in `every`."""
    code = {v: i for i, v in enumerate(every)}
    counts, starts, flat = [], [], []
    for key in keys:
        missing = key is None or (isinstance(key, float) and key != key)  # None or NaN
        options = (None if missing else by.get(key, by.get("*"))) or []  # none: any value
        counts.append(len(options))
        starts.append(len(flat))
        flat += [code[v] for v in options]
    return np.array(counts + [0]), np.array(starts + [0]), np.array(flat + [0])
