"""What a schema declares holds in the rows: a total of the row's own price and quantity, the
limits a CREATE TABLE gives (CHECK ... BETWEEN / IN, lengths), a CSV sample's ranges and
words; and what cannot be generated is refused with one line naming table.column."""

import numpy as np
import pytest

from helpers.linked import generate_tables
from helpers.plausibility import check_table
from helpers.spec import DatasetSpec, SpecError
from helpers.spec_jsonschema import spec_from_json_schema
from helpers.spec_sql import spec_from_sql

SHOP = ("CREATE TABLE orders (id INTEGER PRIMARY KEY, quantity INTEGER, "
        "unit_price DECIMAL(10,2), total DECIMAL(10,2));")


def test_total_is_unit_price_times_quantity():
    t = generate_tables(spec_from_sql(SHOP), default_rows=1000)["orders"]
    assert np.allclose(t["total"], (t["unit_price"] * t["quantity"]).round(2))
    finding = next(f for f in check_table(t).findings if f.rule == "total_is_product")
    assert finding.columns == "total = unit_price x quantity" and finding.violations == 0


def test_total_without_factors_is_an_amount_of_money():
    schema = {"title": "o", "type": "object",
              "properties": {"total": {"type": "number", "minimum": 0}}}
    t = generate_tables(spec_from_json_schema(schema), default_rows=500)["o"]
    assert t["total"].min() >= 0 and t["total"].max() > 50  # not 0 to 1.00


def sql_table(sql, rows):
    spec = spec_from_sql(sql)
    return generate_tables(spec, default_rows=rows)[spec.tables[0].name]


def test_declared_key_ranges_and_in_lists_hold_or_are_refused():
    sql = ("CREATE TABLE a (id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 5), s TEXT UNIQUE "
           "CHECK (s IN ('x','y','z')), code CHAR(2), note VARCHAR(4))")
    t = sql_table(sql, 3)
    assert t["id"].between(1, 5).all() and sorted(t["s"]) == ["x", "y", "z"]
    assert t["code"].str.len().max() <= 2 and t["note"].str.len().max() <= 4
    with pytest.raises(SpecError, match=r"a\.id is a key from 1 to 5: 8 rows"):
        sql_table(sql, 8)
    with pytest.raises(SpecError, match=r"a\.s is unique, but its 3 allowed values"):
        sql_table(sql.replace("BETWEEN 1 AND 5", "BETWEEN 1 AND 50"), 8)


def test_integer_types_and_lengths_hold():
    sql = ("CREATE TABLE t (id TINYINT PRIMARY KEY, n TINYINT, email VARCHAR(20), "
           "country char(2), color VARCHAR(4))")
    t = sql_table(sql, 127)
    assert t["id"].max() == 127 and t["n"].between(-128, 127).all()
    assert t["email"].str.len().max() <= 20 and t["email"].str.contains("@").all()
    assert set(t["country"]) == {"US"} and t["color"].str.len().max() <= 4
    with pytest.raises(SpecError, match="300 rows cannot all differ"):
        sql_table(sql, 300)
    with pytest.raises(SpecError, match="cannot hold an e-mail address"):
        spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(5))")


@pytest.mark.parametrize(("build", "message"), [
    (lambda: spec_from_sql("CREATE TABLE a (id INT PRIMARY KEY, x TEXT, x INT)"),
     r"^line 1: a\.x: the column is listed twice$"),
    (lambda: spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, q INT CHECK (q BETWEEN 10 AND 1))"),
     r"^line 1: t\.q: no whole number lies between 10 and 1"),
    (lambda: spec_from_json_schema({"type": "object", "properties": {
        "n": {"type": "integer", "minimum": 0.5, "maximum": 0.7}}}),
     r"^schema\.properties\.n: no whole number lies between 0\.5 and 0\.7"),
    (lambda: DatasetSpec.from_dict({"tables": [{"name": "p", "bogus": 1, "columns": [
        {"name": "id"}]}]}), r"a table has no field 'bogus' \(its fields: name, columns"),
    (lambda: DatasetSpec.from_dict({"tables": [
        {"name": "p", "columns": [{"name": "id", "type": "integer", "kind": "int"}],
         "primary_key": ["id"]},
        {"name": "c", "columns": [{"name": "pid", "type": "integer", "kind": "int"}],
         "foreign_keys": [{"column": "pid", "table": "p", "ref": "id",
                           "cardinality": {"kind": "fixed", "count": 2}}]}]}),
     r"a cardinality has no field 'count'"),
    (lambda: DatasetSpec.from_dict({"tables": [{"name": "p", "columns": [
        {"name": "o", "type": "text", "kind": "options",
         "params": {"values": ["a", "b"], "p": [2, -1]}}]}]}), r"^p\.o: params\.p must be"),
    (lambda: DatasetSpec.from_dict({"tables": [{"name": "p", "columns": [
        {"name": "d", "type": "date", "kind": "date", "params": {"start": "2020-13-01"}}]}]}),
     r"^p\.d: params\.start must be a date"),
    (lambda: spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, n INT CHECK (n IN ('a','b')))"),
     r"^t\.n: an integer column's allowed values must be numbers"),
    (lambda: spec_from_sql("CREATE TABLE p (code TEXT PRIMARY KEY); "
                           "CREATE TABLE c (id INT PRIMARY KEY, p INT REFERENCES p(code))"),
     r"^c\.p is integer but references p\.code, which is text"),
])
def test_bad_specs_are_refused_in_one_line_without_python_names(build, message):
    with pytest.raises(SpecError, match=message) as caught:
        build()
    assert "__init__" not in str(caught.value) and "\n" not in str(caught.value)


def test_a_postgres_array_is_text_with_a_warning():
    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, tags text[])")
    assert "line 1: t.tags: text[] is an array; each row gets one text value" in spec.warnings


def test_csv_sample_ranges_words_and_decimals_are_kept():
    from helpers.spec_csv import spec_from_csv

    spec = spec_from_csv("age,score,plan\n34,0.5,basic\n45,0.9,pro\n40,0.7,basic\n")
    t = generate_tables(spec, default_rows=300)["records"]
    assert t["age"].between(30, 50).all() and t["age"].nunique() > 5  # not 18-90
    assert t["score"].between(0.4, 1.0).all() and t["score"].nunique() > 3  # not all 0
    assert set(t["plan"]) == {"basic", "pro"}  # the sample's words, not a catalog list


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_csv_headers_split_at_their_own_separator(sep):
    from helpers.spec_csv import spec_from_csv

    spec = spec_from_csv(sep.join(["name", "email", "city"]) + "\n" + sep.join(
        ["Ann Lee", "ann@x.io", "Boston"]) + "\n")
    assert spec.tables[0].names == ["name", "email", "city"]


def test_uuid_keys_look_random_and_stay_unique():
    import uuid

    schema = {"title": "o", "type": "object",
              "properties": {"id": {"type": "string", "format": "uuid"}}}
    ids = generate_tables(spec_from_json_schema(schema), default_rows=5000)["o"]["id"]
    assert ids.is_unique and {uuid.UUID(i).version for i in ids} == {4}
    assert ids.str[:8].nunique() > 4000  # not 00000000-... on every row
    assert ids.str[-12:].nunique() == 5000  # nor ...000000000001, ...0002
