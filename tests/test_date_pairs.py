"""Dates keep their order in a row (data/generators.json's date_order rules), whatever front-end
named the columns, and check_table's date_order rule finds the rows that do not."""

import pandas as pd
import pytest

from helpers.generate import generate_dataframe
from helpers.linked import generate_tables
from helpers.plausibility import check_table
from helpers.spec_jsonschema import spec_from_json_schema
from helpers.spec_sql import spec_from_sql

PAIRS = [  # (columns, later, earlier): pairs a prompt adds to a catalog table or names alone
    (["employee_id", "name", "hire_date", "termination_date", "salary"],
     "termination_date", "hire_date"),
    (["event_name", "start_time", "end_time"], "end_time", "start_time"),
    (["vin", "make", "pickup_date", "return_date"], "return_date", "pickup_date"),
    (["name", "enrollment_date", "graduation_date"], "graduation_date", "enrollment_date"),
    (["invoice_number", "issue_date", "due_date", "paid_date"], "paid_date", "issue_date"),
    (["name", "age", "date_of_birth", "retirement_date", "hire_date"],
     "retirement_date", "hire_date"),
    (["name", "born", "died"], "died", "born"),
]


@pytest.mark.parametrize(("columns", "later", "earlier"), PAIRS)
def test_generated_pairs_keep_their_order_and_check_agrees(columns, later, earlier):
    df = generate_dataframe(columns, rows=300, seed=3)
    first, then = pd.to_datetime(df[earlier]), pd.to_datetime(df[later])
    assert (then >= first).all(), f"{later} before {earlier}"
    report = check_table(df)
    assert f"{later} >= {earlier}" in {f.columns for f in report.findings}
    assert report.violations["date_order"] == 0


def test_check_finds_dates_out_of_order_in_any_table():
    df = pd.DataFrame({"pickup_date": ["2024-01-10", "2024-01-10"],
                       "return_date": ["2024-01-12", "2024-01-02"]})
    finding = next(f for f in check_table(df).findings if f.rule == "date_order")
    assert (finding.columns, finding.violations) == ("return_date >= pickup_date", 1)


def test_catalog_pairs_are_unchanged():
    # the catalog already orders check_out after check_in: its spec and output stay its own
    from helpers.generate import table_specs

    assert table_specs(["check_in", "check_out"])["check_out"]["low"] == 1
    assert table_specs(["hire_date", "date_of_birth"])["hire_date"]["kind"] == "date"


def test_sql_timestamps_and_dates_keep_their_order():
    spec = spec_from_sql("CREATE TABLE accounts (id INT PRIMARY KEY, created_at TIMESTAMP, "
                         "updated_at TIMESTAMP, deleted_at TIMESTAMP, valid_from DATE, "
                         "valid_to DATE)")
    t = generate_tables(spec, seed=1, default_rows=1000)["accounts"]
    for later, earlier in [("updated_at", "created_at"), ("deleted_at", "updated_at"),
                           ("deleted_at", "created_at"), ("valid_to", "valid_from")]:
        assert (pd.to_datetime(t[later]) >= pd.to_datetime(t[earlier])).all(), later
    assert str(pd.to_datetime(t["valid_to"]).dt.time.max()) == "00:00:00"  # DATE stays a day
    assert check_table(t).violations["date_order"] == 0


def test_json_schema_shipped_after_created():
    schema = {"title": "order", "type": "object", "properties": {
        "createdAt": {"type": "string", "format": "date-time"},
        "shippedAt": {"type": "string", "format": "date-time"}}}
    t = generate_tables(spec_from_json_schema(schema), seed=2, default_rows=2000)["order"]
    assert (pd.to_datetime(t["shipped_at"]) >= pd.to_datetime(t["created_at"])).all()


def test_birth_like_columns_are_births_and_deaths_follow():
    spec = spec_from_sql("CREATE TABLE authors (id INT PRIMARY KEY, name TEXT, born date, "
                         "died date); CREATE TABLE c (id INT PRIMARY KEY, birth_date DATE, "
                         "age INT)")
    assert not [w for w in spec.warnings if "born" in w or "died" in w or "birth" in w]
    tables = generate_tables(spec, seed=0, default_rows=500)
    a, c = tables["authors"], tables["c"]
    born, died = pd.to_datetime(a["born"]), pd.to_datetime(a["died"])
    assert born.max() < pd.Timestamp("2006-01-01") and (died >= born).all()
    assert died.max() <= pd.Timestamp("2025-12-31")  # nobody dies after the reference day
    assert c["age"].min() >= 18 and pd.to_datetime(c["birth_date"]).max().year <= 2005
    assert check_table(c).violations.get("age_matches_birth") == 0


def test_children_date_on_or_after_their_parents_creation():
    from helpers.linked_prompt import spec_from_prompt

    sql = ("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, signup_date DATE);"
           "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES "
           "customers(id), order_date DATE, ship_date DATE)")
    prompt, _ = spec_from_prompt("50 customers and their 200 orders")
    for spec in (spec_from_sql(sql), prompt):
        tables = generate_tables(spec, seed=4, default_rows=1000)
        c, o = tables["customers"], tables["orders"]
        key = "id" if "id" in c else "customer_id"
        m = o.merge(c, left_on="customer_id", right_on=key, suffixes=("", "_parent"))
        assert len(m) == len(o)
        assert (pd.to_datetime(m["order_date"]) >= pd.to_datetime(m["signup_date"])).all()
        if "ship_date" in m:
            assert (pd.to_datetime(m["ship_date"]) >= pd.to_datetime(m["order_date"])).all()


def test_books_of_authors_carry_their_authors_name_and_no_loan():
    from helpers.linked_prompt import spec_from_prompt

    spec, _ = spec_from_prompt("10 authors with their books")
    tables = generate_tables(spec, seed=2, default_rows=40)
    books = tables["books"].merge(tables["authors"], on="author_id")
    assert (books["author"] == books["name"]).all()  # the author is the parent's own name
    assert not {"member_id", "due_date"} & set(tables["books"].columns)  # not a loan
    born = pd.to_datetime(books["date_of_birth"]).dt.year
    assert (books["publication_year"] - born >= 18).all()  # nobody publishes at 10
