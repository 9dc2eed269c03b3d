"""What every exercise checker shares: a wrong answer raises Wrong, whose message is the hint."""

from __future__ import annotations


class Wrong(AssertionError):
    """The answer is off; the message is the hint."""


def expect(condition: bool, hint: str) -> None:
    """Raise Wrong(hint) unless `condition` holds."""
    if not condition:
        raise Wrong(hint)
