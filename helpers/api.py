"""HTTP API over the pipeline. Start it with `make serve`, or:

    python -m uvicorn helpers.api:app --host 127.0.0.1 --port 8000

POST /generate   {"prompt": "...", "rows": 10, "seed": 0, "locale": "en_US", "format": "json",
                  "phone_format": "national"}; rows and locale are optional: without them the
                  prompt says ("50 German customers"), else 10 and en_US
GET  /health     is it up, and is the model loaded
GET  /domains    the catalog: every table the model knows
GET  /docs       interactive OpenAPI documentation

Every answer keeps its word: each status it can give is in /openapi.json, and every error, of
any status, has one shape: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}. A request
is bounded before any work: at most MAX_BODY_BYTES of body (413, read no further), a prompt of
at most MAX_PROMPT_CHARS, at most MAX_CELLS rows x columns. Numbers are strict JSON integers
(no true, "5", 2.0, NaN or Infinity), and a lone surrogate makes the body invalid JSON: 422.
Large tables are made in a worker thread, so /health answers while they are.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, unquote

import anyio
import numpy as np
import pandas as pd
import torch
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError
from starlette.exceptions import HTTPException

from helpers import __version__
from helpers.catalog import load_domains
from helpers.generate import (
    GENERATORS,
    LOCALES,
    PHONE_FORMATS,
    Context,
    check_request,
    column_seed,
    column_spec,
    generate_dataframe,
    generation_order,
    pools,
    warm_pools,
)
from helpers.pipeline import MODELS, NotADatasetRequest, read_request, rows_and_locale
from helpers.predict import load_model
from helpers.slots import PromptReading

MAX_ROWS = 10_000  # per request: larger tables belong to the command line, which streams
MAX_CELLS = 100_000  # rows x columns per request: 10,000 rows of 10 columns, 5,000 of 20
MAX_PROMPT_CHARS = 500  # the model reads far fewer words than this
MAX_BODY_BYTES = 16_384  # a valid request is under 7 KB even with every character escaped
MAX_SEED = 2**53 - 1  # the largest integer every JSON client holds exactly
INLINE_CELLS = 5_000  # up to this (a 100-row table is about 1,000) a table is made on the loop
HEAVY = anyio.CapacityLimiter(2)  # large tables made at once; more wait their turn, not the loop
MSG_CHARS = 300  # an error message or a field name is cut here: errors never echo a big input

Locale = Literal[tuple(LOCALES)]  # type: ignore[valid-type]


class GenerateRequest(BaseModel):
    """What to generate; every field is checked before any work is done."""

    model_config = ConfigDict(strict=True, extra="forbid", regex_engine="python-re")

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS, pattern=r"\S",
                        examples=["generate a hospital dataset"],
                        description="what you want; at least one character that is not a space")
    rows: StrictInt | None = Field(None, ge=1, le=MAX_ROWS, description=(
        "null: what the prompt says, else 10. Strict: a JSON integer (5, not 5.0, '5' or true)"))
    seed: StrictInt | None = Field(0, ge=0, le=MAX_SEED, description=(
        "same seed, same table; null: a random one. Strict: a JSON integer (not 5.0 or false)"))
    locale: Locale | None = Field(None, description="null: what the prompt says, else en_US")
    format: Literal["json", "csv"] = "json"
    model: Literal[MODELS] = "classifier"  # type: ignore[valid-type]
    phone_format: Literal[PHONE_FORMATS] = Field(  # type: ignore[valid-type]
        "national", description="national ('(212) 555-0123') or e164 ('+12125550123')")


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


class ErrorItem(BaseModel):
    """One thing wrong: where (["body", "rows"]), what, and a machine-readable kind."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The one shape of every error this API answers, whatever its status."""

    detail: list[ErrorItem]


