"""POST /tables: several linked tables from a spec, a CREATE TABLE text, a JSON Schema, a CSV
header or a prompt ("50 customers and their 200 orders"), in one JSON answer.

The contract (request, response, statuses) and the work; helpers.api serves the route. A
request names exactly one source (the schema says so with oneOf). Before any row is made the
plan's row counts are checked against the API's limits: at most MAX_ROWS rows per table and
MAX_CELLS cells in all. A source that follows the request schema and still describes no
tables that can be made is a 422 of type invalid_spec naming the field.
"""

from __future__ import annotations

import json
from typing import Literal

import pandas as pd
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from helpers.api_contract import (
    ERRORS,
    MAX_BODY_BYTES,
    MAX_CELLS,
    MAX_PROMPT_CHARS,
    MAX_ROWS,
    MAX_SEED,
    NOT_BLANK,
    APIError,
    ErrorBody,
    Locale,
)
from helpers.api_encoding import records_text
from helpers.linked import generate_tables
from helpers.linked_plan import DEFAULT_ROWS, TooManyRows, make_plan
from helpers.pipeline import NotADatasetRequest
from helpers.spec import DatasetSpec, SpecError

SOURCES = ("prompt", "spec", "sql", "json_schema", "csv")


class TablesRequest(BaseModel):
    """Where the tables come from (exactly one source), and how many rows, which seed, where."""

    model_config = ConfigDict(strict=True, extra="forbid", regex_engine="python-re",
                              json_schema_extra={"oneOf": [
                                  {"required": [s], "properties": {s: {"not": {"type": "null"}}}}
                                  for s in SOURCES]})

    prompt: str | None = Field(None, min_length=1, max_length=MAX_PROMPT_CHARS, pattern=NOT_BLANK,
                               examples=["50 customers and their 200 orders"],
                               description="two linked tables, or one, in words")
    spec: dict | None = Field(None, description="a DatasetSpec as JSON (helpers.DatasetSpec)")
    sql: str | None = Field(None, min_length=1, description=(
        f"CREATE TABLE statements; as long as the body allows ({MAX_BODY_BYTES:,} bytes)"))
    dialect: Literal["sqlite", "postgres", "mysql"] | None = Field(
        None, description="the SQL's dialect; null: guessed from the text")
    json_schema: dict | None = Field(None, description="a JSON Schema of one object")
    csv: str | None = Field(None, min_length=1, description=(
        "a CSV header line, with sample rows if you like; as long as the body allows"))
    rows: StrictInt | None = Field(None, ge=1, le=MAX_ROWS, description=(
        f"rows of each table the source does not size; null: {DEFAULT_ROWS}"))
    seed: StrictInt | None = Field(0, ge=0, le=MAX_SEED, description="same seed, same tables")
    locale: Locale | None = Field(None, description="null: what the prompt says, else en_US")


class TablesResponse(BaseModel):
    """The JSON answer of POST /tables: the spec as made, what was read, every table's rows."""

    seed: int
    locale: str
    reading: str | None
    warnings: list[str]
    spec: dict
    tables: dict[str, list[dict]]


TABLES_RESPONSES = {
    200: {"description": "the tables, parents first (TablesResponse)"},
    **{status: {"model": ErrorBody, "description": text} for status, text in ERRORS.items()},
}
TABLES_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": TablesRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


def source_spec(ask: TablesRequest) -> tuple[DatasetSpec, str | None, str | None, str]:
    """The spec, the reading's receipt and locale (prompts only), and the field it names."""
    given = [s for s in SOURCES if getattr(ask, s) is not None]
    if len(given) != 1:
        raise APIError(422, ["body"], "give exactly one of " + ", ".join(SOURCES) +
                       (f"; got {', '.join(given)}" if given else ""), "one_source")
    field = given[0]
    try:
        if field == "prompt":
            from helpers.linked_prompt import LinkedReading, spec_from_prompt

            spec, reading = spec_from_prompt(ask.prompt)  # one table's reading sizes itself
            said = reading.summary(ask.rows) if isinstance(reading, LinkedReading) else \
                reading.summary()
            return spec, said, reading.locale, field
        if field == "spec":
            return DatasetSpec.from_dict(ask.spec), None, None, field
        if field == "sql":
            from helpers.spec_sql import spec_from_sql

            return spec_from_sql(ask.sql, ask.dialect), None, None, field
        if field == "json_schema":
            from helpers.spec_jsonschema import spec_from_json_schema

            return spec_from_json_schema(ask.json_schema), None, None, field
        from helpers.spec_csv import spec_from_csv

        return spec_from_csv(ask.csv, "records"), None, None, field
    except NotADatasetRequest as e:
        raise APIError(400, ["body", "prompt"], str(e), "not_a_dataset_request") from None
    except (SpecError, ValueError, TypeError, RecursionError) as e:
        raise APIError(422, ["body", field], str(e) or type(e).__name__, "invalid_spec") from None


def check_size(spec: DatasetSpec, seed: int, rows: int, field: str) -> None:
    """Every table within MAX_ROWS and all of them within MAX_CELLS, before any row is made."""
    try:
        plan = make_plan(spec, seed, rows, max_rows=MAX_ROWS)  # refused before it allocates
    except TooManyRows as e:
        raise APIError(422, ["body", field], f"{e}: the command line streams more",
                       "too_many_cells") from None
    except (SpecError, ValueError, TypeError) as e:
        raise APIError(422, ["body", field], str(e), "invalid_spec") from None
    cells = sum(plan.rows[t.name] * len(t.columns) for t in spec.tables)
    if cells > MAX_CELLS:
        raise APIError(422, ["body", field], (
            f"the tables hold {cells:,} cells; this API serves at most {MAX_CELLS:,} per "
            "request: ask for fewer rows, or use the command line"), "too_many_cells")


def columns_of(table: pd.DataFrame) -> dict[str, object]:
    """A DataFrame's columns as api_encoding writes them: categories stay categories, and a
    nullable integer column (a key that may be NULL) stays whole numbers and nulls, where
    to_numpy() would give floats (1.0) and NaN."""
    return {c: table[c].array if isinstance(table[c].dtype, pd.CategoricalDtype)
            else table[c].to_numpy(dtype=object, na_value=None)
            if isinstance(table[c].dtype, pd.api.extensions.ExtensionDtype)
            and table[c].dtype.kind in "iub"
            else table[c].to_numpy() for c in table.columns}


def tables_answer(ask: TablesRequest, seed: int) -> Response:
    """The 200: every table of the source's spec, as JSON records, parents first."""
    spec, receipt, said, field = source_spec(ask)
    rows = DEFAULT_ROWS if ask.rows is None else ask.rows
    check_size(spec, seed, rows, field)
    locale = ask.locale or said or "en_US"
    try:
        made = generate_tables(spec, seed, locale, rows)
    except (SpecError, ValueError, TypeError, LookupError, ArithmeticError) as e:
        # a spec's params the generators cannot use (a value list data/ does not have)
        raise APIError(422, ["body", field], f"cannot fill this spec: {type(e).__name__}: {e}",
                       "invalid_spec") from None
    tables = ", ".join(f"{json.dumps(name)}: {records_text(columns_of(t), list(t.columns))}"
                       for name, t in made.items())
    head = json.dumps({"seed": seed, "locale": locale, "reading": receipt,
                       "warnings": spec.warnings, "spec": spec.to_dict()}, ensure_ascii=False)
    return Response(f"{head[:-1]}, \"tables\": {{{tables}}}}}", media_type="application/json")


