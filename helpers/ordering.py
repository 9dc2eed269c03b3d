"""Dependency order, one loop for every place that needs it: a table's columns after the
columns they derive from (an e-mail after its name), and tables after their parents.

Plain Python: the generation side and the linked tables both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def dependency_order(names: Sequence[str], needs: Mapping[str, Iterable[str]],
                     ) -> tuple[list[str], list[str]]:
    """`names` with each one after those it needs, in waves (all that are ready, in the given
    order), and the names left waiting on each other in a circle (empty when there is none)."""
    order: list[str] = []
    placed: set[str] = set()
    while True:
        ready = [n for n in names if n not in placed and all(d in placed for d in needs[n])]
        if not ready:
            return order, [n for n in names if n not in placed]
        order += ready
        placed.update(ready)