class APIError(Exception):
    """An answer other than 200, in the one error shape."""

    def __init__(self, status: int, loc: list[str | int], msg: str, kind: str):
        super().__init__(msg)
        self.status, self.items = status, [{"loc": loc, "msg": msg, "type": kind}]


def clip(text: object) -> str:
    """Short and encodable: cut at MSG_CHARS, lone surrogates written as escapes."""
    text = str(text)
    text = text if len(text) <= MSG_CHARS else text[:MSG_CHARS] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(status: int, items: list[dict]) -> Response:
    """The one error shape, safe to encode whatever the input was."""
    detail = [{"loc": [p if isinstance(p, int) else clip(p) for p in item["loc"]],
               "msg": clip(item["msg"]), "type": clip(item["type"])} for item in items]
    return Response(json.dumps({"detail": detail}, ensure_ascii=False), status_code=status,
                    media_type="application/json")


FRIENDLY = {  # pydantic's words where plainer ones say more
    ("prompt", "string_pattern_mismatch"): "prompt is blank: describe the table you want",
    ("prompt", "string_too_long"): f"prompt is longer than {MAX_PROMPT_CHARS} characters",
}


def validation_items(error: ValidationError) -> list[dict]:
    """pydantic's errors without the input (which may be megabytes, or NaN) or its context."""
    items = []
    for e in error.errors(include_url=False, include_input=False, include_context=False):
        msg = FRIENDLY.get((e["loc"][0] if e["loc"] else "", e["type"]), e["msg"])
        if e["type"] == "json_invalid":
            msg = f"the body is not valid JSON (NaN, Infinity and lone surrogates are not): {msg}"
        items.append({"loc": ["body", *e["loc"]], "msg": msg, "type": e["type"]})
    return items


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes is answered 413 before the app parses it,
    and no more of it is read, whether it declares its length or streams it in chunks."""

    def __init__(self, app: Callable, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self.too_large(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:  # read the body here, a chunk at a time, counting
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                return await self.too_large(scope, receive, send)
            more = message.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for a disconnect, as the server would

        await self.app(scope, replay, send)

    async def too_large(self, scope: dict, receive: Callable, send: Callable) -> None:
        response = error_response(413, [{
            "loc": ["body"], "type": "body_too_large",
            "msg": f"the body is over {self.limit:,} bytes: a request is a prompt and a few "
                   "fields; larger tables come from the command line"}])
        response.headers["connection"] = "close"  # the rest of the body is never read
        await response(scope, receive, send)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    load_model()  # once, at start-up: the first request should not pay for it,
    warm_pools()  # nor for Faker's word lists; after this a request takes no lock
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one prompt is too small to split; the cores serve requests
    yield
    torch.set_num_threads(threads)


app = FastAPI(title="Tiny Schema Transformer", version=__version__, lifespan=lifespan,
              description="Prompt in, fake table out: the model of the notebook series. Every "
                          "error, of any status, has the ErrorBody shape.")
app.add_middleware(BodyLimit)


@app.exception_handler(APIError)
async def api_error(request: Request, e: APIError) -> Response:
    return error_response(e.status, e.items)


@app.exception_handler(HTTPException)
async def http_error(request: Request, e: HTTPException) -> Response:
    """404, 405 and the like, in the one shape."""
    kind = {404: "not_found", 405: "method_not_allowed"}.get(e.status_code, "http_error")
    response = error_response(e.status_code, [{"loc": [], "msg": str(e.detail), "type": kind}])
    response.headers.update(e.headers or {})
    return response


@app.exception_handler(RequestValidationError)
async def request_validation_error(request: Request, e: RequestValidationError) -> Response:
    items = [{"loc": list(err.get("loc", ())), "msg": err.get("msg", "invalid"),
              "type": err.get("type", "invalid")} for err in e.errors()]
    return error_response(422, items)


@app.exception_handler(Exception)
async def server_error(request: Request, e: Exception) -> Response:
    """A bug: the same shape, and nothing of the input (the traceback goes to the log)."""
    return error_response(500, [{"loc": [], "msg": "internal error: the server's log has it",
                                 "type": "internal_error"}])


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


def text_header(description: str) -> dict:
    return {"description": description, "schema": {"type": "string"}}


ERRORS = {
    400: "the prompt is not a dataset request (the classifier and the decoder refuse alike)",
    413: f"the body is over {MAX_BODY_BYTES:,} bytes; none of it is parsed",
    415: "the content-type is not JSON",
    422: "a field is invalid (named in loc), the body is not JSON, or the prompt asks for what "
         f"this API does not serve: 0 rows, over {MAX_ROWS:,} rows, over {MAX_CELLS:,} cells",
    500: "a bug; never expected",
}
GENERATE_RESPONSES = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "the table: JSON (GenerateResponse) or, with format csv, a CSV body",
          "headers": {"X-Seed": text_header("csv only: the seed used"),
                      "X-Columns": text_header("csv only: the columns, comma-separated; a value "
                                               "with non-ASCII names is an RFC 8187 ext-value, "
                                               "UTF-8'' then percent-encoded UTF-8"),
                      "X-Reading": text_header("csv only: what the prompt said, one line; "
                                               "encoded as X-Columns")}},
    **{status: {"model": ErrorBody, "description": text} for status, text in ERRORS.items()},
}
REQUEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": GenerateRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@app.post("/generate", response_model=GenerateResponse, responses=GENERATE_RESPONSES,
          openapi_extra=REQUEST_BODY)
async def generate(request: Request) -> Response:
    """Predict the prompt's columns and fill `rows` rows; JSON records or a CSV body.

    The body is parsed and validated here, by pydantic in one pass, so that every refusal has
    the one error shape. A small table (the usual 100 rows) is made on the event loop, where it
    takes a millisecond or two; a large one, or a prompt the model has not read yet, in a
    worker thread, so that /health and small requests are answered meanwhile."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if not (kind == "application/json" or kind.endswith("+json")):
        raise APIError(415, ["header", "content-type"],
                       f"send the request as JSON (content-type application/json), not {kind!r}",
                       "unsupported_media_type")
    try:
        ask = GenerateRequest.model_validate_json(await request.body())
    except ValidationError as e:
        return error_response(422, validation_items(e))
    seed = secrets.randbelow(2**31) if ask.seed is None else ask.seed
    if (ask.prompt, ask.model) not in _seen:  # a forward pass, or the decoder's many
        reading = await anyio.to_thread.run_sync(reading_or_refusal, ask.prompt, ask.model,
                                                 limiter=HEAVY)
    else:
        reading = reading_or_refusal(ask.prompt, ask.model)
    rows, locale = settle(reading, ask)
    if rows * len(reading.columns) <= INLINE_CELLS:
        return answer(ask, reading, rows, locale, seed)
    return await anyio.to_thread.run_sync(answer, ask, reading, rows, locale, seed,
                                          limiter=HEAVY)


