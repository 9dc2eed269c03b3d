"""Review fixes to the rules that tie a row's columns together (helpers.date_pairs and the
checks that read them): a total's factors, the dates a row keeps in order, keys and bounds."""

import pandas as pd
import pytest

from helpers.linked import generate_tables
from helpers.plausibility import check_table
from helpers.spec_csv import spec_from_csv


def test_total_of_a_qty_header_is_price_times_qty():
    t = generate_tables(spec_from_csv("order_id,unit_price,qty,total\n"), seed=0,
                        default_rows=50)
    table = next(iter(t.values()))
    assert pd.api.types.is_numeric_dtype(table["qty"])
    assert ((table["unit_price"] * table["qty"] - table["total"]).abs() < 0.006).all()
    assert check_table(table).violations["total_is_product"] == 0


def test_check_counts_a_quantity_that_is_not_a_number_instead_of_crashing():
    df = pd.DataFrame({"unit_price": ["2.00", "2.00"], "qty": ["four", "2"],
                       "total": ["8.00", "4.00"]})
    report = check_table(df)
    assert report.violations["not_a_number"] == 1
    assert report.violations["total_is_product"] == 0
    text = pd.DataFrame({"unit_price": [2.0], "units": ["kg"], "total": [8.0]})
    assert "total_is_product" not in {f.rule for f in check_table(text).findings}


def test_unique_varchar_columns_never_repeat_once_cut():
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(20) UNIQUE, "
                         "username VARCHAR(10) UNIQUE, code VARCHAR(5) UNIQUE)")
    t = generate_tables(spec, seed=0, default_rows=5000)["u"]
    for column, n in [("email", 20), ("username", 10), ("code", 5)]:
        assert not t[column].duplicated().any(), column
        assert t[column].str.len().max() <= n, column
    assert t["email"].str.contains("@").all()


def test_unique_varchar_too_short_for_the_rows_is_refused():
    import pytest

    from helpers.spec import SpecError
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE v (id INT PRIMARY KEY, code VARCHAR(4) UNIQUE)")
    assert not generate_tables(spec, seed=0, default_rows=100)["v"]["code"].duplicated().any()
    with pytest.raises(SpecError, match="v.code is unique text of at most 4 characters"):
        generate_tables(spec, seed=0, default_rows=1000)


def test_a_positive_total_stays_price_times_quantity():
    from helpers.spec_jsonschema import spec_from_json_schema
    from helpers.spec_sql import spec_from_sql

    sql = spec_from_sql("CREATE TABLE o (id INT PRIMARY KEY, price REAL, quantity INT, "
                        "total REAL CHECK (total > 0))")
    schema = spec_from_json_schema({"title": "o", "type": "object", "properties": {
        "price": {"type": "number"}, "quantity": {"type": "integer"},
        "total": {"type": "number", "minimum": 0.01}}})
    for spec in (sql, schema):
        t = generate_tables(spec, seed=1, default_rows=300)["o"]
        assert (t["total"] > 0).all()
        assert check_table(t).violations["total_is_product"] == 0


@pytest.mark.parametrize("columns", [["employee_id", "hire_date", "termination_date"],
                                     ["ticket_id", "created_at", "updated_at", "closed_at"],
                                     ["invoice_id", "issue_date", "paid_date"]])
def test_events_that_happened_stay_in_the_past_and_check_looks(columns):
    from helpers.generate import generate_dataframe

    df = generate_dataframe(columns, rows=2000, seed=0)
    end = pd.Timestamp("2025-12-31 23:59:59")  # the reference day, whole
    report = check_table(df, reference_date="2025-12-31")
    for column in columns[2:]:
        assert (pd.to_datetime(df[column]) <= end).all(), column
        assert any(f.rule == "date_in_future" and f.columns == column for f in report.findings)
    late = df.copy()
    late[columns[-1]] = "2030-01-01"
    assert check_table(late, reference_date="2025-12-31").violations["date_in_future"] == 2000


