"""What a user or an attacker can hand the command line and the API: table names that are
paths, numbers too large for any column, odd files to check, pipes that close early."""

import sqlite3

import pandas as pd
import pytest

from helpers.__main__ import main
from helpers.linked_check import check_linked
from helpers.linked_out import file_stem, write_folder
from helpers.spec import SpecError
from helpers.spec_sql import spec_from_sql


@pytest.mark.parametrize("name", ["../victim", "/tmp/abs_x", "..\\\\x", "a/../../b", "..", "nul"])
def test_no_table_name_writes_outside_the_folder(tmp_path, name):
    out = tmp_path / "out"
    quoted = name.replace('"', '""')
    spec = spec_from_sql(f'CREATE TABLE "{quoted}" (id INT PRIMARY KEY);')
    write_folder(spec, out, default_rows=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing beside the folder
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["spec.json", file_stem(name) + ".csv"])
    assert check_linked(out).ok  # the check finds the table under the same cleaned name


def test_the_cli_keeps_a_dotted_table_inside_out(tmp_path, capsys):
    schema = tmp_path / "v.sql"
    schema.write_text('CREATE TABLE "../victim" (id INT PRIMARY KEY);\n')
    victim = tmp_path / "victim.csv"
    victim.write_text("precious\n")
    out = tmp_path / "vo"
    assert main(["generate", "--schema", str(schema), "--rows", "2", "--out", f"{out}/",
                 "--force"]) == 0
    assert victim.read_text() == "precious\n"
    assert (out / "victim.csv").is_file()


def test_safe_names_keep_their_file_names():
    assert [file_stem(n) for n in ("customers", "order_items", "Kunden-2024", "ürün")] == \
        ["customers", "order_items", "Kunden-2024", "ürün"]


def test_two_names_that_clean_alike_are_refused(tmp_path):
    spec = spec_from_sql('CREATE TABLE "a/b" (id INT PRIMARY KEY);\n'
                         'CREATE TABLE "A_b" (id INT PRIMARY KEY);')
    with pytest.raises(SpecError, match="'a/b' and 'A_b' would both be written to 'a_b.csv'"):
        write_folder(spec, tmp_path / "out", default_rows=2)
    assert not (tmp_path / "out").exists()


