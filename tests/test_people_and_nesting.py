"""One person per row (first name, last name, name, e-mail and user name agree), and a nested
JSON Schema object's properties filled by their own last part (a city is a city)."""

import pytest

from helpers.generate import generate_dataframe
from helpers.linked import generate_tables
from helpers.plausibility import check_table
from helpers.pools import pools
from helpers.spec_csv import spec_from_csv
from helpers.spec_jsonschema import spec_from_json_schema
from helpers.spec_sql import spec_from_sql

NESTED = {"title": "order", "type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"},
    "customer": {"type": "object", "properties": {
        "firstName": {"type": "string"}, "lastName": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "address": {"type": "object", "properties": {
            "street": {"type": "string"}, "city": {"type": "string"},
            "postalCode": {"type": "string"}, "country": {"type": "string"}}}}}}}


def agree(df, first="first_name", last="last_name", locale="en_US"):
    """Each row's e-mail is made of its own first and last name, in the locale's spelling."""
    p = pools(locale)
    p_first, p_last = set(p.first), set(p.last)
    spell = dict(zip(p.first, p.first_ascii, strict=True)) | dict(
        zip(p.last, p.last_ascii, strict=True))
    for f, la, e in zip(df[first], df[last], df[df.columns[df.columns.str.endswith("email")][0]],
                        strict=True):
        assert f in p_first and la in p_last, (f, la)  # a name part, not a full name
        assert e.split("@")[0].lower().startswith(f"{spell[f]}.{spell[la]}".lower()), (f, la, e)


@pytest.mark.parametrize("locale", ["en_US", "ja_JP", "de_DE"])
def test_first_last_and_email_are_one_person(locale):
    df = generate_dataframe(["first_name", "last_name", "email", "username"], rows=50,
                            seed=1, locale=locale)
    agree(df, locale=locale)
    assert check_table(df, locale=locale).violations.get("email_matches_name") == 0


def test_name_is_the_join_of_its_parts():
    df = generate_dataframe(["name", "first_name", "last_name", "email", "gender"], rows=50)
    assert (df["name"] == df["first_name"] + " " + df["last_name"]).all()
    agree(df)


def test_csv_header_and_mysql_users_are_one_person():
    spec = spec_from_csv("first_name,last_name,email,phone,city\n")
    agree(generate_tables(spec, default_rows=30)["records" if "records" in
                                                  spec.tables[0].name else spec.tables[0].name])
    sql = ("CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(50), "
           "last_name VARCHAR(50), email VARCHAR(100) UNIQUE, username VARCHAR(30)) "
           "ENGINE=InnoDB;")
    users = generate_tables(spec_from_sql(sql, "mysql"), default_rows=30)["users"]
    agree(users)
    assert all(u.split("_")[0] == e.split(".")[0] for u, e in zip(users["username"],
                                                                    users["email"], strict=True))


def test_nested_json_schema_properties_take_their_last_part():
    spec = spec_from_json_schema(NESTED)
    kinds = {c.name: c.kind for c in spec.tables[0].columns}
    assert kinds["customer_address_city"] == "city"
    assert kinds["customer_address_postal_code"] == "postcode"
    assert kinds["customer_address_country"] == "country"
    assert kinds["customer_first_name"] == "first_name"
    df = generate_tables(spec, default_rows=40)["order"]
    agree(df, "customer_first_name", "customer_last_name")
    assert df["customer_address_country"].astype(str).eq("United States").all()
    # the postcode is one of its own row's city's (city_of follows the nesting)
    city = spec.tables[0].column("customer_address_postal_code").params["city_of"]
    assert city == "customer_address_city"
