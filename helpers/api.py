"""HTTP API over the pipeline. Start it with `make serve`, or:

    python -m uvicorn helpers.api:app --host 127.0.0.1 --port 8000

POST /generate   {"prompt": "...", "rows": 10, "seed": 0, "locale": "en_US", "format": "json",
                  "phone_format": "national"}; rows and locale are optional: without them the
                  prompt says ("50 German customers"), else 10 and en_US
POST /tables     {"sql": "CREATE TABLE ..."} or {"prompt": "50 customers and their 200 orders"}
                  (or "spec", "json_schema", "csv"): several linked tables (helpers.api_tables)
GET  /health     is it up, and is the model loaded
GET  /domains    the catalog: every table the model knows
GET  /docs       interactive OpenAPI documentation

Every answer keeps its word: each status it can give is in /openapi.json, and every error, of
any status, has one shape: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}. A request
is bounded before any work: at most MAX_BODY_BYTES of body (413, read no further), a prompt of
at most MAX_PROMPT_CHARS, at most MAX_CELLS rows x columns. Numbers are strict JSON integers
(no true, "5", 2.0, NaN or Infinity), and a lone surrogate makes the body invalid JSON: 422.
Large tables are made in a worker thread, so /health answers while they are.

This module is the HTTP layer (the app, its routes, the body limit); POST /generate's work
(its fast path, where a table is made, the answer) is helpers.api_generate, the contract
helpers.api_contract, the remembered readings helpers.api_readings, and the table's bytes
helpers.api_encoding. Every name they define stays importable from here.
"""

from __future__ import annotations

import gc
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
import torch
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from helpers import __version__
from helpers.api_contract import (  # noqa: F401  (re-exported: helpers.api.<name> as before)
    ERRORS,
    FRIENDLY,
    GENERATE_RESPONSES,
    MAX_BODY_BYTES,
    MAX_CELLS,
    MAX_PROMPT_CHARS,
    MAX_ROWS,
    MAX_SEED,
    MSG_CHARS,
    REQUEST_BODY,
    APIError,
    ErrorBody,
    ErrorItem,
    GenerateRequest,
    GenerateResponse,
    Locale,
    Reading,
    clip,
    error_response,
    settle,
    text_header,
    validation_items,
)
from helpers.api_encoding import (  # noqa: F401  (re-exported)
    category_names,
    day_times,
    header_value,
    is_date_only,
    json_values,
    missing,
    read_header,
    records,
    records_json,
    records_text,
    table_columns,
)
from helpers.api_generate import (  # noqa: F401  (re-exported)
    HEAVY,
    INLINE_CELLS,
    GenerateFastPath,
    answer,
    generate_response,
    json_only,
)
from helpers.api_readings import json_head, reading_for, reading_or_refusal, seen  # noqa: F401
from helpers.api_tables import (
    TABLES_BODY,
    TABLES_RESPONSES,
    TablesRequest,
    TablesResponse,
    tables_answer,
)
from helpers.catalog import load_domains
from helpers.generate import warm_pools
from helpers.pipeline import MODELS
from helpers.predict import load_model


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
        """The 413, with the connection closed: the rest of the body is never read."""
        response = error_response(413, [{
            "loc": ["body"], "type": "body_too_large",
            "msg": f"the body is over {self.limit:,} bytes: a request is a prompt and a few "
                   "fields; larger tables come from the command line"}])
        response.headers["connection"] = "close"
        await response(scope, receive, send)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the model and every locale's pools before the first request, one torch thread."""
    load_model()  # once, at start-up: the first request should not pay for it,
    warm_pools()  # nor for Faker's word lists; after this a request takes no lock
    day_times()  # nor for writing the times of day of its timestamps
    # What start-up built (the model, torch, pandas, every pool: some 270,000 objects) lives
    # as long as the server; frozen, the garbage collector stops walking it. Unfrozen, one
    # full collection took 0.6 s in 3,000 requests, and every request in flight waited.
    gc.freeze()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one prompt is too small to split; the cores serve requests
    yield
    gc.unfreeze()  # (a test's app starts and stops many times in one process)
    torch.set_num_threads(threads)


app = FastAPI(title="Tiny Schema Transformer", version=__version__, lifespan=lifespan,
              description="Prompt in, fake table out: the model of the notebook series. Every "
                          "error, of any status, has the ErrorBody shape.")


@app.exception_handler(APIError)
async def api_error(request: Request, e: APIError) -> Response:
    """A refusal raised anywhere in a request, in the one shape."""
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
    """FastAPI's own validation errors (query or path), in the one shape."""
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


@app.post("/generate", response_model=GenerateResponse, responses=GENERATE_RESPONSES,
          openapi_extra=REQUEST_BODY)
async def generate(request: Request) -> Response:
    """Predict the prompt's columns and fill `rows` rows; JSON records or a CSV body.

    Served by GenerateFastPath below, without FastAPI's routing; this route is what
    /openapi.json declares, and answers alike where the fast path does not apply."""
    # (The docstring is /openapi.json's description, which seeds test_api_schema's cases:
    # GenerateFastPath is helpers.api_generate's, mounted just below.)
    return await generate_response(request.headers.get("content-type"), await request.body())


app.add_middleware(GenerateFastPath)  # inside BodyLimit, which is added (outside it) below
app.add_middleware(BodyLimit)


@app.post("/tables", response_model=TablesResponse, responses=TABLES_RESPONSES,
          openapi_extra=TABLES_BODY)
async def tables(request: Request) -> Response:
    """Several linked tables from a spec, CREATE TABLE statements, a JSON Schema, a CSV header
    or a prompt: read, sized against the limits, then made in a worker thread."""
    json_only(request.headers.get("content-type"))
    try:
        ask = TablesRequest.model_validate_json(await request.body())
    except ValidationError as e:
        return error_response(422, validation_items(e))
    seed = secrets.randbelow(2**31) if ask.seed is None else ask.seed
    return await anyio.to_thread.run_sync(tables_answer, ask, seed, limiter=HEAVY)
