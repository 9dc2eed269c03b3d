"""A plausibility report for any table: the violations that can be found without real data.

    report = check_table(df)          # or: python -m helpers check customers.csv
    print(report)                     # one line per rule: rows checked, violations, an example

Which rule applies to which column comes from data/generators.json, so a column named like
ours (email, date_of_birth, check_out, card_number, ...) is checked whoever generated the
table. Rules: an e-mail that does not contain its person's name, an age that disagrees with the
date of birth, a date before the date it must follow, a total that is not price x quantity, an
invalid phone number (Google's libphonenumber), card number (Luhn), ISBN or VIN check digit,
a value that does not fit its row (a model its make does not build), a duplicated
identifier or e-mail address, a cell that is not of its column's kind ("abc" in a price, "not
a date" in a date), a date after the reference day where the past is meant (a birth date
in 2090), a number outside the range its row gives it (a product's price, a model's years, a
car's price for its age), a VIN whose maker code or year letter contradicts the make or year,
a manager who is not among the employees, and a foreign key that never repeats (1,000 orders
from 1,000 customers). The specs are the generators' own, a catalog table's where the columns
are exactly that table's, so a generated table passes its own checks. A bad cell is reported
and left out of the other rules; it never stops the report.
Without a locale, the numbering plan is inferred from the phone numbers themselves.

The rules live in helpers.plausibility_cells (one cell at a time) and
helpers.plausibility_rows (a value against its row). Generation side: no torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.contacts import cities
from helpers.identifiers import vin_check_digit
from helpers.plausibility_cells import (
    Finding,
    future_rule,
    kind_rule,
    kinds,
    unique_rule,
    validity_rule,
)
from helpers.plausibility_rows import (
    age_rule,
    city_rule,
    currency_rule,
    derived,
    email_rule,
    fits_rule,
    foreign_key_rule,
    manager_rule,
    order_rule,
    range_rule,
    total_rule,
    vin_rule,
)
from helpers.specs import LOCALES, catalog_table_of, load_locales, reference_day


@dataclass(frozen=True)
class TableReport:
    """Every rule that applied to the table, with its counts."""

    rows: int
    findings: tuple[Finding, ...]
    locale: str = "en_US"  # the numbering plan phones were checked against (given or inferred)

    @property
    def violations(self) -> dict[str, int]:
        """rule -> violations, summed over the columns it applied to."""
        totals: dict[str, int] = {}
        for f in self.findings:
            totals[f.rule] = totals.get(f.rule, 0) + f.violations
        return totals

    @property
    def ok(self) -> bool:
        return not any(f.violations for f in self.findings)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([vars(f) for f in self.findings],
                             columns=["rule", "columns", "checked", "violations", "example"])
        return frame.assign(share=(frame["violations"] / frame["checked"].clip(lower=1)).round(4))

    def __str__(self) -> str:
        if not self.findings:
            return f"{self.rows:,} rows: no rule applies to these columns"
        lines = [f"{self.rows:,} rows, {sum(self.violations.values()):,} violations"]
        for f in self.findings:
            example = f"  e.g. {f.example}" if f.example else ""
            lines.append(f"  {f.rule:22} {f.columns:28} {f.violations:>7,} of {f.checked:>7,}"
                         f"{example}")
        return "\n".join(lines)



RULES = (kind_rule, email_rule, age_rule, order_rule, future_rule, total_rule, fits_rule,
         range_rule, currency_rule, vin_rule, manager_rule, foreign_key_rule, city_rule,
         validity_rule, unique_rule)



def infer_locale(table: pd.DataFrame) -> str:
    """The locale most of the table's phone numbers are written for: an international number
    names its country (+49); a national one must be valid there and either be written in one
    of the locale's own formats (data/locales.json: a Brazilian (19) 97752-0605) or carry the
    trunk prefix where the plan has one (a German 0228 ..., never a US 459.638...). en_US
    without phones."""
    phones = [c for c, spec in kinds(table).items() if spec["kind"] == "phone"]
    sample = pd.concat([table[c].dropna().astype(str) for c in phones]).head(200) if phones else []
    if len(sample) == 0:
        return "en_US"
    formats = {loc: [b["format"] for b in spec["phone"]] for loc, spec in load_locales().items()}
    score = {loc: sum(map(written_for(loc.split("_")[-1], formats[loc]), sample))
             for loc in LOCALES}
    return max(LOCALES, key=lambda loc: (score[loc], loc == "en_US"))



def written_for(region: str, formats: Iterable[str] = ()) -> Callable[[str], int]:
    """How surely a phone number is written the way `region` writes its numbers (infer_locale):
    2 in one of its national `formats` ('#' a digit), 1 valid there with the trunk prefix where
    the plan has one, 0 not."""
    import phonenumbers

    trunk = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
    shapes = set(formats)

    def valid(text: str) -> bool:  # valid in this region, not just in its calling code (+1)
        try:
            return phonenumbers.is_valid_number_for_region(phonenumbers.parse(text, region),
                                                           region)
        except phonenumbers.NumberParseException:
            return False

    def check(number: str) -> int:
        text = number.strip()
        if text.startswith("+"):
            try:
                return 2 * (phonenumbers.region_code_for_number(phonenumbers.parse(text)) == region)
            except phonenumbers.NumberParseException:
                return 0
        digits = "".join(ch for ch in text.split("x")[0] if ch.isdigit())
        shape = "".join("#" if ch.isdigit() else ch for ch in text)
        written = any(len(f) == len(shape) and all(a == b or (a.isdigit() and b == "#")
                                                  for a, b in zip(f, shape, strict=True))
                      for f in shapes)
        if not valid(text):
            return 0
        return 2 if written else int(trunk != "0" or digits.startswith("0"))  # own format first
    return check



def check_table(
    table: pd.DataFrame, locale: str | None = None, reference_date: str | None = None,
    catalog_table: str | None = None, key: list[str] | None = None, name: str | None = None,
) -> TableReport:
    """Count each plausibility rule's violations in `table`; `locale` picks the phone numbering
    plan (None: inferred from the phone numbers), `reference_date` the day ages are counted to
    and after which no past date may lie (default: the generators' fixed one), `catalog_table`
    the catalog table whose own specs apply (None: the one with exactly these columns, if any,
    as generate_dataframe does), `key` the table's primary key where a spec or database says
    it and `name` the table's name (books: book_id is its own key, author_id another's)."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"check_table needs a pandas DataFrame, got {type(table).__name__}")
    locale = infer_locale(table) if locale is None else locale
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    day = np.datetime64(reference_date, "D") if reference_date else reference_day()
    if catalog_table is None:
        catalog_table = catalog_table_of(table.columns)
    specs = kinds(table, catalog_table)
    findings = [f for rule in RULES
                for f in rule(table, specs, locale=locale, reference_date=day, key=key,
                              name=name)]
    return TableReport(rows=len(table), findings=tuple(findings), locale=locale)



