"""Prompt -> reading (the model) -> rows (Faker): the one place both halves meet."""

from __future__ import annotations

import pandas as pd

from helpers.generate import generate_dataframe
from helpers.reading import read_prompt
from helpers.slots import PromptReading

EXAMPLE_PROMPTS = (
    "generate a hospital dataset",
    "I need fake bank account records",
    "hotel bookings with check-in and check-out dates",
    "a list of customers with emails and phone numbers",
)
DEFAULT_ROWS, DEFAULT_LOCALE = 10, "en_US"  # when neither the caller nor the prompt says


class NotADatasetRequest(ValueError):
    """The model found no table in the prompt."""


MODELS = ("classifier", "decoder")


def read_request(
    prompt: str, threshold: float | None = None, model: str = "classifier"
) -> PromptReading:
    """The prompt's reading (notebook 10), or NotADatasetRequest with example prompts that work.

    model="classifier" takes the table's columns from the classifier (notebooks 03-04) and
    edits them as the prompt says; model="decoder" writes them token by token (notebook 08),
    ignores the threshold, and drops the columns the prompt excludes.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    reading = read_prompt(prompt, threshold=threshold)
    if model == "decoder":
        from helpers.decoding import generate_columns  # loaded only when asked for

        written = [c for c in generate_columns(prompt) if c not in reading.dropped]
        extra = [c for c in reading.added if c not in written]
        reading.columns = written + extra if written else []  # no table written: refused
    if not reading.columns:
        examples = "; ".join(f'"{p}"' for p in EXAMPLE_PROMPTS[:3])
        raise NotADatasetRequest(
            f"{prompt!r} does not look like a request for a dataset I know. Try for example: "
            f"{examples}"
        )
    return reading


def columns_for(
    prompt: str, threshold: float | None = None, model: str = "classifier"
) -> list[str]:
    """The columns of the table the prompt asks for (see read_request)."""
    return read_request(prompt, threshold, model).columns


def rows_and_locale(
    reading: PromptReading, rows: int | None = None, locale: str | None = None
) -> tuple[int, str]:
    """Rows and locale: the caller's where given, else what the prompt says, else 10 and en_US.

    A prompt that asks for no rows at all ("0 rows") is an error, not an empty table.
    """
    if rows is None and reading.rows is not None:
        if reading.rows < 1:
            raise ValueError(f"the prompt asks for {reading.rows} rows "
                             f"({reading.evidence['rows']!r}): ask for at least 1")
        rows = reading.rows
    return (DEFAULT_ROWS if rows is None else rows,
            locale or reading.locale or DEFAULT_LOCALE)


def generate_dataset(
    prompt: str, rows: int | None = None, seed: int = 0, locale: str | None = None,
    threshold: float | None = None, model: str = "classifier", phone_format: str = "national",
) -> pd.DataFrame:
    """Read the prompt and fill its table with fake values: `rows` rows in `locale` when given,
    else as many and where the prompt says (10 rows, en_US when it says nothing)."""
    reading = read_request(prompt, threshold, model)
    rows, locale = rows_and_locale(reading, rows, locale)
    return generate_dataframe(reading.columns, rows, seed, locale, phone_format, reading.table)
