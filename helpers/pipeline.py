"""Prompt -> columns (the model) -> rows (Faker): the one place both halves meet."""

from __future__ import annotations

import pandas as pd

from helpers.generate import generate_dataframe
from helpers.predict import predict_columns

EXAMPLE_PROMPTS = (
    "generate a hospital dataset",
    "I need fake bank account records",
    "hotel bookings with check-in and check-out dates",
    "a list of customers with emails and phone numbers",
)


class NotADatasetRequest(ValueError):
    """The model found no table in the prompt."""


def columns_for(prompt: str, threshold: float | None = None) -> list[str]:
    """Predicted columns, or NotADatasetRequest with example prompts that work."""
    columns = predict_columns(prompt, threshold)
    if not columns:
        examples = "; ".join(f'"{p}"' for p in EXAMPLE_PROMPTS[:3])
        raise NotADatasetRequest(
            f"{prompt!r} does not look like a request for a dataset I know. Try for example: "
            f"{examples}"
        )
    return columns


def generate_dataset(
    prompt: str, rows: int = 10, seed: int = 0, locale: str = "en_US",
    threshold: float | None = None,
) -> pd.DataFrame:
    """Predict the prompt's columns and fill `rows` rows of them with fake values."""
    return generate_dataframe(columns_for(prompt, threshold), rows, seed, locale)
