"""One place that decides where tensors live."""

from __future__ import annotations

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    """`prefer` if given, else cuda when a GPU is present, else cpu."""
    if prefer:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