def with_planted_defects(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A copy of a (generated) table with the defects issue #25 found planted in it, one row
    each, where its columns allow: a car with another make's VIN maker code (its check digit
    redone, so that only the maker code is wrong: a Tesla with Honda's 1HG), a ship date three
    days before its order date, and a landline of another city than the row's. Returns the
    copy and one line per planted defect; check_table finds each (notebook 06)."""
    bad, planted = table.copy(), []
    specs = kinds(table)
    vin = next((c for c, s in specs.items() if s["kind"] == "vin" and "wmi_by" in s), None)
    if vin and specs[vin]["wmi_by"]["of"] in table.columns:
        make_column, codes = specs[vin]["wmi_by"]["of"], specs[vin]["wmi_by"]["codes"]
        makes = table[make_column].astype(str)
        row = int((makes == "Tesla").to_numpy().argmax()) if (makes == "Tesla").any() else 0
        make = makes.iloc[row]
        other = "Honda" if make != "Honda" else "Ford"
        body = codes[other][0] + str(table[vin].iloc[row])[3:]
        body = body[:8] + vin_check_digit(body) + body[9:]
        bad.iloc[row, bad.columns.get_loc(vin)] = body
        planted.append(f"row {row}: a {make} with {other}'s VIN maker code ({body[:3]})")
    for column, earlier, _spec in derived(table, specs, "after"):
        row = 1 % len(table)
        day = pd.Timestamp(table[earlier].iloc[row]) - pd.Timedelta(days=3)
        bad.iloc[row, bad.columns.get_loc(column)] = day
        planted.append(f"row {row}: {column} {day.date()} before {earlier} "
                       f"{pd.Timestamp(table[earlier].iloc[row]).date()}")
        break
    phone = next((c for c, s in specs.items() if s["kind"] == "phone"
                  and s.get("city_of") in table.columns), None)
    if phone:
        city = table[specs[phone]["city_of"]].astype(str)
        row = 2 % len(table)
        areas = cities(infer_locale(table)).areas
        digits = table[phone].astype(str).str.replace(r"\D", "", regex=True).str.lstrip("0")
        landline = [digits.iloc[k].startswith(areas.get(c, "-")) for k, c in enumerate(city)]
        elsewhere = city.map(areas) != areas.get(city.iloc[row])  # another area code
        others = np.flatnonzero(elsewhere.to_numpy() & np.array(landline))
        if len(others):
            other = int(others[0])
            bad.iloc[row, bad.columns.get_loc(phone)] = table[phone].iloc[other]
            planted.append(f"row {row}: a phone of {city.iloc[other]} for a customer in "
                           f"{city.iloc[row]} ({table[phone].iloc[other]})")
    return bad, planted



def read_table(path: str) -> pd.DataFrame:
    """A .csv, .json or .parquet file as written by write_table (or by anyone else)."""
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    readers = {".csv": pd.read_csv, ".json": pd.read_json, ".parquet": pd.read_parquet}
    if suffix not in readers:
        raise ValueError(f"cannot read {path!r}: use a .csv, .json or .parquet file")
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path!r}: file not found")
    dtype = {c: str for c in ("phone", "card_number", "isbn", "account_number")}
    return readers[suffix](path, dtype=dtype) if suffix == ".csv" else readers[suffix](path)