def answer(ask: GenerateRequest, reading: PromptReading, rows: int, locale: str,
           seed: int) -> Response:
    """The 200: a CSV body, or the JSON document built straight from the generated columns."""
    columns = list(reading.columns)
    if ask.format == "csv":
        table = generate_dataframe(columns, rows, seed, locale, ask.phone_format, reading.table)
        return Response(table.to_csv(index=False), media_type="text/csv",
                        headers={"X-Columns": header_value(",".join(columns)),
                                 "X-Seed": str(seed), "X-Reading": header_value(reading.summary())})
    made = table_columns(columns, rows, seed, locale, ask.phone_format, reading.table)
    prompt_model, columns_reading = json_head(ask.prompt, ask.model)
    # Keys in GenerateResponse's order; what depends only on the prompt is written once.
    return Response(f'{prompt_model}, "seed": {seed}, "locale": "{locale}", {columns_reading}, '
                    f'"rows": {records_text(made, columns)}}}',
                    media_type="application/json")


@lru_cache(maxsize=4096)
def json_head(prompt: str, model: str) -> tuple[str, str]:
    """The parts of the JSON answer that depend on the prompt alone, as text: '{"prompt": ...,
    "model": ...' and '"columns": [...], "reading": {...}'."""
    reading = reading_or_refusal(prompt, model)
    read = {k: v for k, v in reading.to_dict().items() if k not in ("prompt", "columns")}
    first = json.dumps({"prompt": prompt, "model": model}, ensure_ascii=False)
    second = json.dumps({"columns": list(reading.columns), "reading": read}, ensure_ascii=False)
    return first[:-1], second[1:-1]


