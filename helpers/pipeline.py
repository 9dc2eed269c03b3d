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


MODELS = ("classifier", "decoder")


def columns_for(
    prompt: str, threshold: float | None = None, model: str = "classifier"
) -> list[str]:
    """Predicted columns, or NotADatasetRequest with example prompts that work.

    model="classifier" picks columns above a threshold (notebooks 03-04); model="decoder" writes
    them token by token (notebook 08) and ignores the threshold.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if model == "decoder":
        from helpers.decoding import generate_columns  # loaded only when asked for

        columns = generate_columns(prompt)
    else:
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
    threshold: float | None = None, model: str = "classifier", phone_format: str = "national",
) -> pd.DataFrame:
    """Predict the prompt's columns (with the classifier or the decoder) and fill `rows` rows
    of them with fake values."""
    return generate_dataframe(columns_for(prompt, threshold, model), rows, seed, locale,
                              phone_format)