def test_hotel_guests_arrive_before_they_depart_and_flights_depart_first():
    from helpers.generate import generate_dataframe

    df = generate_dataframe(["booking_id", "guest_name", "arrival_date", "departure_date"],
                            rows=500, seed=0)
    assert (pd.to_datetime(df["departure_date"]) >= pd.to_datetime(df["arrival_date"])).all()
    hotel = pd.DataFrame({"arrival_date": ["2024-03-01"], "departure_date": ["2024-03-04"]})
    assert check_table(hotel).violations["date_order"] == 0
    flight = pd.DataFrame({"departure_time": ["2024-03-01 10:00"],
                           "arrival_time": ["2024-03-01 08:00"]})
    assert check_table(flight).violations["date_order"] == 1


def test_parent_dates_are_drawn_again_in_generate_s_own_chunks():
    from helpers import generate, linked_dates

    assert linked_dates.CHUNK_ROWS is generate.CHUNK_ROWS
    assert linked_dates.CHUNK == generate.CHUNK_ROWS


def test_someone_else_s_birth_date_is_not_ordered_after_mine():
    df = pd.DataFrame({"date_of_birth": ["1990-01-01"], "mother_birth_date": ["1960-05-05"],
                       "hire_date": ["2015-01-01"]})
    pairs = {f.columns for f in check_table(df).findings if f.rule == "date_order"}
    assert pairs == {"hire_date >= date_of_birth"}


def test_birth_names_and_the_adult_age_live_once_in_data():
    from helpers.date_pairs import adult_age, birth_names, date_rules
    from helpers.linked_dates import ADULT
    from helpers.specs import load_generator_specs

    order = load_generator_specs()["date_order"]
    assert ADULT == adult_age() == order["adult_age"]
    births = [r for r in order["rules"] if r["earlier"] == "birth"]
    assert len(births) == 2  # the death rule and '*' name the one list
    everything = next(r for r in date_rules() if r["later"] == ["*"])
    assert everything["earlier"] == birth_names()
    assert everything["days"][0] == round(adult_age() * 365.25)


def test_a_sample_s_own_date_range_survives_the_date_rules():
    sample = ("employee_id,hire_date,termination_date\nE1,2018-03-01,2019-06-01\n"
              "E2,2019-08-01,2019-12-20\nE3,2017-01-01,2019-09-09\n")
    spec = spec_from_csv(sample)
    t = generate_tables(spec, seed=0, default_rows=500)[spec.tables[0].name]
    hired, left = pd.to_datetime(t["hire_date"]), pd.to_datetime(t["termination_date"])
    assert (left >= hired).all()
    assert left.min() >= pd.Timestamp("2019-06-01") and left.max() <= pd.Timestamp("2019-12-20")


def test_check_compares_times_with_and_without_a_zone_in_utc():
    df = pd.DataFrame({"created_at": ["2024-01-01T10:00:00Z", "2024-01-02T12:00:00+02:00"],
                       "updated_at": ["2024-01-03 10:00:00", "2024-01-02 09:00:00"]})
    report = check_table(df)
    assert report.violations["not_a_date"] == 0
    assert report.violations["date_order"] == 1  # 09:00 is before 10:00 UTC


def test_books_keyed_by_isbn_do_not_repeat_their_author_key(tmp_path):
    from helpers.linked_check import check_linked
    from helpers.linked_out import write_sqlite
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE authors (author_id TEXT PRIMARY KEY, name TEXT); "
                         "CREATE TABLE books (isbn TEXT PRIMARY KEY, author_id TEXT REFERENCES "
                         "authors(author_id), title TEXT); ")
    for t in spec.tables:
        t.rows = 50 if t.name == "authors" else 200
    write_sqlite(spec, tmp_path / "shop.sqlite", seed=0)
    report = check_linked(tmp_path / "shop.sqlite", rules=True)
    assert report.tables["books"].violations["duplicate_id"] == 0
    books = pd.DataFrame({"author_id": ["A1", "A1"], "book_id": ["B1", "B2"]})
    assert check_table(books, name="books").violations["duplicate_id"] == 0
    assert check_table(books.iloc[:, ::-1], key=["author_id"]).violations["duplicate_id"] == 1


