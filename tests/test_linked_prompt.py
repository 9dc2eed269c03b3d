"""Prompts that ask for two linked catalog tables: the counts, the link, the receipt."""

import json

import pytest

from helpers.linked import generate_tables
from helpers.linked_prompt import load_relations, read_linked, spec_from_prompt


@pytest.mark.parametrize("prompt", ["50 customers and their 200 orders",
                                    "200 orders for 50 customers"])
def test_customers_and_their_orders(prompt):
    linked = read_linked(prompt)
    assert linked is not None and linked.rows == {"customers": 50, "orders": 200}
    assert linked.summary() == ("read: 2 linked tables, customers (50 rows) and orders (200 "
                                "rows); orders.customer_id -> customers.customer_id")
    tables = generate_tables(linked.spec(), seed=0)
    assert len(tables["customers"]) == 50 and len(tables["orders"]) == 200
    assert set(tables["orders"]["customer_id"]) <= set(tables["customers"]["customer_id"])
    assert tables["customers"]["customer_id"].is_unique
    assert json.loads(json.dumps(linked.to_dict()))["evidence"] == {
        "customers": "50 customers", "orders": "200 orders"}


def test_the_receipt_says_two_tables():
    spec, reading = spec_from_prompt("generate 20 German customers and their orders")
    receipt = reading.summary()
    assert [t.name for t in spec.tables] == ["customers", "orders"]
    assert receipt.startswith("read: 2 linked tables, customers (20 rows)")
    assert "de_DE" in receipt and "1 to 5 per customer" in receipt


def test_authors_with_their_books_adds_the_key_to_the_child():
    linked = read_linked("12 authors with their books")
    spec = linked.spec()
    books = spec.table("books")
    assert books.names[:2] == ["isbn", "author_id"] and spec.table("authors").rows == 12
    tables = generate_tables(spec)
    counts = tables["books"]["author_id"].value_counts()
    assert set(counts.index) <= set(tables["authors"]["author_id"]) and counts.between(1, 5).all()


def test_a_count_per_parent_is_fixed():
    tables = generate_tables(read_linked("8 customers each with 3 orders").spec())
    assert (tables["orders"]["customer_id"].value_counts() == 3).all()
    assert len(tables["orders"]) == 24


@pytest.mark.parametrize("prompt", ["a list of customers", "invoices with customer names",
                                    "generate a hospital dataset"])
def test_one_table_prompts_stay_one_table(prompt):
    assert read_linked(prompt) is None


def test_every_relation_names_tables_and_keys_that_exist():
    from helpers.linked_prompt import LinkedReading

    for relation in load_relations()["relations"]:
        linked = LinkedReading("", relation["parent"], relation["child"], relation["column"],
                               relation["ref"])
        spec = linked.spec()  # validates: the parent's key exists and is its primary key
        assert spec.tables[0].primary_key == [relation["ref"]]
