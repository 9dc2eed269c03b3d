"""What every generator draws with: its Context, and the two draws most generators share.

This module sits below `generators`, `contacts` and `identifiers`, so the registry can import
the people and the identifiers without either of them importing the registry back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from helpers.pools import Pools


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
