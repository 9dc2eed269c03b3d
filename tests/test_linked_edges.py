"""Linked tables at their edges: keys that are foreign keys, bounds the user gave, keys too
small for their rows, malformed specs and files, the same output whatever the hash seed."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.linked import generate_tables
from helpers.linked_check import check_linked
from helpers.linked_out import write_folder
from helpers.linked_plan import TooManyRows, make_plan
from helpers.linked_prompt import read_linked
from helpers.spec import Cardinality, ColumnSpec, DatasetSpec, ForeignKey, SpecError, TableSpec
from helpers.spec_csv import spec_from_csv
from helpers.spec_jsonschema import spec_from_json_schema
from helpers.spec_sql import spec_from_sql

ROOT = Path(__file__).resolve().parents[1]


def test_a_key_that_is_itself_a_foreign_key_passes_its_parents_keys_down():
    # b's key references a (one b per a); c references b's key: c must hold keys b holds
    spec = spec_from_sql("""
        CREATE TABLE a (a_id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE b (a_id INTEGER PRIMARY KEY REFERENCES a (a_id), note TEXT);
        CREATE TABLE c (c_id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (a_id));""")
    spec.table("a").rows, spec.table("b").rows, spec.table("c").rows = 10, 3, 40
    tables = generate_tables(spec, seed=2)
    assert set(tables["c"]["b_id"]) <= set(tables["b"]["a_id"])
    assert len(set(tables["b"]["a_id"])) == 3 and set(tables["b"]["a_id"]) <= set(range(1, 11))


def test_a_reference_to_a_self_reference_is_refused():
    staff = TableSpec("staff", [ColumnSpec("id", "integer", "int"),
                                ColumnSpec("boss", "integer", "int", unique=True)], ["id"],
                      foreign_keys=[ForeignKey("boss", "staff", "id")])
    desk = TableSpec("desks", [ColumnSpec("id", "integer", "int"),
                               ColumnSpec("boss", "integer", "int")], ["id"],
                     foreign_keys=[ForeignKey("boss", "staff", "boss")])
    with pytest.raises(SpecError, match="references its own table"):
        make_plan(DatasetSpec([staff, desk]).validate())


def test_a_table_past_the_limit_is_refused_before_its_arrays_are_made():
    parent = TableSpec("p", [ColumnSpec("id", "integer", "int")], ["id"], rows=10**13)
    child = TableSpec("c", [ColumnSpec("id", "integer", "int"), ColumnSpec("p_id", "integer",
                                                                          "int")], ["id"],
                      foreign_keys=[ForeignKey("p_id", "p", "id", Cardinality("uniform", 1, 3))])
    with pytest.raises(TooManyRows, match="10,000,000,000,000 rows"):
        make_plan(DatasetSpec([parent, child]).validate(), max_rows=10_000)
    parent.rows = 100  # a thousand children each: the child is refused, from its counts
    child.foreign_keys[0].cardinality = Cardinality("fixed", 1000)
    with pytest.raises(TooManyRows, match="'c' would have 100,000 rows"):
        make_plan(DatasetSpec([parent, child]).validate(), max_rows=10_000)


def test_the_row_count_does_not_depend_on_the_order_of_foreign_keys():
    def spec(first_fixed: bool) -> DatasetSpec:
        a = TableSpec("a", [ColumnSpec("id", "integer", "int")], ["id"], rows=5)
        b = TableSpec("b", [ColumnSpec("id", "integer", "int")], ["id"], rows=7)
        fks = [ForeignKey("a_id", "a", "id", Cardinality("fixed", 4)),
               ForeignKey("b_id", "b", "id", Cardinality("any"))]
        c = TableSpec("c", [ColumnSpec("id", "integer", "int"),
                            ColumnSpec("a_id", "integer", "int"),
                            ColumnSpec("b_id", "integer", "int")], ["id"],
                      foreign_keys=fks if first_fixed else fks[::-1])
        return DatasetSpec([a, b, c]).validate()
    assert make_plan(spec(True), default_rows=3).rows["c"] == 20
    assert make_plan(spec(False), default_rows=3).rows["c"] == 20


def test_keys_too_small_for_their_rows_are_refused():
    t = TableSpec("t", [ColumnSpec("code", "text", "digits", {"digits": 2}, unique=True),
                        ColumnSpec("flag", "boolean", "bool")], ["code"], rows=300)
    with pytest.raises(SpecError, match="2 digits: 300 rows cannot all differ"):
        make_plan(DatasetSpec([t]).validate())
    t.rows, t.columns[1].unique = 50, True
    with pytest.raises(SpecError, match="boolean column holds only two values"):
        make_plan(DatasetSpec([t]).validate())


def test_a_referenced_email_becomes_an_id_and_the_spec_says_so():
    spec = spec_from_sql("""
        CREATE TABLE users (email TEXT PRIMARY KEY, name TEXT);
        CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT REFERENCES users (email));""")
    assert any("users.email is referenced by posts.author" in w for w in spec.warnings)
    tables = generate_tables(spec, seed=1, default_rows=20)
    assert set(tables["posts"]["author"]) <= set(tables["users"]["email"])


def test_check_and_decimal_bounds_hold_where_the_catalog_has_row_ranges():
    spec = spec_from_sql("""
        CREATE TABLE items (id INTEGER PRIMARY KEY, product_name TEXT,
                            price DECIMAL(5, 2) CHECK (price <= 100));
        CREATE TABLE dear (id INTEGER PRIMARY KEY, price DECIMAL(5,2) CHECK (price BETWEEN 500
                           AND 900));""")
    tables = generate_tables(spec, seed=4, default_rows=300)
    assert tables["items"]["price"].max() <= 100
    assert tables["dear"]["price"].between(500, 900).all()


def test_a_date_check_bounds_the_dates_and_a_bad_one_names_its_line():
    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY,\n d DATE CHECK (d BETWEEN "
                         "'2020-01-01' AND '2020-12-31'));")
    days = generate_tables(spec, seed=0, default_rows=200)["t"]["d"].astype(str)
    assert days.min() >= "2020-01-01" and days.max() <= "2020-12-31"
    with pytest.raises(SpecError, match="line 2: t.d: a date column's bounds must be dates"):
        spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY,\n d DATE CHECK (d BETWEEN 'soon' "
                      "AND 'later'));")


def test_a_unique_constraint_on_a_missing_column_names_its_line():
    with pytest.raises(SpecError, match=r"UNIQUE \(emial\) names a column the table lacks"):
        spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, email TEXT, UNIQUE (emial));")


def test_json_schema_exclusive_bounds_stay_inside():
    schema = {"title": "t", "type": "object", "properties": {
        "n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
        "old": {"type": "integer", "minimum": 0, "maximum": 3, "exclusiveMinimum": True}}}
    params = {c.name: c.params for c in spec_from_json_schema(schema).tables[0].columns}
    assert (params["n"]["low"], params["n"]["high"]) == (1, 2)
    assert (params["old"]["low"], params["old"]["high"]) == (1, 3)


def test_csv_samples_keep_keys_and_codes_their_names_say():
    spec = spec_from_csv("customer_id,zip\n1,02139\n2,10001\n3,94110\n", "customers")
    t = spec.tables[0]
    assert t.primary_key == ["customer_id"] and t.column("zip").kind == "postcode"
    ids = generate_tables(spec, seed=0, default_rows=50)["customers"]["customer_id"]
    assert ids.is_unique


@pytest.mark.parametrize("column, message", [
    ({"name": ["x"], "type": "text", "kind": "text"}, "a column needs a name"),
    ({"name": "x", "type": "text", "kind": "text", "unique": 5}, "unique must be true or false"),
])
def test_malformed_spec_fields_are_named(column, message):
    with pytest.raises(SpecError, match=message):
        DatasetSpec.from_dict({"tables": [{"name": "t", "columns": [column]}]})
    with pytest.raises(SpecError, match="'warnings' is a list of strings"):
        DatasetSpec.from_dict({"tables": [], "warnings": 5})


def test_the_linked_prompt_receipt_states_the_rows_it_makes():
    linked = read_linked("customers and their orders")
    assert "customers (100 rows)" in linked.summary(100)
    assert "customers (10 rows, the default)" in linked.summary()


def test_check_names_a_file_that_is_not_a_database(tmp_path):
    fake = tmp_path / "what?#.db"
    fake.write_text("not a database at all, just text" * 40)
    with pytest.raises(ValueError, match="as a SQLite database"):
        check_linked(fake)


def test_a_folder_refuses_to_replace_its_spec_unless_asked(tmp_path):
    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, name TEXT);")
    write_folder(spec, tmp_path, default_rows=5)
    (tmp_path / "t.csv").unlink()
    with pytest.raises(FileExistsError):
        write_folder(spec, tmp_path, default_rows=5, replace=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_a_schema_gives_the_same_tables_whatever_the_hash_seed(tmp_path):
    code = ("import hashlib, sys; from helpers.linked import generate_tables; "
            "from helpers.spec_sql import spec_from_sql; "
            "spec = spec_from_sql(open(sys.argv[1]).read()); "
            "t = generate_tables(spec, seed=5, locale='en_GB', default_rows=300); "
            "print(hashlib.sha256(''.join(v.to_csv() for v in t.values()).encode()).hexdigest())")
    ddl = tmp_path / "shop.sql"
    ddl.write_text("CREATE TABLE customers (customer_id INT PRIMARY KEY, city TEXT, "
                   "postcode TEXT, phone TEXT);")
    digests = {subprocess.run([sys.executable, "-c", code, str(ddl)], cwd=ROOT, check=True,
                              capture_output=True, text=True,
                              env={"PYTHONHASHSEED": str(h), "PATH": ""}).stdout
               for h in (1, 2, 3)}
    assert len(digests) == 1


def test_database_check_of_a_written_file_still_passes(tmp_path):
    spec = spec_from_sql("CREATE TABLE a (id INT PRIMARY KEY);"
                         "CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a (id));")
    from helpers.linked_out import write_sqlite

    write_sqlite(spec, tmp_path / "x y#.sqlite", default_rows=20)
    with sqlite3.connect(tmp_path / "x y#.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM b").fetchone()[0] == 20
    assert check_linked(tmp_path / "x y#.sqlite").ok


def test_dependency_order_places_each_name_after_its_needs_and_names_a_circle():
    from helpers.ordering import dependency_order

    order, circle = dependency_order(["email", "name", "gender", "id"],
                                     {"email": ["name"], "name": ["gender"], "gender": [],
                                      "id": []})
    assert order == ["gender", "id", "name", "email"] and circle == []
    order, circle = dependency_order(["a", "b", "c"], {"a": ["b"], "b": ["a"], "c": []})
    assert order == ["c"] and circle == ["a", "b"]
