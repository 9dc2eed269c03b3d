"""Linked tables: the practice schemas load, generate and pass SQLite's own checks; keys are
unique and foreign keys hold by construction; cardinality, self-references, determinism."""

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.linked import generate_tables, iter_dataset
from helpers.linked_check import check_linked
from helpers.linked_keys import key_values
from helpers.linked_out import write_folder, write_sqlite
from helpers.linked_plan import make_plan, permute
from helpers.spec import Cardinality, ColumnSpec, DatasetSpec, ForeignKey, SpecError, TableSpec
from helpers.spec_sql import spec_from_sql

SCHEMAS = Path(__file__).parent / "schemas"
TABLES = {"music_store": {"artists", "albums", "tracks", "customers", "invoices",
                          "invoice_lines", "genres"},
          "dvd_rental": {"films", "actors", "film_actor", "inventory", "customers", "rentals",
                         "payments"},
          "hr": {"employees", "departments", "jobs"}}


def schema(name: str) -> DatasetSpec:
    return spec_from_sql((SCHEMAS / f"{name}.sql").read_text())


def parent_child(card: Cardinality, parents: int = 50, children: int | None = 200):
    parent = TableSpec("customers", [ColumnSpec("customer_id", "text", "id", {"prefix": "CUS"}),
                                     ColumnSpec("name", "text", "person")],
                       ["customer_id"], rows=parents)
    child = TableSpec("orders", [ColumnSpec("order_id", "integer", "int"),
                                 ColumnSpec("customer_id", "text", "id")], ["order_id"],
                      foreign_keys=[ForeignKey("customer_id", "customers", "customer_id", card)],
                      rows=children)
    return DatasetSpec([child, parent]).validate()


@pytest.mark.parametrize("name", sorted(TABLES))
def test_practice_schemas_pass_sqlite_checks(tmp_path, name):
    spec = schema(name)
    assert {t.name for t in spec.tables} == TABLES[name]
    counts = write_sqlite(spec, tmp_path / "db.sqlite", seed=3, default_rows=1200)
    assert set(counts) == TABLES[name] and min(counts.values()) >= 1000
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ddl = " ".join(r[0] for r in db.execute("SELECT sql FROM sqlite_master "
                                                "WHERE type = 'table'"))
        for word in ("PRIMARY KEY", "FOREIGN KEY", "NOT NULL"):
            assert word in ddl
        for t in spec.tables:
            assert db.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] == counts[t.name]
    assert check_linked(tmp_path / "db.sqlite").ok


def test_the_database_enforces_what_it_declares(tmp_path):
    write_sqlite(schema("music_store"), tmp_path / "m.sqlite", default_rows=20)
    with sqlite3.connect(tmp_path / "m.sqlite") as db:
        db.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute("INSERT INTO albums (album_id, title, artist_id) VALUES (999, 'x', 999)")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            db.execute("INSERT INTO customers (customer_id, first_name, last_name, email) "
                       "SELECT 999, 'a', 'b', email FROM customers LIMIT 1")
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            db.execute("INSERT INTO artists (artist_id, name) VALUES (999, NULL)")


def test_self_reference_points_to_earlier_rows():
    employees = generate_tables(schema("hr"), seed=1, default_rows=500)["employees"]
    managers = employees["manager_id"]
    assert pd.isna(managers.iloc[0])
    assert (managers.iloc[1:].astype(int) < employees["employee_id"].iloc[1:]).all()


def test_composite_key_pairs_never_repeat():
    tables = generate_tables(schema("dvd_rental"), seed=0, default_rows=900)
    pairs = tables["film_actor"][["actor_id", "film_id"]]
    assert not pairs.duplicated().any()
    assert pairs["actor_id"].nunique() > 400 and pairs["film_id"].nunique() > 400


def test_foreign_keys_hold_only_parent_keys():
    tables = generate_tables(schema("music_store"), seed=5, default_rows=300)
    assert set(tables["tracks"]["album_id"]) <= set(tables["albums"]["album_id"])
    assert set(tables["invoice_lines"]["track_id"]) <= set(tables["tracks"]["track_id"])
    assert tables["customers"]["email"].is_unique and tables["genres"]["name"].is_unique


@pytest.mark.parametrize("column", [ColumnSpec("k", "integer", "int"),
                                    ColumnSpec("k", "text", "id", {"prefix": "X"}),
                                    ColumnSpec("k", "text", "digits", {"digits": 6}),
                                    ColumnSpec("k", "text", "isbn"),
                                    ColumnSpec("k", "text", "card"),
                                    ColumnSpec("k", "uuid", "uuid")])
