"""POST /generate's work, from a request's content-type and body to the bytes of its answer:
the body read and validated, the prompt read (or remembered), the table made on the event
loop or, when large, in a worker thread, and written as JSON or CSV. GenerateFastPath serves
it without FastAPI's routing; helpers.api declares the route and mounts the fast path.

Every name here stays importable from helpers.api.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import anyio
from fastapi.responses import Response
from pydantic import ValidationError

from helpers.api_contract import (
    APIError,
    GenerateRequest,
    error_response,
    settle,
    validation_items,
)
from helpers.api_encoding import header_value, records_text, table_columns
from helpers.api_readings import json_head, reading_or_refusal, seen
from helpers.generate import generate_dataframe
from helpers.pipeline import named_city
from helpers.slots import PromptReading

INLINE_CELLS = 5_000  # up to this (a 100-row table is about 1,000) a table is made on the loop
HEAVY = anyio.CapacityLimiter(2)  # large tables made at once; more wait their turn, not the loop


def json_only(content_type: str | None) -> None:
    """A 415 unless the body is sent as JSON (the request's content-type header)."""
    kind = (content_type or "application/json").split(";")[0].strip().lower()
    if not (kind == "application/json" or kind.endswith("+json")):
        raise APIError(415, ["header", "content-type"],
                       f"send the request as JSON (content-type application/json), not {kind!r}",
                       "unsupported_media_type")


async def generate_response(content_type: str | None, body: bytes) -> Response:
    """POST /generate from its content-type and body; a refusal raises APIError.

    The body is parsed and validated here, by pydantic in one pass, so that every refusal has
    the one error shape. A small table (the usual 100 rows) is made on the event loop, where it
    takes a millisecond or two; a large one, or a prompt the model has not read yet, in a
    worker thread, so that /health and small requests are answered meanwhile."""
    json_only(content_type)
    try:
        ask = GenerateRequest.model_validate_json(body)
    except ValidationError as e:
        return error_response(422, validation_items(e))
    seed = secrets.randbelow(2**31) if ask.seed is None else ask.seed
    if not seen(ask.prompt, ask.model):  # a forward pass, or the decoder's many
        reading = await anyio.to_thread.run_sync(reading_or_refusal, ask.prompt, ask.model,
                                                 limiter=HEAVY)
    else:
        reading = reading_or_refusal(ask.prompt, ask.model)
    rows, locale = settle(reading, ask)
    if rows * len(reading.columns) <= INLINE_CELLS:
        return answer(ask, reading, rows, locale, seed)
    return await anyio.to_thread.run_sync(answer, ask, reading, rows, locale, seed,
                                          limiter=HEAVY)


class GenerateFastPath:
    """ASGI middleware: POST /generate answered by generate_response directly. FastAPI's
    routing, dependency solving and exception middleware cost about a millisecond a request,
    as much as making a 100-row table's values; other paths and methods go to the app."""

    def __init__(self, app: Callable):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["path"] != "/generate" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        content_type = next((v.decode("latin-1") for k, v in scope["headers"]
                             if k == b"content-type"), None)
        chunks, more = [], True
        while more:  # BodyLimit has read and counted it: one message, as a rule
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        try:
            response = await generate_response(content_type, b"".join(chunks))
        except APIError as e:  # anything else reaches the 500 handler, as from the route
            response = error_response(e.status, e.items)
        await response(scope, receive, send)


def answer(ask: GenerateRequest, reading: PromptReading, rows: int, locale: str,
           seed: int) -> Response:
    """The 200: a CSV body, or the JSON document built straight from the generated columns."""
    columns, city = list(reading.columns), named_city(reading, locale)  # from Berlin: Berlin
    if ask.format == "csv":
        table = generate_dataframe(columns, rows, seed, locale, ask.phone_format, reading.table,
                                   city)
        return Response(table.to_csv(index=False), media_type="text/csv",
                        headers={"X-Columns": header_value(",".join(columns)),
                                 "X-Seed": str(seed), "X-Reading": header_value(reading.summary())})
    made = table_columns(columns, rows, seed, locale, ask.phone_format, reading.table, city)
    prompt_model, columns_reading = json_head(ask.prompt, ask.model)
    # Keys in GenerateResponse's order; what depends only on the prompt is written once.
    return Response(f'{prompt_model}, "seed": {seed}, "locale": "{locale}", {columns_reading}, '
                    f'"rows": {records_text(made, columns)}}}',
                    media_type="application/json")
