"""What the reading does not do, said in its notes (fix31): a number that is a value limit is
not a row count, a second place, a count that is no count, the rest of a list after
'without', and words that are no columns ('check-out dates', 'appointments')."""

from __future__ import annotations

import pytest

import helpers
from helpers.catalog import load_catalog
from helpers.pipeline import NotADatasetRequest, read_request, rows_and_locale
from helpers.rule_reader import rule_tags
from helpers.slots import raw_words, read_spans

CATALOG = load_catalog()


def tags_for(prompt: str, marked: dict[str, str]) -> list[str]:
    """O for every word, except the words given ({'50': 'B-ROWS', ...})."""
    return [marked.get(w.group().lower(), "O") for w in raw_words(prompt)]


@pytest.mark.parametrize("prompt, number, table, limit", [
    ("products under $5", "5", "inventory", "under $5"),
    ("orders over €100", "100", "ecommerce", "over €100"),
    ("employees earning 50000 a year", "50000", "employees", "earning 50000 a year"),
    ("patients older than 65", "65", "hospital", "older than 65"),
    ("bank accounts with balance above 1000", "1000", "bank", "balance above 1000"),
    ("orders of at least 20 dollars", "20", "ecommerce", "at least 20 dollars"),
    ("products cheaper than 10 dollars", "10", "inventory", "cheaper than 10 dollars"),
    ("sales in 2024", "2024", "ecommerce", "in 2024"),
])
def test_a_value_limit_is_not_a_row_count_and_says_so(prompt, number, table, limit):
    r = read_spans(prompt, tags_for(prompt, {number: "B-ROWS"}), table, CATALOG[table])
    assert r.rows is None and "rows" not in r.evidence
    assert r.notes == [f"'{limit}' is not applied: the value ranges come from the catalog, "
                       "not the prompt"]


def test_a_count_beside_a_limit_is_still_the_count():
    prompt = "10 products under 5 euros"
    r = read_spans(prompt, tags_for(prompt, {"10": "B-ROWS", "5": "B-ROWS"}), "inventory",
                   CATALOG["inventory"])
    assert r.rows == 10 and r.evidence["rows"] == "10"
    assert r.notes and r.notes[0].startswith("'under 5 euros' is not applied")
    untagged = "200 orders over $50"  # the tagger marked only the count: the limit is noted
    r = read_spans(untagged, tags_for(untagged, {"200": "B-ROWS"}), "ecommerce",
                   CATALOG["ecommerce"])
    assert r.rows == 200 and r.notes[0].startswith("'over $50' is not applied")
    both = "patients between 18 and 65, 40 rows"
    r = read_spans(both, tags_for(both, {"18": "B-ROWS", "40": "B-ROWS"}), "hospital",
                   CATALOG["hospital"])
    assert r.rows == 40 and r.notes[0].startswith("'between 18 and 65' is not applied")


def test_top_three_is_three_rows_not_ranked():
    prompt = "top 3 products by sales in 2024"
    r = read_spans(prompt, tags_for(prompt, {"3": "B-ROWS"}), "inventory", CATALOG["inventory"])
    assert r.rows == 3
    assert any("'top 3' is read as 3 rows; they are not ranked" in n for n in r.notes)
    assert any(n.startswith("'in 2024' is not applied") for n in r.notes)


def test_a_negative_count_is_refused_and_a_fraction_is_said():
    prompt = "generate -5 patients"
    r = read_spans(prompt, tags_for(prompt, {"5": "B-ROWS"}), "hospital", CATALOG["hospital"])
    assert (r.rows, r.evidence["rows"]) == (-5, "-5")
    with pytest.raises(ValueError, match=r"asks for -5 rows \('-5'\): ask for at least 1"):
        rows_and_locale(r)
    covid = "covid-19 patients"  # a hyphen inside a word is no minus
    r = read_spans(covid, tags_for(covid, {"19": "B-ROWS"}), "hospital", CATALOG["hospital"])
    assert r.rows == 19
    half = "generate 2.5 patients"
    r = read_spans(half, ["O", "B-ROWS", "B-ROWS", "O"], "hospital", CATALOG["hospital"])
    assert r.rows is None
    assert r.notes == ["'2.5' is not a whole number: the row count is not read from it"]


def test_a_second_place_is_said():
    prompt = "German and French customers"
    r = read_spans(prompt, tags_for(prompt, {"german": "B-LOC", "french": "B-LOC"}),
                   "customers", CATALOG["customers"])
    assert r.locale == "de_DE"
    assert r.notes == ["one locale per table; using de_DE ('German'), not fr_FR ('French')"]


def test_the_list_after_without_goes_on_after_commas():
    prompt = "customers without name, email, city, country and signup date"
    marked = {"name": "B-NOT", "email": "B-NOT", "city": "B-COL", "country": "B-COL",
              "signup": "B-COL", "date": "I-COL"}
    r = read_spans(prompt, tags_for(prompt, marked), "customers", CATALOG["customers"])
    assert set(r.dropped) == {"name", "email", "city", "country", "signup_date"}
    assert r.columns == ["customer_id", "phone", "address"]
    named = "customers without phone but with city"  # 'but with': a new list
    r = read_spans(named, tags_for(named, {"phone": "B-NOT", "city": "B-COL"}), "customers",
                   CATALOG["customers"])
    assert r.dropped == ["phone"] and "city" in r.columns