def test_keys_are_unique_by_construction(column):
    values = key_values("t", column, np.arange(120_000))  # past one chunk
    assert len(set(values.tolist())) == 120_000


@pytest.mark.parametrize("n", [1, 7, 10, 1000, 99_991, 100_000])
def test_permute_is_a_bijection(n):
    assert np.array_equal(np.sort(permute(np.arange(n), n, 12345)), np.arange(n))


def test_fixed_cardinality_gives_each_parent_exactly_n():
    orders = generate_tables(parent_child(Cardinality("fixed", 4), children=None))["orders"]
    assert len(orders) == 200 and (orders["customer_id"].value_counts() == 4).all()


def test_uniform_cardinality_stays_in_its_range_and_meets_the_row_count():
    orders = generate_tables(parent_child(Cardinality("uniform", 2, 6)))["orders"]
    counts = orders["customer_id"].value_counts()
    assert len(orders) == 200 and len(counts) == 50 and counts.between(2, 6).all()


def test_skewed_cardinality_gives_a_few_parents_many_children():
    orders = generate_tables(parent_child(Cardinality("skewed", skew=1.2), parents=1000,
                                          children=20_000))["orders"]
    counts = orders["customer_id"].value_counts()
    assert len(orders) == 20_000 and counts.max() > 20 * counts.median()


def test_same_seed_same_tables_other_seed_other_tables():
    spec = schema("dvd_rental")
    one, again = generate_tables(spec, 7, default_rows=300), generate_tables(spec, 7,
                                                                             default_rows=300)
    other = generate_tables(spec, 8, default_rows=300)
    for name in one:
        pd.testing.assert_frame_equal(one[name], again[name])
    assert not one["rentals"].equals(other["rentals"])


def test_streaming_yields_bounded_chunks():
    spec = parent_child(Cardinality(), parents=20_000, children=250_000)
    sizes = [(name, len(chunk)) for name, chunk in iter_dataset(spec)]
    assert [n for n, _ in sizes][:1] == ["customers"]
    assert max(s for _, s in sizes) <= 100_000 and sum(s for n, s in sizes if n == "orders") \
        == 250_000


def test_a_folder_with_an_orphan_and_a_repeated_key_fails_the_check(tmp_path):
    write_folder(parent_child(Cardinality()), tmp_path)
    assert check_linked(tmp_path).ok
    orders = pd.read_csv(tmp_path / "orders.csv", dtype=str)
    orders.loc[3, "customer_id"] = "CUS-999999"
    orders.loc[5, "order_id"] = orders.loc[4, "order_id"]
    orders.to_csv(tmp_path / "orders.csv", index=False)
    report = check_linked(tmp_path)
    assert not report.ok and len(report.problems) == 2
    assert "1 rows point to no customers.customer_id" in str(report)


def test_plan_refuses_what_cannot_be_met():
    with pytest.raises(SpecError, match="4 children for each of 50 parents make 200 rows, but "
                                        "the table asks for 150"):
        make_plan(parent_child(Cardinality("fixed", 4), children=150))
    with pytest.raises(SpecError, match="2 to 3 children"):
        make_plan(parent_child(Cardinality("uniform", 2, 3), children=1000))


def test_a_composite_key_with_one_foreign_key_cannot_repeat():
    spec = spec_from_sql("CREATE TABLE artists (artist_id INT PRIMARY KEY);\n"
                         "CREATE TABLE albums (title TEXT, artist_id INT REFERENCES artists, "
                         "UNIQUE (title, artist_id));")
    albums = generate_tables(spec, default_rows=400)["albums"]
    assert not albums.duplicated(["title", "artist_id"]).any()


def test_children_of_a_parent_are_spread_over_the_table():
    orders = generate_tables(parent_child(Cardinality(), parents=20, children=400))["orders"]
    first = orders["customer_id"].head(20)
    assert first.nunique() > 8  # not one parent's children in a block


def test_a_not_null_self_reference_starts_with_itself(tmp_path):
    spec = spec_from_sql("CREATE TABLE staff (id INT PRIMARY KEY, boss INT NOT NULL "
                         "REFERENCES staff (id));")
    write_sqlite(spec, tmp_path / "s.sqlite", default_rows=50)
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        assert db.execute("SELECT boss FROM staff WHERE id = 1").fetchone() == (1,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