def settle(reading: PromptReading, request: GenerateRequest) -> tuple[int, str]:
    """Rows and locale, the request's over the prompt's; a stated count the API cannot serve
    (0, or over MAX_ROWS) and a table over MAX_CELLS cells are a 422 that names them."""
    try:
        rows, locale = rows_and_locale(reading, request.rows, request.locale)
    except ValueError as e:
        raise APIError(422, ["body", "prompt"], str(e), "prompt_rows") from None
    if rows > MAX_ROWS:
        raise APIError(422, ["body", "prompt"], (
            f"the prompt asks for {rows:,} rows ({reading.evidence.get('rows')!r}); this API "
            f"serves at most {MAX_ROWS:,} per request: ask for fewer, set rows, or use the "
            "command line, which streams"), "prompt_rows")
    cells = rows * len(reading.columns)
    if cells > MAX_CELLS:
        raise APIError(422, ["body", "rows" if request.rows is not None else "prompt"], (
            f"{rows:,} rows x {len(reading.columns)} columns is {cells:,} cells; this API "
            f"serves at most {MAX_CELLS:,} per request: ask for at most "
            f"{MAX_CELLS // len(reading.columns):,} rows, or use the command line"),
            "too_many_cells")
    return rows, locale


_seen: dict[tuple[str, str], PromptReading | str] = {}  # (prompt, model) -> reading or refusal


def reading_or_refusal(prompt: str, model: str) -> PromptReading:
    """reading_for, or the 400 of a prompt that is not a dataset request; both remembered, in
    a dict the event loop can look into without running the model (at most 4,096 prompts)."""
    key = (prompt, model)
    if key not in _seen:
        try:
            found: PromptReading | str = reading_for(prompt, model)
        except NotADatasetRequest as e:
            found = str(e)
        if len(_seen) >= 4096:
            _seen.clear()
        _seen[key] = found
    found = _seen[key]
    if isinstance(found, str):
        raise APIError(400, ["body", "prompt"], found, "not_a_dataset_request")
    return found


@lru_cache(maxsize=4096)
def reading_for(prompt: str, model: str) -> PromptReading:
    """read_request, remembered: the model does not change while the server runs, so a prompt
    seen before skips the forward pass (a refusal raises, and is not remembered). The decoder
    answers only what the classifier reads as a dataset request: it would otherwise write a
    table for 'data' or a row of digits. Callers must not change what it returns."""
    if model != "classifier":
        reading_for(prompt, "classifier")  # raises NotADatasetRequest where the classifier does
    return read_request(prompt, model=model)


def table_columns(
    columns: list[str], rows: int, seed: int, locale: str, phone_format: str = "national",
    table: str | None = None,
) -> dict[str, object]:
    """The columns generate_dataframe would hold, as the generators make them, without the
    DataFrame: for a 100-row table, building one costs more than making the values. Same
    seeds and order as helpers.generate.generate_chunk, so the same values (tests hold it)."""
    columns = check_request(columns, rows, locale, phone_format)
    if rows > MAX_ROWS:  # one chunk (CHUNK_ROWS) is what this path reproduces
        raise ValueError(f"rows={rows:,}: table_columns serves at most {MAX_ROWS:,}")
    ctx = Context(rng=np.random.default_rng(seed), start=0, n=rows, locale=locale,
                  pools=pools(locale), options={"phone_format": phone_format})
    made = {}
    for column in generation_order(columns, table):
        spec, _ = column_spec(column, table)
        ctx.rng = np.random.default_rng(column_seed(seed, column, 0))
        made[column] = ctx.table[column] = GENERATORS[spec["kind"]](ctx, spec, column)
    return made


