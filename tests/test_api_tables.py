"""POST /tables: several linked tables from a prompt, a spec, SQL, a JSON Schema or a CSV."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers.api import app

HR = (Path(__file__).parent / "schemas" / "hr.sql").read_text()


@pytest.fixture(scope="module")
def client():
    with TestClient(app) as c:
        yield c


def test_a_prompt_gives_two_linked_tables(client):
    r = client.post("/tables", json={"prompt": "50 customers and their 200 orders", "seed": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["reading"].startswith("read: 2 linked tables, customers (50 rows) and orders "
                                      "(200 rows)")
    customers, orders = body["tables"]["customers"], body["tables"]["orders"]
    assert len(customers) == 50 and len(orders) == 200
    assert {o["customer_id"] for o in orders} <= {c["customer_id"] for c in customers}
    assert list(body["tables"]) == ["customers", "orders"]  # parents first


def test_sql_gives_every_table_with_its_keys(client):
    body = client.post("/tables", json={"sql": HR, "rows": 30, "seed": 1}).json()
    tables = body["tables"]
    assert {n: len(t) for n, t in tables.items()} == {"departments": 30, "jobs": 30,
                                                      "employees": 30}
    employees = tables["employees"]
    assert employees[0]["manager_id"] is None
    assert {e["job_id"] for e in employees} <= {j["job_id"] for j in tables["jobs"]}
    # DECIMAL(2, 2) and the type word "pct": a share below 1, not a column without a clue
    shares = [e["commission_pct"] for e in employees if e["commission_pct"] is not None]
    assert shares and all(0 <= x <= 0.99 for x in shares)
    assert not any("commission_pct" in w for w in body["warnings"])
    sql = "CREATE TABLE t (id INT PRIMARY KEY, zumeka TEXT)"
    unclear = client.post("/tables", json={"sql": sql, "rows": 5})
    assert any("zumeka" in w for w in unclear.json()["warnings"])  # filled by its type, and said
    again = client.post("/tables", json={"sql": HR, "rows": 30, "seed": 1}).json()
    assert again == body


def test_a_spec_json_schema_and_csv_are_sources_too(client):
    spec = client.post("/tables", json={"sql": HR, "rows": 5}).json()["spec"]
    assert client.post("/tables", json={"spec": spec, "rows": 5}).json()["spec"] == spec
    schema = {"title": "people", "type": "object",
              "properties": {"email": {"type": "string", "format": "email"},
                             "age": {"type": "integer", "minimum": 18, "maximum": 30}}}
    people = client.post("/tables", json={"json_schema": schema, "rows": 40}).json()["tables"]
    assert all(18 <= p["age"] <= 30 and "@" in p["email"] for p in people["people"])
    rows = client.post("/tables", json={"csv": "city,plan\n"}).json()["tables"]["records"]
    assert len(rows) == 10 and set(rows[0]) == {"city", "plan"}


@pytest.mark.parametrize("body, status, loc, kind", [
    ({}, 422, ["body"], "one_source"),
    ({"prompt": "a bank table", "csv": "a,b\n"}, 422, ["body"], "one_source"),
    ({"sql": "CREATE TABLE a (b FOOBAR);"}, 422, ["body", "sql"], "invalid_spec"),
    ({"json_schema": {"type": "array"}}, 422, ["body", "json_schema"], "invalid_spec"),
    ({"spec": {"tables": [{"name": "t", "columns": [{"name": "x", "kind": "choice"}]}]}},
     422, ["body", "spec"], "invalid_spec"),
    ({"prompt": "tell me a joke"}, 400, ["body", "prompt"], "not_a_dataset_request"),
    ({"csv": "a,b,c,d,e,f,g,h,i,j,k\n", "rows": 10_000}, 422, ["body", "csv"],
     "too_many_cells"),
    ({"sql": "CREATE TABLE a (id INT PRIMARY KEY);", "rows": 10_001}, 422, ["body", "rows"],
     "less_than_equal"),
    ({"spec": {"tables": [  # refused before a parent-sized array is made
        {"name": "p", "rows": 10**13, "primary_key": ["id"],
         "columns": [{"name": "id", "type": "integer", "kind": "int"}]},
        {"name": "c", "primary_key": ["id"],
         "columns": [{"name": "id", "type": "integer", "kind": "int"},
                     {"name": "p_id", "type": "integer", "kind": "int"}],
         "foreign_keys": [{"column": "p_id", "table": "p", "ref": "id",
                           "cardinality": {"kind": "uniform", "low": 1, "high": 3}}]}]}},
     422, ["body", "spec"], "too_many_cells"),
])
def test_refusals_name_the_field(client, body, status, loc, kind):
    r = client.post("/tables", json=body)
    assert r.status_code == status
    error = r.json()["detail"][0]
    assert error["loc"] == loc and error["type"] == kind


def test_the_schema_publishes_the_route(client):
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/tables"]["post"]
    request = post["requestBody"]["content"]["application/json"]["schema"]
    assert len(request["oneOf"]) == 5 and request["additionalProperties"] is False
    assert "ErrorBody" in json.dumps(post["responses"]["422"])
