"""HTTP API over the pipeline. Start it with `make serve`, or:

    python -m uvicorn helpers.api:app --host 127.0.0.1 --port 8000

POST /generate   {"prompt": "...", "rows": 10, "seed": 0, "locale": "en_US", "format": "json"}
GET  /health     is it up, and is the model loaded
GET  /domains    the catalog: every table the model knows
GET  /docs       interactive OpenAPI documentation
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import pandas as pd
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from helpers import __version__
from helpers.catalog import load_domains
from helpers.generate import LOCALES, generate_dataframe
from helpers.pipeline import MODELS, NotADatasetRequest, columns_for
from helpers.predict import load_model

MAX_ROWS = 10_000  # per request: larger tables belong to the command line, which streams


class GenerateRequest(BaseModel):
    """What to generate; every field is checked before any work is done."""

    prompt: str = Field(min_length=1, max_length=500, examples=["generate a hospital dataset"])
    rows: int = Field(10, ge=1, le=MAX_ROWS)
    seed: int | None = Field(0, ge=0, description="same seed, same table; null: a random one")
    locale: str = Field("en_US", description=f"one of {', '.join(LOCALES)}")
    format: Literal["json", "csv"] = "json"
    model: Literal["classifier", "decoder"] = "classifier"

    @field_validator("prompt")
    @classmethod
    def not_blank(cls, prompt: str) -> str:
        if not prompt.strip():
            raise ValueError("prompt is blank: describe the table you want")
        return prompt

    @field_validator("locale")
    @classmethod
    def known_locale(cls, locale: str) -> str:
        if locale not in LOCALES:
            raise ValueError(f"unsupported locale {locale!r}; choose one of {', '.join(LOCALES)}")
        return locale


class GenerateResponse(BaseModel):
    prompt: str
    model: str
    seed: int
    locale: str
    columns: list[str]
    rows: list[dict]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    load_model()  # once, at start-up: the first request should not pay for it
    yield


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
def generate(request: GenerateRequest):
    """Predict the prompt's columns and fill `rows` rows; JSON records or a CSV body."""
    seed = secrets.randbelow(2**31) if request.seed is None else request.seed
    try:
        columns = columns_for(request.prompt, model=request.model)
    except NotADatasetRequest as e:
        raise HTTPException(status_code=400, detail=str(e)) from None
    table = generate_dataframe(columns, request.rows, seed, request.locale)
    if request.format == "csv":
        return Response(table.to_csv(index=False), media_type="text/csv",
                        headers={"X-Columns": ",".join(columns), "X-Seed": str(seed)})
    return GenerateResponse(prompt=request.prompt, model=request.model, seed=seed,
                            locale=request.locale, columns=columns, rows=json_records(table))


def json_records(table: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts; dates as '2025-12-31', timestamps as '2025-12-31T08:30:00'."""
    table = table.copy()
    for column in table.select_dtypes("datetime").columns:
        values = table[column]
        dates_only = bool((values.dropna() == values.dropna().dt.normalize()).all())
        table[column] = values.dt.strftime("%Y-%m-%d" if dates_only else "%Y-%m-%dT%H:%M:%S")
    return json.loads(table.to_json(orient="records", force_ascii=False))