_encode_text = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring
_category_names: dict[int, tuple[object, list[str]]] = {}  # id(dtype) -> (dtype, its names)


def category_names(dtype: pd.CategoricalDtype) -> list[str]:
    """A categorical dtype's categories as a list, once per dtype (it lives in an lru_cache)."""
    held = _category_names.get(id(dtype))
    if held is None or held[0] is not dtype:  # the dtype is held, so its id is not reused
        if len(_category_names) > 1024:
            _category_names.clear()
        held = _category_names[id(dtype)] = (dtype, dtype.categories.tolist())
    return held[1]


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def json_values(values: object) -> list[str]:
    """One column as JSON text, value by value, written as records_json writes it: dates
    "2025-12-31" (a column that is all midnights), timestamps "2025-12-31T08:30:00", null for
    anything missing. Categories are read through their codes: numpy's conversion of a
    pandas categorical costs more than making the column."""
    if isinstance(values, pd.Categorical):
        names = [_encode_text(n) if isinstance(n, str) else json.dumps(n)
                 for n in category_names(values.dtype)]
        return [names[c] if c >= 0 else "null" for c in values.codes.tolist()]
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "M":
        unit = "D" if is_date_only(array) else "s"
        text = np.datetime_as_string(array, unit=unit).tolist()
        return ["null" if t == "NaT" else f'"{t}"' for t in text]
    if kind in "iu":
        return list(map(str, array.tolist()))
    if kind == "b":
        return ["true" if v else "false" for v in array.tolist()]
    if kind == "f":
        return ["null" if v != v else float.__repr__(v) for v in array.tolist()]
    return ["null" if missing(v) else _encode_text(v) if isinstance(v, str)
            else json.dumps(v.item() if isinstance(v, np.generic) else v, ensure_ascii=False)
            for v in array.tolist()]


def records(made: dict[str, object], columns: list[str]) -> list[dict]:
    """Rows as records (one dict per row), from the columns."""
    return json.loads(records_text(made, columns))


def records_text(made: dict[str, object], columns: list[str]) -> str:
    """Rows as a JSON array of records, as text, straight from the columns: each value is
    encoded once, and each row is one join (no dict per row, no second pass)."""
    keys = [_encode_text(c) + ": " for c in columns]
    values = [json_values(made[c]) for c in columns]
    rows = ("{" + ", ".join(map(str.__add__, keys, row)) + "}" for row in zip(*values, strict=True))
    return "[" + ", ".join(rows) + "]"


def header_value(text: str) -> str:
    """A header value that is always ASCII: printable ASCII as it is, anything else as an RFC
    8187 ext-value, "UTF-8''" then the UTF-8 bytes percent-encoded ('規模' -> %E8%A6%8F%E6%A8%A1).
    """
    if text.isascii() and text.isprintable():
        return text
    return "UTF-8''" + quote(text, safe="!#$&+-.^_`|~")  # RFC 8187 attr-char stays as it is


def read_header(value: str) -> str:
    """header_value undone: what a client does with X-Columns and X-Reading."""
    return unquote(value[7:], errors="strict") if value.startswith("UTF-8''") else value


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


def is_date_only(values: pd.Series | np.ndarray) -> bool:
    """No time of day anywhere in the column: it is written as plain dates."""
    instants = np.asarray(values)
    return bool((instants == instants.astype("datetime64[D]")).all())

