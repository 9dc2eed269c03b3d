"""One spec from every front-end: CREATE TABLE, JSON Schema, a CSV header or sample, a prompt;
and a clear error, naming the line or field, for each kind of bad spec."""

import json

import pytest

from helpers.__main__ import main
from helpers.linked import generate_tables
from helpers.spec import DatasetSpec, SpecError
from helpers.spec_csv import spec_from_csv
from helpers.spec_jsonschema import spec_from_json_schema
from helpers.spec_sql import spec_from_sql

CUSTOMERS = ["customer_id", "name", "email", "phone", "address", "city", "country",
             "signup_date"]
CUSTOMERS_SCHEMA = {
    "title": "customers", "type": "object", "required": ["customer_id"],
    "properties": {"customer_id": {"type": "string"}, "name": {"type": "string"},
                   "email": {"type": "string", "format": "email"}, "phone": {"type": "string"},
                   "address": {"type": "string"}, "city": {"type": "string"},
                   "country": {"type": "string"},
                   "signup_date": {"type": "string", "format": "date"}}}


def without_rows(spec: DatasetSpec) -> DatasetSpec:
    for t in spec.tables:
        t.rows = None
    return spec


@pytest.fixture(scope="module")
def prompt_spec():
    from helpers.linked_prompt import spec_from_prompt

    spec, reading = spec_from_prompt("a list of 30 customers with their phone numbers")
    assert reading.summary().startswith("read: 30 rows") and spec.tables[0].rows == 30
    return without_rows(spec)


def test_json_schema_and_csv_header_give_the_prompts_spec(prompt_spec):
    assert prompt_spec.tables[0].names == CUSTOMERS
    assert spec_from_json_schema(CUSTOMERS_SCHEMA) == prompt_spec
    assert spec_from_csv(",".join(CUSTOMERS) + "\n", "customers") == prompt_spec
    assert prompt_spec.tables[0].primary_key == ["customer_id"]


def test_a_different_column_makes_a_different_spec(prompt_spec):
    other = spec_from_csv(",".join(CUSTOMERS[:-1] + ["signup_time"]) + "\n", "customers")
    assert other != prompt_spec


def test_json_schema_reads_formats_enums_ranges_and_nesting():
    spec = spec_from_json_schema({
        "title": "Sensor Reading", "type": "object", "required": ["reading_id", "level"],
        "properties": {
            "reading_id": {"type": "string", "format": "uuid"},
            "level": {"type": "integer", "minimum": 3, "maximum": 9},
            "state": {"enum": ["ok", "warn", "fail"]},
            "contact": {"type": "string", "format": "email"},
            "taken": {"type": "string", "format": "date-time"},
            "site": {"type": "object", "properties": {"city": {"type": "string"},
                                                       "homepage": {"type": "string",
                                                                    "format": "uri"}}}}})
    t = spec.tables[0]
    assert t.name == "sensor_reading" and t.names == ["reading_id", "level", "state", "contact",
                                                      "taken", "site_city", "site_homepage"]
    kinds = {c.name: (c.type, c.kind) for c in t.columns}
    assert kinds == {"reading_id": ("uuid", "uuid"), "level": ("integer", "int"),
                     "state": ("text", "options"), "contact": ("text", "email"),
                     "taken": ("timestamp", "datetime"), "site_city": ("text", "city"),
                     "site_homepage": ("text", "url")}
    assert t.column("level").params == {"low": 3, "high": 9} and t.column("level").not_null
    table = generate_tables(spec, default_rows=500)["sensor_reading"]
    assert table["level"].between(3, 9).all() and set(table["state"]) <= {"ok", "warn", "fail"}
    assert table["reading_id"].is_unique


def test_csv_sample_rows_give_types_ranges_and_word_lists():
    text = ("order_ref,amount,placed,tier,note\n"
            "A1,12.5,2024-01-03,gold,x\nA2,80,2024-03-09,silver,y\nA3,40.25,2024-02-01,gold,z\n"
            "A4,19,2024-02-11,gold,w\n")
    spec = spec_from_csv(text, "sales")
    t = spec.tables[0]
    assert t.column("amount").kind == "money" and t.column("amount").params["low"] == 12.5
    assert t.column("amount").params["high"] == 80.0
    assert t.column("placed").type == "date" and t.column("placed").params["start"] == "2024-01-03"
    assert t.column("tier").kind == "options" and t.column("tier").params == {
        "values": ["gold", "silver"]}
    assert any("order_ref" in w for w in spec.warnings) and any("note" in w for w in spec.warnings)


def test_sql_reads_checks_enums_and_keys_in_three_dialects():
    sqlite = ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, score INTEGER CHECK "
              "(score BETWEEN 10 AND 20), kind TEXT CHECK (kind IN ('a', 'b')) DEFAULT 'a');")
    mysql = ("CREATE TABLE `t` (`id` INT NOT NULL AUTO_INCREMENT, `score` INT CHECK (`score` >= "
             "10 AND `score` <= 20), `kind` ENUM('a','b'), PRIMARY KEY (`id`)) ENGINE=InnoDB;")
    postgres = ("CREATE TABLE t (id SERIAL, score INTEGER CHECK (10 <= score AND score <= 20), "
                "kind VARCHAR(1) CHECK (kind IN ('a', 'b')), CONSTRAINT t_pk PRIMARY KEY (id));")
    specs = [spec_from_sql(sql) for sql in (sqlite, mysql, postgres)]
    for spec in specs:
        t = spec.tables[0]
        assert t.primary_key == ["id"]
        assert (t.column("score").kind, t.column("score").params) == ("int", {"low": 10,
                                                                            "high": 20})
        assert t.column("kind").params == {"values": ["a", "b"]}
    assert specs[0].tables[0].columns == specs[2].tables[0].columns