def test_a_full_folder_says_which_files_it_holds(tmp_path, capsys):
    schema = tmp_path / "t.sql"
    schema.write_text("CREATE TABLE t (id INT PRIMARY KEY);\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "spec.json").write_text("{}")
    assert main(["generate", "--schema", str(schema), "--out", f"{out}/"]) == 2
    err = capsys.readouterr().err
    assert "already holds spec.json: add --force" in err and "these tables" not in err


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from helpers.api import app

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_the_api_answers_a_one_table_prompt(client):
    r = client.post("/tables", json={"prompt": "generate a hospital dataset", "rows": 2})
    assert r.status_code == 200, r.text
    tables = r.json()["tables"]
    assert list(tables) == ["hospital"] and len(tables["hospital"]) == 2
    assert r.json()["reading"].startswith("read:")


def test_the_api_sends_nullable_keys_as_whole_numbers(client):
    sql = "CREATE TABLE emp (id INT PRIMARY KEY, manager_id INT REFERENCES emp(id));"
    r = client.post("/tables", json={"sql": sql, "rows": 3, "seed": 9})
    assert r.status_code == 200
    managers = [row["manager_id"] for row in r.json()["tables"]["emp"]]
    assert None in managers and all(isinstance(m, int) for m in managers if m is not None)
    assert '"manager_id": 1.0' not in r.text


@pytest.mark.parametrize("body, names", [
    ({"sql": "CREATE TABLE a (id INT PRIMARY KEY, amount NUMERIC(400,2));"}, None),
    ({"sql": "CREATE TABLE a (id INT PRIMARY KEY, amount DECIMAL(1000,500));"}, None),
    ({"json_schema": {"title": "t", "type": "object",
                      "properties": {"n": {"type": "integer", "minimum": 1e300}}}}, "t.n"),
    ({"sql": "CREATE TABLE a (id INT PRIMARY KEY, n INT CHECK (n > 1" + "0" * 30 + "));"}, "a.n"),
    ({"csv": "n,x\n1e400,1\n2,3\n"}, "records.n"),
    ({"spec": {"tables": [{"name": "t", "columns": [
        {"name": "n", "type": "integer", "kind": "int", "params": {"low": 0, "high": 10**400}}]}]}},
     "t.n"),
])
def test_numbers_too_large_are_a_422_naming_the_column_or_are_capped(client, body, names):
    r = client.post("/tables", json=body)
    if names is None:  # DECIMAL(400, 2) holds anything a float does: its bound is capped
        assert r.status_code == 200, r.text
        assert all(abs(row["amount"]) < 1e18 for row in r.json()["tables"]["a"])
    else:
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["msg"].startswith(f"{names}: ")
        assert "out of range" in r.json()["detail"][0]["msg"]


def test_sqlite_stores_dates_as_the_csv_writes_them(tmp_path):
    from helpers.linked_out import write_sqlite

    spec = spec_from_sql("CREATE TABLE t (id INT PRIMARY KEY, hired DATE, seen TIMESTAMP);")
    write_sqlite(spec, tmp_path / "t.sqlite", default_rows=20)
    write_folder(spec, tmp_path / "csv", default_rows=20)
    with sqlite3.connect(tmp_path / "t.sqlite") as db:
        hired, seen = zip(*db.execute("SELECT hired, seen FROM t ORDER BY id"), strict=True)
    csv = pd.read_csv(tmp_path / "csv" / "t.csv", dtype=str)
    assert list(hired) == csv["hired"].tolist() and len(hired[0]) == 10  # 2025-02-11
    assert all("T" in s and len(s) == 19 for s in seen)  # a timestamp keeps its time


def test_a_repeated_foreign_key_is_not_a_duplicate_id(tmp_path, capsys):
    import helpers

    columns = [*helpers.load_catalog()["ecommerce"], "discount"]  # as the prompt reads it
    orders = helpers.generate_dataframe(columns, rows=300, seed=1, table="ecommerce")
    assert not orders["customer_id"].is_unique  # customers order again and again
    report = helpers.check_table(orders)
    assert report.violations["duplicate_id"] == 0 and report.ok
    orders.loc[7, "order_id"] = orders.loc[6, "order_id"]  # the table's own key still counts
    assert helpers.check_table(orders).violations["duplicate_id"] == 1
    path = tmp_path / "ord2.csv"
    orders.drop(index=7).to_csv(path, index=False)
    assert main(["check", str(path)]) == 0


SHOP = """CREATE TABLE customers (customer_id INT PRIMARY KEY, name TEXT, email TEXT);
CREATE TABLE orders (order_id INT PRIMARY KEY, customer_id INT REFERENCES customers(customer_id),
                     price DECIMAL(10,2), quantity INT, total DECIMAL(12,2));"""


@pytest.mark.parametrize("out", ["shop/", "shop.sqlite"])
def test_check_runs_each_tables_rules_in_a_folder_or_database(tmp_path, capsys, out):
    schema = tmp_path / "shop.sql"
    schema.write_text(SHOP)
    target = tmp_path / out
    assert main(["generate", "--schema", str(schema), "--rows", "50", "--out", str(target)]) == 0
    capsys.readouterr()
    assert main(["check", str(target)]) == 0
    said = capsys.readouterr().out
    assert "table customers: 50 rows, 0 violations" in said and "duplicate_email" in said
    if out.endswith("/"):  # the same defect planted in the file or in the database
        path = target / "customers.csv"
        table = pd.read_csv(path)
        table.loc[3, "email"] = table.loc[2, "email"]
        table.to_csv(path, index=False)
    else:
        with sqlite3.connect(target) as db:
            db.execute("UPDATE customers SET email = (SELECT email FROM customers WHERE "
                       "customer_id = 3) WHERE customer_id = 4")
    assert main(["check", str(target)]) == 1
    said = capsys.readouterr().out
    assert "no orphans, no duplicate keys" in said  # the keys are fine; one table is not
    assert [line.split()[:2] + line.split()[2:3] for line in said.splitlines()
            if "duplicate_email" in line] == [["duplicate_email", "email", "1"]]


@pytest.mark.parametrize("name, content, said", [
    ("o.json", '{"a": 1, "b": 2}', "it holds one JSON object; a table is a list of records"),
    ("u.csv", "name,age\nAnn,3\n".encode("utf-16"), "it is not UTF-8 text (byte 0xff"),
    ("bad.json", "[1, 2", "as a table: "),
    ("empty.csv", "", "as a table: "),
])
def test_check_names_a_file_it_cannot_read_in_one_line(tmp_path, capsys, name, content, said):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot read {str(path)!r}") and said in err
    assert err.count("\n") == 1 and "If using all scalar values" not in err


@pytest.mark.parametrize("args, said", [
    (["5 customers and their 100000000 orders"], "add --out"),
    (["a bank table", "--rows", "99999999999999999999", "--out", "h.csv"], "above 100,000,000"),
    (["a bank table with 200000000 rows", "--out", "h.csv"], "above 100,000,000"),
    (["5 customers and their 1000000000 orders", "--out", "shop/"], "at most 100,000,000"),
    (["a bank table", "--seed", "-1"], "--seed must be 0 or more, got -1"),
    (["50 customers and their 20 orders", "--seed", "-1"], "--seed must be 0 or more"),
])
def test_sizes_and_seeds_are_refused_before_anything_is_made(tmp_path, monkeypatch, capsys,
                                                             args, said):
    monkeypatch.chdir(tmp_path)
    assert main(["generate", *args]) == 2
    err = capsys.readouterr().err
    assert said in err and list(tmp_path.iterdir()) == []
    if "--seed" in args:
        assert err.startswith("error:")  # nothing read or predicted is printed first


def test_a_one_table_prompt_writes_a_sqlite_table(tmp_path, capsys):
    out = tmp_path / "h.sqlite"
    assert main(["generate", "a hospital dataset", "--rows", "5", "--out", str(out)]) == 0
    with sqlite3.connect(out) as db:
        (ddl,), = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table'")
        born = [r[0] for r in db.execute("SELECT date_of_birth FROM hospital")]
    assert '"date_of_birth" DATE' in ddl and len(born) == 5 and len(born[0]) == 10
    assert main(["check", str(out)]) == 0
    assert "table hospital: 5 rows, 0 violations" in capsys.readouterr().out


def test_a_one_table_schema_is_told_where_it_can_go(tmp_path, capsys):
    schema = tmp_path / "t.sql"
    schema.write_text("CREATE TABLE t (id INT PRIMARY KEY);\n")
    assert main(["generate", "--schema", str(schema), "--out", str(tmp_path / "t.csv")]) == 2
    err = capsys.readouterr().err
    assert "a schema's table goes to a database or a folder" in err and "1 linked" not in err


def test_the_usage_examples_keep_their_lines():
    import subprocess
    import sys

    text = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True,
                          text=True, check=True).stdout
    assert '\n    python -m helpers generate "generate a hospital dataset" --rows 10\n' in text


@pytest.mark.parametrize("prompt", ["a bank table", "50 customers and their 5000 orders"])
def test_a_reader_that_stops_early_ends_the_command_quietly(prompt):
    import subprocess
    import sys

    reader = "pass"  # gone before the table is printed, as head -1 once it has its line
    writer = subprocess.Popen([sys.executable, "-m", "helpers", "generate", prompt,
                               "--rows", "20000"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    subprocess.run([sys.executable, "-c", reader], stdin=writer.stdout, check=True)
    writer.stdout.close()  # only the reader holds the pipe now
    err = writer.stderr.read().decode()
    assert writer.wait(timeout=120) == 141
    assert "error" not in err and "Traceback" not in err and "Exception" not in err


def test_the_api_writes_no_file_whatever_the_table_is_called(client, tmp_path, monkeypatch):
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    sql = 'CREATE TABLE "../victim" (id INT PRIMARY KEY); CREATE TABLE "/tmp/abs_x" (id INT);'
    r = client.post("/tables", json={"sql": sql, "rows": 2})
    assert r.status_code == 200 and list(r.json()["tables"]) == ["../victim", "/tmp/abs_x"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["cwd"]  # nothing written anywhere