@pytest.mark.parametrize(("check", "asked"), [("k > 40000", "40001 and up"),
                                             ("k < -40000", "up to -40001")])
def test_a_key_check_outside_its_type_says_so(check, asked):
    from helpers.spec import SpecError
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql(f"CREATE TABLE t (id INT PRIMARY KEY, k SMALLINT UNIQUE CHECK ({check}))")
    with pytest.raises(SpecError, match=rf"t\.k: its CHECK range \({asked}\) lies outside what "
                                        r"its type holds \(-32768 to 32767\)"):
        generate_tables(spec, default_rows=3)


def test_a_value_list_in_a_short_varchar_keeps_whole_values_or_is_refused():
    from helpers.spec import SpecError
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, color VARCHAR(4), gender CHAR(1))")
    t = generate_tables(spec, seed=0, default_rows=300)["t"]
    assert set(t["color"]) <= {"grey", "blue", "red"}  # whole colours, never 'silv'
    assert set(t["gender"]) <= {"f", "m", "n"}  # codes, one a gender
    with pytest.raises(SpecError, match="t.status: the value 'pending' does not fit in 3"):
        spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, status VARCHAR(3))")


def test_a_population_in_a_tinyint_is_never_negative_and_the_spec_warns():
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, population TINYINT)")
    t = generate_tables(spec, seed=0, default_rows=200)["t"]
    assert t["population"].between(0, 127).all()
    assert any("t.population: its type holds -128 to 127" in w for w in spec.warnings)


def test_a_sample_in_exponent_notation_keeps_its_digits():
    spec = spec_from_csv("sensor_id,reading\nS1,1e-3\nS2,3e-3\nS3,2e-3\n")
    reading = spec.tables[0].column("reading")
    assert reading.params["low"] > 0 and 0.003 <= reading.params["high"] < 0.004
    t = generate_tables(spec, seed=0, default_rows=200)[spec.tables[0].name]
    assert (t["reading"] > 0).all() and t["reading"].nunique() >= 3  # 0.001 .. 0.003


def test_a_top_level_json_schema_name_is_read_whole_as_sql_reads_it():
    from helpers.spec_jsonschema import spec_from_json_schema
    from helpers.spec_sql import spec_from_sql

    schema = spec_from_json_schema({"title": "o", "type": "object", "properties": {
        "price_currency": {"type": "number"},
        "customer": {"type": "object", "properties": {"city": {"type": "string"}}}}})
    sql = spec_from_sql("CREATE TABLE o (id INT PRIMARY KEY, price_currency REAL)")
    assert schema.tables[0].column("price_currency").kind == \
        sql.tables[0].column("price_currency").kind
    assert schema.tables[0].column("customer_city").kind == "city"  # nested: its last part


def test_name_parts_follow_any_person_column():
    from helpers.generate import generate_dataframe

    df = generate_dataframe(["customer_id", "customer_name", "first_name", "last_name"],
                            rows=200, seed=0)
    assert (df["customer_name"] == df["first_name"] + " " + df["last_name"]).all()


def test_an_integer_key_takes_only_the_values_its_check_allows():
    from helpers.spec import SpecError
    from helpers.spec_sql import spec_from_sql

    spec = spec_from_sql("CREATE TABLE t (id INTEGER PRIMARY KEY CHECK (id IN (5, 6, 7)), "
                         "name TEXT); CREATE TABLE c (cid INT PRIMARY KEY, "
                         "t_id INT REFERENCES t(id))")
    tables = generate_tables(spec, seed=0, default_rows=3)
    assert sorted(tables["t"]["id"]) == [5, 6, 7]
    assert set(tables["c"]["t_id"]) <= {5, 6, 7}
    with pytest.raises(SpecError, match="3 allowed values cannot fill 10 rows"):
        generate_tables(spec, seed=0, default_rows=10)
