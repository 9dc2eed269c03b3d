"""HTTP API over the pipeline. Start it with `make serve`, or:

    python -m uvicorn helpers.api:app --host 127.0.0.1 --port 8000

POST /generate   {"prompt": "...", "rows": 10, "seed": 0, "locale": "en_US", "format": "json",
                  "phone_format": "national"}; rows and locale are optional: without them the
                  prompt says ("50 German customers"), else 10 and en_US
GET  /health     is it up, and is the model loaded
GET  /domains    the catalog: every table the model knows
GET  /docs       interactive OpenAPI documentation
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd
import torch
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from helpers import __version__
from helpers.catalog import load_domains
from helpers.generate import LOCALES, PHONE_FORMATS, generate_dataframe, warm_pools
from helpers.pipeline import MODELS, NotADatasetRequest, read_request, rows_and_locale
from helpers.predict import load_model
from helpers.slots import PromptReading

MAX_ROWS = 10_000  # per request: larger tables belong to the command line, which streams


class GenerateRequest(BaseModel):
    """What to generate; every field is checked before any work is done."""

    prompt: str = Field(min_length=1, max_length=500, examples=["generate a hospital dataset"])
    rows: int | None = Field(None, ge=1, le=MAX_ROWS,
                             description="null: what the prompt says, else 10")
    seed: int | None = Field(0, ge=0, description="same seed, same table; null: a random one")
    locale: str | None = Field(None, description=f"one of {', '.join(LOCALES)}; null: what the "
                               "prompt says, else en_US")
    format: Literal["json", "csv"] = "json"
    model: Literal["classifier", "decoder"] = "classifier"
    phone_format: Literal[PHONE_FORMATS] = Field(  # type: ignore[valid-type]
        "national", description="national ('(212) 555-0123') or e164 ('+12125550123')")

    @field_validator("prompt")
    @classmethod
    def not_blank(cls, prompt: str) -> str:
        if not prompt.strip():
            raise ValueError("prompt is blank: describe the table you want")
        return prompt

    @field_validator("locale")
    @classmethod
    def known_locale(cls, locale: str | None) -> str | None:
        if locale is not None and locale not in LOCALES:
            raise ValueError(f"unsupported locale {locale!r}; choose one of {', '.join(LOCALES)}")
        return locale


class Reading(BaseModel):
    """What the model read in the prompt, and the words each reading came from."""

    table: str | None
    rows: int | None
    locale: str | None
    added: list[str]
    dropped: list[str]
    evidence: dict[str, str]
    tags: list[tuple[str, str]]


class GenerateResponse(BaseModel):
    prompt: str
    model: str
    seed: int
    locale: str
    columns: list[str]
    reading: Reading
    rows: list[dict]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    load_model()  # once, at start-up: the first request should not pay for it,
    warm_pools()  # nor for Faker's word lists; after this a request takes no lock
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one prompt is too small to split; the cores serve requests
    yield
    torch.set_num_threads(threads)


app = FastAPI(title="Tiny Schema Transformer", version=__version__, lifespan=lifespan,
              description="Prompt in, fake table out: the model of the notebook series.")


@app.get("/health")
def health() -> dict:
    """Liveness, and whether the classifier is loaded."""
    from helpers import predict

    return {"status": "ok", "version": __version__, "model_loaded": predict._shipped is not None,
            "models": list(MODELS)}


@app.get("/domains")
def domains() -> dict:
    """Every catalog table: id, columns and the phrases that ask for it."""
    return {"domains": [{"id": d.id, "columns": list(d.columns), "phrases": list(d.phrases)}
                        for d in load_domains()]}


@app.post("/generate", response_model=GenerateResponse,
          responses={200: {"content": {"text/csv": {}}},
                     400: {"description": "the prompt is not a dataset request"}})
async def generate(request: GenerateRequest):
    """Predict the prompt's columns and fill `rows` rows; JSON records or a CSV body.

    Declared async on purpose: the work is a few milliseconds of CPU, so it runs on the event
    loop instead of being handed to a thread (only one would run at a time anyway)."""
    seed = secrets.randbelow(2**31) if request.seed is None else request.seed
    try:
        reading = reading_for(request.prompt, request.model)
    except NotADatasetRequest as e:
        raise HTTPException(status_code=400, detail=str(e)) from None
    rows, locale = settle(reading, request)
    columns = list(reading.columns)
    table = generate_dataframe(columns, rows, seed, locale, request.phone_format, reading.table)
    if request.format == "csv":
        return Response(table.to_csv(index=False), media_type="text/csv",
                        headers={"X-Columns": ",".join(columns), "X-Seed": str(seed),
                                 "X-Reading": reading.summary()})
    read = {k: v for k, v in reading.to_dict().items() if k not in ("prompt", "columns")}
    head = json.dumps({"prompt": request.prompt, "model": request.model, "seed": seed,
                       "locale": locale, "columns": columns, "reading": read},
                      ensure_ascii=False)
    # The rows are serialised once, by pandas, and spliced in: no list of dicts, no second pass.
    return Response(f'{head[:-1]}, "rows": {records_json(table)}}}',
                    media_type="application/json")


def settle(reading: PromptReading, request: GenerateRequest) -> tuple[int, str]:
    """Rows and locale, the request's over the prompt's; a stated count the API cannot serve
    (0, or over MAX_ROWS) is a 422 that names it."""
    try:
        rows, locale = rows_and_locale(reading, request.rows, request.locale)
    except ValueError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    if rows > MAX_ROWS:
        raise HTTPException(status_code=422, detail=(
            f"the prompt asks for {rows:,} rows ({reading.evidence.get('rows')!r}); this API "
            f"serves at most {MAX_ROWS:,} per request: ask for fewer, set rows, or use the "
            "command line, which streams"))
    return rows, locale


@lru_cache(maxsize=4096)
def reading_for(prompt: str, model: str) -> PromptReading:
    """read_request, remembered: the model does not change while the server runs, so a prompt
    seen before skips the forward pass (a refusal raises, and is not remembered). Callers
    must not change what it returns."""
    return read_request(prompt, model=model)


def records_json(table: pd.DataFrame) -> str:
    """Rows as a JSON array of records in one pandas pass; dates as '2025-12-31', timestamps
    as '2025-12-31T08:30:00'."""
    instants = [c for c, dtype in table.dtypes.items() if dtype.kind == "M"]
    dates = [c for c in instants if is_date_only(table[c])]
    if dates and len(dates) < len(instants):  # dates beside timestamps: write the dates first
        table = table.assign(**{c: np.datetime_as_string(table[c].to_numpy(), unit="D")
                                for c in dates})
    text = table.to_json(orient="records", date_format="iso", date_unit="s", force_ascii=False)
    # Every datetime column holds dates only: drop their midnight in one pass over the text.
    return text.replace('T00:00:00"', '"') if dates and len(dates) == len(instants) else text


def is_date_only(values: pd.Series) -> bool:
    """No time of day anywhere in the column: it is written as plain dates."""
    instants = values.to_numpy()
    return bool((instants == instants.astype("datetime64[D]")).all())
