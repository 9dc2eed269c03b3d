"""The plausibility report's building blocks and the rules that look at one cell at a time.

A column's spec (data/generators.json, the generators' own) says its kind; a cell that is not
of its kind ("abc" in a price, "not a date" in a date) is a finding and counts as missing for
every other rule. The cell rules: kind, a date in the future where the past is meant, check
digits and numbering plans (phones by Google's libphonenumber, cards by Luhn, ISBNs, VINs),
and identifiers or e-mail addresses that repeat. helpers.plausibility_rows compares cells
within a row; helpers.plausibility runs them all. Generation side: no torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.date_pairs import bind_rows
from helpers.identifiers import isbn13_digit, luhn_digit, vin_check_digit
from helpers.specs import column_spec

UNIQUE_KINDS = {"id", "digits", "card", "isbn", "vin", "uuid", "sku"}

NUMBER_KINDS = {"int", "float", "money", "age", "product"}

DATE_KINDS = {"date", "datetime", "after"}

PAST_KINDS = {"date", "datetime"}  # sign-ups, births, orders: never after the reference day



@dataclass(frozen=True)
class Finding:
    """One rule applied to one column (or pair of columns)."""

    rule: str
    columns: str
    checked: int  # rows the rule could look at (both values present)
    violations: int
    example: str = ""  # the first offending value, to show what is wrong



def kinds(table: pd.DataFrame, catalog_table: str | None = None) -> dict[str, dict]:
    """Each column's spec from data/generators.json (the catalog table's own, a catalog name
    or a name pattern), with the date rules applied: the very specs the generators read."""
    return bind_rows({c: column_spec(c, catalog_table)[0] for c in table.columns
                       if isinstance(c, str)})



def finding(rule: str, columns: str, values: pd.Series, bad: np.ndarray) -> Finding:
    bad = np.asarray(bad, dtype=bool)
    example = str(values[bad].iloc[0]) if bad.any() else ""
    return Finding(rule, columns, len(values), int(bad.sum()), example[:60])



def present(table: pd.DataFrame, *columns: str, specs: dict[str, dict] | None = None
            ) -> pd.DataFrame:
    """The rows where every one of `columns` has a value of its kind: numbers as floats,
    dates as timestamps, anything else as it is (a cell of the wrong kind counts as missing)."""
    specs = kinds(table) if specs is None else specs
    return pd.DataFrame({c: typed(table[c], specs[c]["kind"]) for c in columns}).dropna()



def typed(values: pd.Series, kind: str) -> pd.Series:
    """A column as numbers or dates when its kind says so; NaN/NaT where a cell is not."""
    if kind in NUMBER_KINDS:
        return pd.to_numeric(values, errors="coerce")
    if kind in DATE_KINDS:  # in UTC, zone dropped: '...T10:00:00Z' beside a naive time compares
        return pd.to_datetime(values, errors="coerce", format="mixed", utc=True).dt.tz_convert(None)
    return values



def valid_phone(region: str) -> Callable[[str], bool]:
    import phonenumbers  # only this rule needs it

    def check(number: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
        except phonenumbers.NumberParseException:
            return False
    return check



def valid_card(number: str) -> bool:
    return number.isdigit() and 12 <= len(number) <= 19 and luhn_digit(number[:-1]) == number[-1]



def valid_isbn(number: str) -> bool:
    digits = number.replace("-", "")
    return len(digits) == 13 and digits.isdigit() and isbn13_digit(digits[:12]) == digits[-1]



def valid_vin(vin: str) -> bool:
    vin = vin.upper()
    return (len(vin) == 17 and all(ch in "ABCDEFGHJKLMNPRSTUVWXYZ0123456789" for ch in vin)
            and vin_check_digit(vin) == vin[8])



def validity_rule(table, specs, locale, **_) -> Iterator[Finding]:
    checks = {"phone": ("phone_valid", valid_phone(locale.split("_")[-1])),
              "card": ("card_luhn", valid_card), "isbn": ("isbn_check_digit", valid_isbn),
              "vin": ("vin_check_digit", valid_vin)}
    for column, spec in specs.items():
        if spec["kind"] in checks:
            rule, check = checks[spec["kind"]]
            values = table[column].dropna().astype(str)
            yield finding(rule, column, values, [not check(v) for v in values])



def own_key(specs: dict[str, dict], key: list[str] | None = None, name: str | None = None
            ) -> str | None:
    """The table's own key column: its primary key where a spec or database says it (books:
    isbn, not the author_id each author's books repeat); else the id column named after the
    table (book_id in books.csv); else its first id column, as a table's key comes first."""
    if key is not None:
        return key[0] if len(key) == 1 else None
    ids = [c for c, spec in specs.items() if spec["kind"] == "id"]
    if name:
        stem = name.lower()
        named = [f"{stem}_id", f"{stem.removesuffix('s')}_id", f"{stem.removesuffix('es')}_id",
                 f"{stem.removesuffix('ies')}y_id"]
        found = next((c for c in named if c in ids), None)
        if found is not None:
            return found
    return ids[0] if ids else None


def unique_rule(table, specs, key=None, name=None, **_) -> Iterator[Finding]:
    key = own_key(specs, key, name)
    for column, spec in specs.items():
        if spec["kind"] == "id" and column != key:
            continue  # another table's key, named again and again by design
        if spec["kind"] in UNIQUE_KINDS or spec["kind"] == "email":
            values = table[column].dropna()
            rule = "duplicate_email" if spec["kind"] == "email" else "duplicate_id"
            yield finding(rule, column, values, values.duplicated().to_numpy())



def kind_rule(table, specs, **_) -> Iterator[Finding]:
    for column, spec in specs.items():
        if spec["kind"] in NUMBER_KINDS | DATE_KINDS:
            values = table[column].dropna()
            rule = "not_a_number" if spec["kind"] in NUMBER_KINDS else "not_a_date"
            yield finding(rule, column, values, typed(values, spec["kind"]).isna().to_numpy())



def future_rule(table, specs, reference_date, **_) -> Iterator[Finding]:
    day = pd.Timestamp(reference_date) + pd.Timedelta(days=1)  # the whole reference day is past
    for column, spec in specs.items():
        if spec["kind"] in PAST_KINDS or (spec["kind"] == "after" and "until" in spec):
            values = present(table, column, specs=specs)[column]
            yield finding("date_in_future", column, values, (values >= day).to_numpy())

