"""helpers.check_table: it finds each kind of violation, and finds none in our own tables."""

from datetime import date

import pandas as pd
import pytest
from faker import Faker

import helpers
from helpers.__main__ import main

RELATED = ["customer_id", "name", "email", "phone", "date_of_birth", "age", "check_in",
           "check_out", "price", "quantity", "total", "card_number", "isbn", "vin", "make",
           "model", "fuel_type", "year", "mileage", "product_name", "category", "employee_id",
           "manager_id", "order_date", "ship_date"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return helpers.generate_dataframe(RELATED, rows=2_000, seed=0)


@pytest.mark.parametrize("locale", list(helpers.LOCALES))
def test_our_tables_are_clean_in_every_locale(locale):
    t = helpers.generate_dataframe(RELATED, rows=2_000, seed=1, locale=locale)
    report = helpers.check_table(t)  # no locale given: read from the phone numbers
    assert report.ok, str(report)
    assert report.locale == locale
    assert {"email_matches_name", "age_matches_birth", "date_order", "total_is_product",
            "phone_valid", "card_luhn", "isbn_check_digit", "vin_check_digit", "duplicate_id",
            "duplicate_email", "value_fits_row", "not_a_number", "not_a_date",
            "date_in_future", "value_in_range", "vin_matches_make", "vin_matches_year",
            "manager_is_employee"} == set(report.violations)


def break_one(table: pd.DataFrame, column: str, value) -> pd.DataFrame:
    broken = table.copy()
    broken[column] = broken[column].astype(object)
    broken.loc[3, column] = value(table.loc[3, column]) if callable(value) else value
    return broken


@pytest.mark.parametrize("column, value, rule", [
    ("email", "somebody.else@example.com", "email_matches_name"),
    ("age", 7, "age_matches_birth"),
    ("check_out", pd.Timestamp("2000-01-01"), "date_order"),
    ("total", 0.5, "total_is_product"),
    ("phone", "555-0100", "phone_valid"),
    ("card_number", "4111111111111112", "card_luhn"),
    ("isbn", "9780306406158", "isbn_check_digit"),
    ("vin", lambda vin: vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:], "vin_check_digit"),
    ("fuel_type", "steam", "value_fits_row"),
    ("price", "abc", "not_a_number"),
    ("check_in", "not a date", "not_a_date"),
])
def test_each_rule_catches_its_violation(table, column, value, rule):
    report = helpers.check_table(break_one(table, column, value))
    assert report.violations[rule] == 1
    assert sum(report.violations.values()) == 1
    shown = break_one(table, column, value).loc[3, column]
    assert str(shown)[:10] in str(report)  # the example shows the offending value


def test_a_past_date_in_the_future_is_caught_and_a_future_due_date_is_not():
    t = helpers.generate_dataframe(["signup_date", "issue_date", "due_date"], rows=50, seed=0)
    assert helpers.check_table(t).ok
    t["signup_date"] = t["signup_date"].astype(object)
    t.loc[7, "signup_date"] = "2090-05-01"
    t.loc[8, "due_date"] = pd.Timestamp("2090-05-01")  # a due date may lie ahead
    assert helpers.check_table(t).violations["date_in_future"] == 1


def test_a_german_table_is_checked_against_german_numbers():
    t = helpers.generate_dataframe(["name", "phone"], rows=50, seed=0, locale="de_DE")
    assert helpers.check_table(t).ok and helpers.check_table(t).locale == "de_DE"
    assert helpers.check_table(t, locale="en_US").violations["phone_valid"] > 40  # as before


def test_duplicates(table):
    broken = table.copy()
    broken.loc[5, ["customer_id", "email"]] = broken.loc[4, ["customer_id", "email"]].to_numpy()
    report = helpers.check_table(broken)
    assert report.violations["duplicate_id"] == 1
    assert report.violations["duplicate_email"] == 1


def test_a_naive_faker_loop_has_violations():
    fake = Faker("en_US")
    fake.seed_instance(0)
    naive = pd.DataFrame([{"name": fake.name(), "email": fake.email(),
                           "phone": fake.phone_number(),
                           "date_of_birth": fake.date_between(date(1950, 1, 1), date(2005, 1, 1)),
                           "age": fake.random_int(18, 80)} for _ in range(300)])
    found = helpers.check_table(naive).violations
    assert found["email_matches_name"] > 200      # fake.email() ignores the name
    assert found["phone_valid"] > 30              # extensions, area codes that do not exist
    assert found["age_matches_birth"] > 250


