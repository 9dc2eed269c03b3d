"""The API's contract: what a request may hold, the limits, and the one shape of every error.

Everything here is what /openapi.json publishes: the request and response models, the statuses
POST /generate can answer and the body each has. helpers.api serves it over HTTP.
"""

from __future__ import annotations

import json
from typing import Literal

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from helpers.generate import LOCALES, PHONE_FORMATS
from helpers.pipeline import MODELS, rows_and_locale
from helpers.slots import PromptReading

MAX_ROWS = 10_000  # per request: larger tables belong to the command line, which streams
MAX_CELLS = 100_000  # rows x columns per request: 10,000 rows of 10 columns, 5,000 of 20
MAX_PROMPT_CHARS = 500  # the model reads far fewer words than this
# At least one character that is not a space, in Python's regular expressions (which check it)
# and in JSON Schema's (ECMA-262, which clients read) alike: their \s differ on \x1c-\x1f and
# \x85 (spaces to Python) and \ufeff (a space to ECMA), so the class names the union.
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
MAX_BODY_BYTES = 16_384  # a valid request is under 7 KB even with every character escaped
MAX_SEED = 2**53 - 1  # the largest integer every JSON client holds exactly
MSG_CHARS = 300  # an error message or a field name is cut here: errors never echo a big input

Locale = Literal[tuple(LOCALES)]  # type: ignore[valid-type]


class GenerateRequest(BaseModel):
    """What to generate; every field is checked before any work is done."""

    model_config = ConfigDict(strict=True, extra="forbid", regex_engine="python-re")

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS, pattern=NOT_BLANK,
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
    notes: list[str] = Field([], description=(
        "what the prompt says that the table does not do, one line each: a value limit "
        "('under $5'), a second place, a word for whole records"))


class GenerateResponse(BaseModel):
    """The JSON answer of POST /generate: the request as settled, the reading, the rows."""

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


def text_header(description: str) -> dict:
    """An OpenAPI response header whose value is a string."""
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