@pytest.mark.parametrize("prompt, marked, table", [
    ("hotel bookings with check-in and check-out dates",
     ["O", "O", "O", "B-COL", "I-COL", "O", "B-COL", "I-COL", "I-COL"], "hotel"),
    ("students with date of birth, name and email",
     ["O", "O", "O", "O", "I-COL", "B-COL", "O", "B-COL"], "school"),
    ("customers with a date of birth", ["O", "O", "O", "B-COL", "O", "I-COL"], "customers"),
    ("flights with departure and arrival times",
     ["O", "O", "B-COL", "O", "B-COL", "I-COL"], "airline"),
    ("transactions with card number and amount",
     ["O", "O", "O", "I-COL", "O", "B-COL"], "credit_card_transactions"),
])
def test_known_names_map_to_their_columns_not_junk(prompt, marked, table):
    r = read_spans(prompt, marked, table, CATALOG[table])
    expected = ["date_of_birth"] if table == "customers" else []
    assert r.added == expected, r.added


def test_a_word_for_whole_records_is_no_column():
    prompt = "patients with their appointments"
    r = read_spans(prompt, tags_for(prompt, {"appointments": "B-COL"}), "hospital",
                   CATALOG["hospital"])
    assert r.added == [] and r.columns == CATALOG["hospital"]
    assert r.notes and r.notes[0].startswith("'appointments' is a table of its own, not a "
                                             "column: not added")
    school = "schools with students"  # a column's own name stays one (enrolled_students)
    r = read_spans(school, tags_for(school, {"students": "B-COL"}), None, [])
    assert r.notes == []


def test_the_rule_reader_skips_limits():
    assert rule_tags("products under $5, 20 rows") == ["O", "O", "O", "B-ROWS", "O"]
    assert rule_tags("employees earning 50000 a year") == ["O"] * 5
    assert rule_tags("50 customers")[0] == "B-ROWS"


# --- the shipped model, the pipeline, the command line ------------------------------------

def test_the_shipped_model_reads_limits_as_notes():
    r = read_request("products under $5")
    assert r.rows is None and r.notes[0].startswith("'under $5' is not applied")
    r = read_request("hotel bookings with check-in and check-out dates")  # an example prompt
    assert r.added == [] and r.columns == CATALOG["hotel"]


def test_excluding_every_column_says_so():
    prompt = ("customers without name, email, phone, address, city, country, signup_date, "
              "customer_id")
    with pytest.raises(NotADatasetRequest, match="excludes every column of the customers"):
        read_request(prompt)


def test_cli_prints_the_notes_and_no_false_override(capsys):
    from helpers.__main__ import main

    assert main(["generate", "products under $5", "--rows", "3"]) == 0
    err = capsys.readouterr().err
    assert "overrides" not in err
    assert "'under $5' is not applied: the value ranges come from the catalog" in err
    assert main(["generate", "generate -5 patients"]) == 2
    assert "asks for -5 rows" in capsys.readouterr().err


def test_a_third_table_is_said_in_a_linked_prompt():
    from helpers.linked_prompt import read_linked

    linked = read_linked("customers and their orders and their payments")
    assert (linked.parent, linked.child) == ("customers", "ecommerce")
    assert linked.notes and linked.notes[0].startswith("'payments': not made")
    assert read_linked("50 customers and their 200 orders").notes == []


def test_the_api_reading_carries_the_notes():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from helpers.api import app

    with TestClient(app) as client:
        body = client.post("/generate", json={"prompt": "products under $5", "rows": 2}).json()
    assert len(body["rows"]) == 2 and body["reading"]["rows"] is None
    assert body["reading"]["notes"][0].startswith("'under $5' is not applied")
    assert helpers.read_prompt("generate 50 German customers").notes == []


def test_a_count_of_rows_is_a_count_however_it_is_put():
    prompt = "customers, at least 50 rows"
    r = read_spans(prompt, tags_for(prompt, {"50": "B-ROWS"}), "customers", CATALOG["customers"])
    assert r.rows == 50 and r.notes == []


@pytest.mark.parametrize("prompt, number", [
    ("seed at least 10 users", "10"), ("over 100 customers from Berlin", "100"),
])
def test_a_quantity_word_before_the_rows_noun_is_a_count(prompt, number):
    r = read_spans(prompt, tags_for(prompt, {number: "B-ROWS"}), "customers",
                   CATALOG["customers"])
    assert r.rows == int(number) and r.notes == []
    limit = "customers over 65"  # no noun after the number: a limit
    r = read_spans(limit, tags_for(limit, {"65": "B-ROWS"}), "customers", CATALOG["customers"])
    assert r.rows is None and r.notes[0].startswith("'over 65' is not applied")


def test_a_tagged_word_that_is_no_number_is_not_noted():
    prompt = "employees in our Munich office"
    r = read_spans(prompt, tags_for(prompt, {"our": "B-ROWS"}), "employees",
                   CATALOG["employees"])
    assert r.rows is None and r.notes == []


def test_the_rule_reader_keeps_a_limit_with_thousands_whole():
    assert "B-ROWS" not in rule_tags("accounts with balance above 1,000")