def test_report_as_frame(table):
    frame = helpers.check_table(table).to_frame()
    assert list(frame.columns) == ["rule", "columns", "checked", "violations", "example",
                                   "share"]
    assert (frame["checked"] == len(table)).all()


def test_no_rule_applies():
    report = helpers.check_table(pd.DataFrame({"favourite_colour": ["red"]}))
    assert report.ok and "no rule applies" in str(report)


def test_bad_input():
    with pytest.raises(TypeError, match="pandas DataFrame"):
        helpers.check_table([{"email": "a@b.c"}])
    with pytest.raises(ValueError, match="unsupported locale 'xx_XX'"):
        helpers.check_table(pd.DataFrame(), locale="xx_XX")


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_check_command(tmp_path, capsys, suffix):
    path = helpers.write_table(RELATED, tmp_path / f"t{suffix}", rows=300, seed=2)
    assert main(["check", str(path)]) == 0
    assert "0 violations" in capsys.readouterr().out
    broken = break_one(helpers.read_table(str(path)), "vin", "1M8GDM9A1KP042788")
    broken.to_csv(tmp_path / "broken.csv", index=False)
    assert main(["check", str(tmp_path / "broken.csv")]) == 1
    assert "vin_check_digit" in capsys.readouterr().out


def test_check_command_bad_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "table.xlsx")]) == 2


def test_check_command_reads_a_german_file_and_survives_a_text_cell(tmp_path, capsys):
    path = helpers.write_table(["name", "phone", "price"], tmp_path / "de.csv", rows=50, seed=0,
                               locale="de_DE")
    assert main(["check", str(path)]) == 0  # German numbers, checked as German
    table = helpers.read_table(str(path))
    table["price"] = table["price"].astype(object)
    table.loc[2, "price"] = "abc"
    table.to_csv(tmp_path / "bad.csv", index=False)
    capsys.readouterr()
    assert main(["check", str(tmp_path / "bad.csv")]) == 1
    assert "not_a_number" in capsys.readouterr().out


def catalog_table(name: str, rows: int = 300, locale: str = "en_US") -> pd.DataFrame:
    return helpers.generate_dataframe(helpers.load_catalog()[name], rows=rows, seed=3,
                                      locale=locale)


@pytest.mark.parametrize("name, column, value, rule", [
    ("cars", "vin", None, "vin_matches_make"),             # a Tesla with Honda's maker code
    ("cars", "year", 2005, "value_in_range"),              # a Model Y from 2005
    ("cars", "price", 3586.0, "value_in_range"),           # a 2021 car at a wreck's price
    ("cars", "mileage", 900_000, "value_in_range"),
    ("inventory", "price", 1.85, "value_in_range"),        # a Bluetooth speaker for 1.85
    ("inventory", "category", "travel", "value_fits_row"),
    ("employees", "manager_id", "EMP-000047", "manager_is_employee"),
])
def test_consistency_rules_catch_a_planted_defect(name, column, value, rule):
    t = catalog_table(name, rows=12 if name == "employees" else 300)
    assert helpers.check_table(t).ok, str(helpers.check_table(t))
    broken = t.copy()
    broken[column] = broken[column].astype(object)
    row = 3
    if name == "cars":
        row = int(((t["model"] == "Model Y") | (t["model"] == "Model 3")).to_numpy().argmax())
        broken.loc[row, "make"], broken.loc[row, "model"] = "Tesla", "Model Y"
        broken.loc[row, "year"], broken.loc[row, "price"] = 2021, 40_000.0
        broken.loc[row, "vin"] = t.loc[row, "vin"]  # a Tesla's own maker code, 2021's letter
        if column != "year":
            broken.loc[row, "vin"] = broken.loc[row, "vin"][:9] + "M" + broken.loc[row, "vin"][10:]
        broken.loc[row, "mileage"] = 40_000
    if name == "inventory":
        row = int((t["product_name"] == "Bluetooth Speaker").to_numpy().argmax())
    value = "1HG" + broken.loc[row, "vin"][3:] if column == "vin" else value
    broken.loc[row, column] = value
    report = helpers.check_table(broken)
    assert report.violations[rule] >= 1, str(report)