def test_a_spec_round_trips_through_json():
    spec = spec_from_sql("CREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE b (id INT PRIMARY "
                         "KEY, a_id INT NOT NULL REFERENCES a);")
    again = DatasetSpec.from_json(spec.to_json())
    assert again == spec and again.tables[1].foreign_keys[0].ref == "id"


@pytest.mark.parametrize("sql, message", [
    ("CREATE TABLE a (\n  id INT PRIMARY KEY,\n  b FOOBAR\n);",
     "line 3: a.b: unknown type 'FOOBAR'"),
    ("CREATE TABLE a (\n  id INT PRIMARY KEY,\n  b_id INT REFERENCES nope (id)\n);",
     "line 3: a.b_id references table 'nope', which this file does not create"),
    ("CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE a (\n  id INT,\n  p_id INT REFERENCES "
     "p (missing)\n);", "line 4: a.p_id references p.missing, which does not exist"),
    ("CREATE TABLE a (id INT PRIMARY KEY, b_id INT REFERENCES b (id));\n"
     "CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a (id));",
     "the foreign keys form a cycle: a -> b -> a"),
    ("CREATE TABLE a (id INT,\n  b INT REFERENCES);", "line 2: cannot read this SQL"),
    ("SELECT 1;", "no CREATE TABLE statement found"),
    ("CREATE TABLE `a (id INT);", "cannot read this SQL"),  # unclosed: the tokenizer's error
    ("'", "cannot read this SQL"),
])
def test_bad_sql_gets_an_error_naming_the_line(sql, message):
    with pytest.raises(SpecError) as error:
        spec_from_sql(sql)
    assert message in str(error.value)


@pytest.mark.parametrize("schema, message", [
    ([1, 2], "a JSON Schema must be an object, got list"),
    ({"type": "array", "items": {"type": "string"}}, "describes 'array', not an object"),
    ({"type": "object", "properties": {"tags": {"type": "array"}}},
     "schema.properties.tags: an array cannot be one column"),
    ({"type": "object", "properties": {"x": {"type": "complex"}}},
     "schema.properties.x: unknown type 'complex'"),
    ({"type": "object"}, "needs 'properties'"),
])
def test_bad_json_schema_gets_an_error_naming_the_field(schema, message):
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        spec_from_json_schema(schema)


def test_a_child_count_below_zero_is_refused():
    raw = json.loads(spec_from_sql("CREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE b (id "
                                   "INT PRIMARY KEY, a_id INT REFERENCES a);").to_json())
    raw["tables"][1]["foreign_keys"][0]["cardinality"] = {"kind": "uniform", "low": -1, "high": 3}
    with pytest.raises(SpecError, match=r"b.a_id: a child count below zero \(low=-1\)"):
        DatasetSpec.from_dict(raw)


def test_bad_csv_names_line_and_field():
    with pytest.raises(SpecError, match="line 1, field 2: column 'a' appears twice"):
        spec_from_csv("a,A\n")
    with pytest.raises(SpecError, match="line 3: 1 fields, but the header names 2"):
        spec_from_csv("a,b\n1,2\n3\n")


def test_csv_lines_may_end_in_a_carriage_return_and_unreadable_csv_is_a_spec_error():
    """'\\r0' was a csv.Error (a 500 from POST /tables, found by test_api_schema's cases): a
    lone \\r ends a line as \\n does, and what the csv module cannot read names its line."""
    with pytest.raises(SpecError, match="no header"):
        spec_from_csv("\r0")
    assert spec_from_csv("name,age\r\nAda,36\rBob,41\n").tables[0].names == ["name", "age"]
    with pytest.raises(SpecError, match=r"line 2: the CSV cannot be read \(field larger"):
        spec_from_csv('a\n"' + "x" * 200_000 + '"\n')


def test_cli_writes_and_checks_a_database_from_each_front_end(tmp_path, capsys):
    (tmp_path / "c.json").write_text(json.dumps(CUSTOMERS_SCHEMA))
    (tmp_path / "c.csv").write_text(",".join(CUSTOMERS) + "\n")
    for source in ("c.json", "c.csv"):
        out = tmp_path / f"{source}.sqlite"
        assert main(["generate", "--schema", str(tmp_path / source), "--out", str(out),
                     "--rows", "40"]) == 0
        assert main(["check", str(out)]) == 0
    (tmp_path / "bad.json").write_text("[1]")
    assert main(["generate", "--schema", str(tmp_path / "bad.json")]) == 2
    assert "bad.json: a JSON Schema must be an object" in capsys.readouterr().err


def test_a_cycle_behind_a_table_that_waits_for_it_is_named():
    sql = ("CREATE TABLE a (id INT PRIMARY KEY, c_id INT REFERENCES c (id));\n"
           "CREATE TABLE b (id INT PRIMARY KEY, c_id INT REFERENCES c (id));\n"
           "CREATE TABLE c (id INT PRIMARY KEY, d_id INT REFERENCES d (id));\n"
           "CREATE TABLE d (id INT PRIMARY KEY, c_id INT REFERENCES c (id));")
    with pytest.raises(SpecError, match="cycle: c -> d -> c"):
        spec_from_sql(sql)
