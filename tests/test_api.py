"""The HTTP API: every status code through TestClient, and one real uvicorn server."""

import csv
import io
import json
import urllib.error
import urllib.request

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from helpers import LOCALES, load_catalog  # noqa: E402
from helpers.api import app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(app) as c:  # runs the start-up, which loads the model
        yield c


def test_health_reports_the_model_loaded(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["model_loaded"] is True


def test_domains_is_the_catalog(client):
    domains = client.get("/domains").json()["domains"]
    assert {d["id"]: d["columns"] for d in domains} == load_catalog()


def test_generate_json(client):
    r = client.post("/generate", json={"prompt": "generate a hospital dataset", "rows": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["columns"] == load_catalog()["hospital"]
    assert len(body["rows"]) == 5 and set(body["rows"][0]) == set(body["columns"])
    again = client.post("/generate", json={"prompt": "generate a hospital dataset", "rows": 5})
    assert again.json() == body  # same seed (0 by default), same table


def test_generate_csv(client):
    r = client.post("/generate", json={"prompt": "hotel bookings", "rows": 3, "format": "csv",
                                       "seed": 7, "locale": "de_DE"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and list(rows[0]) == r.headers["x-columns"].split(",")
    assert r.headers["x-seed"] == "7"


def test_null_seed_is_random_and_reported(client):
    body = client.post("/generate", json={"prompt": "a bank table", "seed": None}).json()
    assert isinstance(body["seed"], int)


def test_decoder_model(client):
    r = client.post("/generate", json={"prompt": "hotel bookings plus a rating",
                                       "model": "decoder", "rows": 2})
    assert r.status_code == 200 and "rating" in r.json()["columns"]


def test_not_a_dataset_request_is_400(client):
    r = client.post("/generate", json={"prompt": "tell me a joke"})
    assert r.status_code == 400
    assert "does not look like a request" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("payload, field", [
    ({"prompt": ""}, "prompt"),
    ({"prompt": "   "}, "prompt"),
    ({"prompt": "x" * 501}, "prompt"),
    ({"prompt": "a bank table", "rows": 0}, "rows"),
    ({"prompt": "a bank table", "rows": 10_001}, "rows"),
    ({"prompt": "a bank table", "rows": "many"}, "rows"),
    ({"prompt": "a bank table", "locale": "xx_XX"}, "locale"),
    ({"prompt": "a bank table", "format": "xml"}, "format"),
    ({"prompt": "a bank table", "seed": -1}, "seed"),
    ({"rows": 5}, "prompt"),
])
def test_invalid_input_is_422_naming_the_field(client, payload, field):
    r = client.post("/generate", json=payload)
    assert r.status_code == 422
    assert field in [e["loc"][-1] for e in r.json()["detail"]]


def test_not_json_is_422(client):
    r = client.post("/generate", content=b"prompt=hospital",
                    headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/generate" in client.get("/openapi.json").json()["paths"]


def test_a_real_server_on_localhost(api_server):
    base = f"http://127.0.0.1:{api_server[0]}"
    with urllib.request.urlopen(f"{base}/health", timeout=10) as r:
        assert json.load(r)["model_loaded"] is True
    request = urllib.request.Request(
        f"{base}/generate", data=json.dumps({"prompt": "a bank table", "rows": 4}).encode(),
        headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200 and len(json.load(r)["rows"]) == 4
    bad = urllib.request.Request(f"{base}/generate", data=b'{"prompt": "hello there"}',
                                 headers={"content-type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=30)
    assert refused.value.code == 400


def test_dates_are_plain_iso_strings(client):
    body = client.post("/generate", json={"prompt": "generate a hospital dataset",
                                          "rows": 2}).json()
    assert len(body["rows"][0]["date_of_birth"]) == 10  # '2000-01-06', no time part


def test_json_rows_write_dates_and_timestamps(client):
    from helpers.api import records_json
    from helpers.generate import generate_dataframe

    body = client.post("/generate", json={"prompt": "hotel bookings", "rows": 3}).json()
    assert all(len(row["check_in"]) == 10 for row in body["rows"])  # '2024-10-25'
    mixed = generate_dataframe(["check_in", "created_at"], rows=200, seed=0)
    rows = json.loads(records_json(mixed))
    assert all(len(r["check_in"]) == 10 and len(r["created_at"]) == 19 for r in rows)
    assert rows[0]["created_at"][10] == "T"
    midnight = mixed.copy()
    midnight.loc[1:, "created_at"] = midnight.loc[1:, "created_at"].dt.normalize()
    rows = json.loads(records_json(midnight))  # a timestamp at 00:00 keeps its time ...
    assert rows[1]["created_at"].endswith("T00:00:00") and len(rows[1]["check_in"]) == 10
    midnight.loc[0, "created_at"] = midnight.loc[0, "created_at"].normalize()
    assert len(json.loads(records_json(midnight))[0]["created_at"]) == 10  # ... unless all do
    assert len(json.loads(records_json(mixed[["created_at"]]))[0]["created_at"]) == 19


def test_phone_format_field(client):
    import phonenumbers

    body = client.post("/generate", json={"prompt": "a list of customers with phone numbers",
                                          "rows": 5, "phone_format": "e164",
                                          "locale": "fr_FR"}).json()
    assert "phone" in body["columns"]
    for row in body["rows"]:
        assert row["phone"].startswith("+33")
        assert phonenumbers.is_valid_number(phonenumbers.parse(row["phone"], None))
    bad = client.post("/generate", json={"prompt": "a bank table", "phone_format": "intl"})
    assert bad.status_code == 422 and "phone_format" in bad.text


def test_start_up_builds_every_locale_pool(client):
    """After start-up a request never waits for Faker: every locale's pools already exist."""
    from helpers import pools

    assert set(pools._built) == set(pools.load_locales())


def test_a_repeated_prompt_skips_the_model(client, monkeypatch):
    from helpers import api_readings

    prompt = "a table of hotel bookings, for the cache test"
    first = client.post("/generate", json={"prompt": prompt, "seed": 1}).json()

    def refuse(*args, **kwargs):
        raise AssertionError("the model ran again for a prompt it has seen")

    monkeypatch.setattr(api_readings, "read_request", refuse)
    second = client.post("/generate", json={"prompt": prompt, "seed": 2}).json()
    assert second["columns"] == first["columns"] and second["rows"] != first["rows"]


def test_the_response_carries_the_reading(client):
    body = client.post("/generate", json={"prompt": "generate 50 German customers"}).json()
    assert len(body["rows"]) == 50 and body["locale"] == "de_DE"
    reading = body["reading"]
    assert (reading["rows"], reading["locale"], reading["table"]) == (50, "de_DE", "customers")
    assert reading["evidence"] == {"rows": "50", "locale": "German"}
    assert ["German", "B-LOC"] in reading["tags"]


def test_request_fields_override_the_reading(client):
    body = client.post("/generate", json={"prompt": "generate 50 German customers", "rows": 2,
                                          "locale": "ja_JP"}).json()
    assert len(body["rows"]) == 2 and body["locale"] == "ja_JP"
    assert body["reading"]["rows"] == 50  # what the prompt said, still reported


@pytest.mark.parametrize("prompt, words", [
    ("generate 50,000 customers", ["50,000", "10,000"]),
    ("0 rows of customers", ["0 rows"]),
])
def test_a_stated_count_the_api_cannot_serve_is_422_naming_it(client, prompt, words):
    r = client.post("/generate", json={"prompt": prompt})
    assert r.status_code == 422
    error = r.json()["detail"][0]
    assert error["loc"] == ["body", "prompt"] and all(w in error["msg"] for w in words)


def post_raw(client, body: bytes | str, content_type: str = "application/json"):
    data = body.encode() if isinstance(body, str) else body
    return client.post("/generate", content=data, headers={"content-type": content_type})


def assert_error_shape(response, status: int) -> dict:
    """The one error shape: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}."""
    from helpers.api import ErrorBody

    assert response.status_code == status and response.headers["content-type"].startswith(
        "application/json")
    body = ErrorBody.model_validate_json(response.content)
    assert len(body.detail) >= 1 and all(e.msg and e.type for e in body.detail)
    return body.detail[0].model_dump()


@pytest.mark.parametrize("rows", ["NaN", "1e400", "-Infinity", "Infinity", "1e-400"])
def test_non_finite_numbers_are_422_not_500(client, rows):
    r = post_raw(client, f'{{"prompt": "a bank table", "rows": {rows}}}')
    error = assert_error_shape(r, 422)
    assert error["loc"] == ["body", "rows"]


def test_a_lone_surrogate_is_422_not_500(client):
    r = post_raw(client, '{"prompt": "a bank table \\ud800"}')
    assert assert_error_shape(r, 422)["type"] == "json_invalid"
    assert len(r.content) < 400


@pytest.mark.parametrize("prompt", ["a list of customers with their 電話",
                                    "customers and 規模 and their 電話 and 名前",
                                    "clients avec leur numéro de téléphone"])
def test_csv_headers_carry_any_script(client, prompt):
    """X-Columns and X-Reading are ASCII on the wire (RFC 8187 ext-values where the text is
    not), and decode to the CSV's own header row."""
    from helpers.api import read_header

    r = client.post("/generate", json={"prompt": prompt, "rows": 2, "format": "csv"})
    assert r.status_code == 200
    raw = {k: r.headers[k] for k in ("x-columns", "x-reading")}
    assert all(v.isascii() for v in raw.values())
    header_row = next(csv.reader(io.StringIO(r.text)))
    assert read_header(raw["x-columns"]).split(",") == header_row
    assert read_header(raw["x-reading"]).startswith("read:")
    if not all(c.isascii() for c in header_row):
        assert raw["x-columns"].startswith("UTF-8''")


def test_header_value_round_trips():
    from helpers.api import header_value, read_header

    for text in ["patient_id,name", "read: 50 rows, de_DE, +phone", "規模,電話", "a%b\nc"]:
        assert header_value(text).isascii() and read_header(header_value(text)) == text
    assert header_value("patient_id,name") == "patient_id,name"  # ASCII stays as it was
    assert header_value("規模") == "UTF-8''%E8%A6%8F%E6%A8%A1"


def test_a_1_mb_prompt_is_413_without_echo(client):
    r = post_raw(client, '{"prompt": "' + "x" * 1_000_000 + '"}')
    error = assert_error_shape(r, 413)
    assert error["type"] == "body_too_large" and len(r.content) < 500


def test_a_long_prompt_under_the_body_limit_is_422_without_echo(client):
    r = post_raw(client, '{"prompt": "' + "x" * 5_000 + '"}')
    error = assert_error_shape(r, 422)
    assert error["loc"] == ["body", "prompt"] and len(r.content) < 500


def test_an_unknown_field_is_422_naming_it_briefly(client):
    r = post_raw(client, '{"prompt": "a bank table", "' + "k" * 10_000 + '": 1}')
    error = assert_error_shape(r, 422)
    assert error["type"] == "extra_forbidden" and len(r.content) < 1_000


@pytest.mark.parametrize("field, value", [
    ("seed", "false"), ("seed", "true"), ("seed", '"3"'), ("seed", "1.0"), ("seed", "-1"),
    ("seed", str(2**53)), ("rows", '"5"'), ("rows", "true"), ("rows", "2.0"), ("rows", "2.5"),
    ("rows", "[5]"), ("locale", '""'), ("locale", '"de"'), ("format", '"CSV"'),
    ("model", '"gpt"'), ("phone_format", "null"), ("prompt", "5"), ("prompt", "null"),
])
def test_strict_types(client, field, value):
    body = f'{{"prompt": "a bank table", "{field}": {value}}}' if field != "prompt" else \
        f'{{"prompt": {value}}}'
    error = assert_error_shape(post_raw(client, body), 422)
    assert error["loc"] == ["body", field]


@pytest.mark.parametrize("prompt", ["data", "9" * 400, "\U0001F600" * 500, "hello there"])
def test_the_decoder_refuses_what_the_classifier_refuses(client, prompt):
    for model in ("classifier", "decoder"):
        r = client.post("/generate", json={"prompt": prompt, "model": model})
        assert assert_error_shape(r, 400)["type"] == "not_a_dataset_request"


def test_rows_times_columns_is_capped(client):
    from helpers.api import MAX_CELLS

    prompt = "a hospital dataset with email, phone, address, city, country and salary"
    r = client.post("/generate", json={"prompt": prompt, "rows": 10_000})
    error = assert_error_shape(r, 422)
    assert error["type"] == "too_many_cells" and f"{MAX_CELLS:,}" in error["msg"]
    assert client.post("/generate", json={"prompt": prompt, "rows": 6_000}).status_code == 200


def test_other_statuses_have_the_one_shape(client):
    assert_error_shape(post_raw(client, "prompt=x", "text/plain"), 415)
    assert_error_shape(post_raw(client, "not json"), 422)
    assert_error_shape(client.get("/no/such/page"), 404)
    assert_error_shape(client.put("/generate"), 405)


def test_every_status_is_declared_with_the_error_shape(client):
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/generate"]["post"]["responses"]
    assert set(responses) == {"200", "400", "413", "415", "422", "500"}
    for status in ("400", "413", "415", "422", "500"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorBody")
    assert set(responses["200"]["content"]) == {"application/json", "text/csv"}
    body = spec["paths"]["/generate"]["post"]["requestBody"]["content"]["application/json"]
    fields = body["schema"]["properties"]
    locales = fields["locale"]["anyOf"][0]["enum"]
    assert locales == list(LOCALES) and locales[:5] == ["en_US", "de_DE", "fr_FR", "es_ES", "ja_JP"]
    assert len(locales) == 16 and locales[-1] == "zh_CN"  # data/locales.json's, in its order
    assert fields["format"]["enum"] == ["json", "csv"]
    assert fields["model"]["enum"] == ["classifier", "decoder"]
    assert body["schema"]["additionalProperties"] is False


def test_the_json_table_equals_the_dataframe_path():
    """The request path builds its JSON from the generated columns, without a DataFrame: it
    must be the very table generate_dataframe makes, for every catalog table."""
    from helpers.api import records, table_columns
    from helpers.generate import generate_dataframe

    for table, columns in load_catalog().items():
        for locale, seed, phones in (("en_US", 0, "national"), ("ja_JP", 5, "e164"),
                                     ("de_DE", 9, "national")):
            fast = records(table_columns(columns, 23, seed, locale, phones, table), columns)
            frame = generate_dataframe(columns, 23, seed, locale, phones, table)
            assert json.loads(json.dumps(fast)) == json.loads(records_json_of(frame)), table


def records_json_of(frame):
    from helpers.api import records_json

    return records_json(frame)


PUBLIC = ["MAX_ROWS", "MAX_CELLS", "MAX_PROMPT_CHARS", "MAX_BODY_BYTES", "MAX_SEED", "INLINE_CELLS",
          "HEAVY", "MSG_CHARS", "Locale", "GenerateRequest", "Reading", "GenerateResponse",
          "ErrorItem", "ErrorBody", "APIError", "clip", "error_response", "FRIENDLY",
          "validation_items", "BodyLimit", "lifespan", "app", "api_error", "http_error",
          "request_validation_error", "server_error", "health", "domains", "text_header",
          "ERRORS", "GENERATE_RESPONSES", "REQUEST_BODY", "generate", "answer", "json_head",
          "settle", "reading_or_refusal", "reading_for", "table_columns", "category_names",
          "missing", "json_values", "records", "records_text", "header_value", "read_header",
          "records_json", "is_date_only"]  # what helpers/api.py defined before the split


def test_every_public_name_stays_importable_from_helpers_api():
    from helpers import api, api_contract, api_encoding, api_readings

    assert [n for n in PUBLIC if not hasattr(api, n)] == []
    for module in (api_contract, api_encoding, api_readings):  # one object, wherever it is read
        assert all(getattr(api, n) is getattr(module, n) for n in PUBLIC if hasattr(module, n))


def test_category_json_is_made_once_per_dtype():
    """A categorical's JSON text is worked out once per dtype (helpers.specs.once), "null"
    last for a missing value."""
    import pandas as pd

    from helpers.api_encoding import category_json, json_values

    dtype = pd.CategoricalDtype(["a", 'say "hi"', "ü"])
    first = category_json(dtype)
    assert first == ['"a"', '"say \\"hi\\""', '"ü"', "null"]
    assert category_json(dtype) is first
    assert json_values(pd.Categorical(["ü", None, "a"], dtype=dtype)) == ['"ü"', "null", '"a"']


@pytest.mark.parametrize("values, unit, expected", [
    (["1969-12-31T23:59:59", "2025-01-01T08:30:00", "0001-01-01T00:00:01"], "s",
     ["1969-12-31T23:59:59", "2025-01-01T08:30:00", "0001-01-01T00:00:01"]),
    (["1969-12-31T00:00:00", "2025-01-01T00:00:00"], "s", ["1969-12-31", "2025-01-01"]),
    (["0999-03-04", "9999-12-31", "1970-01-01"], "D", ["0999-03-04", "9999-12-31", "1970-01-01"]),
    (["2020-01-01T10:00:00.5"], "ms", ["2020-01-01T10:00:00"]),  # numpy's path: other units
])
def test_instants_are_written_as_iso_text(values, unit, expected):
    """The remembered days and times give what numpy's datetime_as_string gives: before 1970
    (a negative count), years below 1000, midnights alone as dates."""
    import numpy as np

    from helpers.api import json_values

    assert json_values(np.array(values, dtype=f"datetime64[{unit}]")) == [f'"{e}"'
                                                                          for e in expected]


def test_the_route_answers_as_the_fast_path_does(client):
    """POST /generate is answered by GenerateFastPath; FastAPI's route, which /openapi.json
    describes, gives the same bytes for the same request."""
    import anyio
    from starlette.requests import Request

    from helpers.api import generate

    body = json.dumps({"prompt": "generate a hospital dataset", "rows": 7, "seed": 3}).encode()

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request({"type": "http", "method": "POST", "path": "/generate",
                       "headers": [(b"content-type", b"application/json")]}, receive)
    routed = anyio.run(generate, request)
    fast = client.post("/generate", content=body, headers={"content-type": "application/json"})
    assert routed.status_code == fast.status_code == 200 and routed.body == fast.content


def test_a_city_the_prompt_names_is_every_rows_city_in_json_and_csv(client):
    """The command line used 'from Berlin' for every row; the API used to draw any city."""
    body = {"prompt": "customers from Berlin", "rows": 30, "seed": 4}
    rows = client.post("/generate", json=body).json()["rows"]
    assert {r["city"] for r in rows} == {"Berlin"}
    text = client.post("/generate", json={**body, "format": "csv"}).text
    assert {r["city"] for r in csv.DictReader(io.StringIO(text))} == {"Berlin"}