def test_vin_maker_code_and_year_letter_follow_the_make_and_year():
    t = catalog_table("cars", rows=2_000)
    from helpers.specs import load_generator_specs

    codes = load_generator_specs()["columns"]["vin"]["wmi_by"]["codes"]
    assert all(v[:3] in codes[m] for v, m in zip(t["vin"], t["make"], strict=True))
    assert all(v[9] == "ABCDEFGHJKLMNPRSTVWXY123456789"[(y - 1980) % 30]
               for v, y in zip(t["vin"], t["year"], strict=True))
    assert t.loc[t["model"] == "Model Y", "year"].min() >= 2020


def test_a_ship_date_before_its_order_date_is_caught():
    t = helpers.generate_dataframe(["order_id", "order_date", "ship_date"], rows=500, seed=0)
    assert (t["ship_date"] >= t["order_date"]).all() and helpers.check_table(t).ok
    t.loc[4, "ship_date"] = t.loc[4, "order_date"] - pd.Timedelta(days=3)
    assert helpers.check_table(t).violations["date_order"] == 1


def test_orders_repeat_customers_and_a_table_that_never_does_is_caught():
    t = catalog_table("ecommerce", rows=1_000)
    assert t["customer_id"].nunique() <= 300 and helpers.check_table(t).ok
    t["customer_id"] = [f"CUS-{i:06d}" for i in range(1, 1_001)]  # 1,000 orders, 1,000 buyers
    assert helpers.check_table(t).violations["foreign_key_repeats"] == 1_000


def test_a_manager_is_one_of_the_employees():
    t = catalog_table("employees", rows=12)
    assert set(t["manager_id"]) <= set(t["employee_id"])
    assert (t["manager_id"] != t["employee_id"]).all()


def test_the_checker_uses_the_catalog_tables_own_specs():
    t = catalog_table("cars", rows=200)
    assert helpers.check_table(t).ok  # cars: prices in the thousands are right
    t["note"] = "x"  # one column more: the columns alone no longer say 'cars'
    t.loc[0, "price"] = 1.85  # a car for 1.85: wrong only by the cars table's own specs
    assert helpers.check_table(t).violations.get("value_in_range", 0) == 0
    assert helpers.check_table(t, catalog_table="cars").violations["value_in_range"] == 1


def test_yen_with_cents_are_caught():
    t = catalog_table("credit_card_transactions")
    assert helpers.check_table(t).ok
    row = int((t["currency"] == "JPY").to_numpy().argmax())
    t.loc[row, "amount"] = 1991.26
    assert helpers.check_table(t).violations["currency_decimals"] == 1


def test_every_catalog_table_passes_its_own_checks_in_every_locale():
    """10,000 rows of each catalog table, each table in another locale (all 16 are used): no
    finding. scripts/check_generated.py runs the whole sweep (every table in every locale)."""
    locales = list(helpers.LOCALES)
    for i, (name, columns) in enumerate(helpers.load_catalog().items()):
        locale = locales[i % len(locales)]
        report = helpers.check_table(helpers.generate_dataframe(columns, 10_000, 1, locale))
        assert report.ok, f"{name} in {locale}\n{report}"


def test_a_city_rule_catches_a_wrong_area_code_and_postcode():
    t = helpers.generate_dataframe(["name", "phone", "city", "postcode"], rows=300, seed=0,
                                   locale="de_DE")
    assert helpers.check_table(t).ok
    row = int((t["city"] == "Berlin").to_numpy().argmax())
    t.loc[row, "phone"], t.loc[row + 1, "postcode"] = "089 12345678", "XX-1"
    t.loc[row + 1, "city"] = "Berlin"
    found = helpers.check_table(t).violations
    assert found["phone_fits_city"] >= 1 and found["postcode_fits_city"] == 1


def test_the_issues_defects_planted_in_a_generated_table_are_each_found():
    """Notebook 06's before and after: a Tesla with Honda's maker code, a ship date before
    its order date, a phone of another city; each found once, the generated table clean."""
    columns = ["name", "phone", "city", "make", "model", "year", "vin", "order_date", "ship_date"]
    after = helpers.generate_dataframe(columns, rows=6, seed=0)
    before, planted = helpers.with_planted_defects(after)
    assert len(planted) == 3 and "Tesla with Honda's VIN maker code (1HG)" in planted[0]
    found = {rule: n for rule, n in helpers.check_table(before).violations.items() if n}
    assert found == {"vin_matches_make": 1, "date_order": 1, "phone_fits_city": 1}
    assert helpers.check_table(after).ok
    assert (before.dtypes == after.dtypes).all()  # only values changed, not the columns' kinds
