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

Generation side: no torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.contacts import area_prefixes, cities
from helpers.generators import age_on
from helpers.identifiers import isbn13_digit, luhn_digit, vin_check_digit, vin_year_codes
from helpers.pools import ascii_fold, pools
from helpers.specs import (
    LOCALES,
    catalog_table_of,
    column_spec,
    currency_decimals,
    has_row_range,
    load_locales,
    reference_day,
    row_range,
)

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


def kinds(table: pd.DataFrame, catalog_table: str | None = None) -> dict[str, dict]:
    """Each column's spec from data/generators.json (the catalog table's own, a catalog name
    or a name pattern): the very specs the generators read."""
    return {c: column_spec(c, catalog_table)[0] for c in table.columns if isinstance(c, str)}


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
    if kind in DATE_KINDS:
        return pd.to_datetime(values, errors="coerce", format="mixed")
    return values


def latin_spelling(locale: str) -> Callable[[str], str]:
    """A name part as it appears in an e-mail: ASCII-folded, or, for names written in another
    script (ja_JP kanji), the romaji of Faker's own name lists."""
    p = pools(locale)
    known = dict(zip(p.first, p.first_ascii, strict=True))
    known.update(zip(p.last, p.last_ascii, strict=True))
    return lambda part: known.get(part) or ascii_fold(part)


def name_splitter(locale: str) -> Callable[[str], list[str]]:
    """A written name's parts: split at its spaces, or, where the locale writes names without
    one (zh_CN 王秀英), after its longest known surname (王 + 秀英)."""
    p = pools(locale)
    if p.joiner:
        return str.split
    surnames = set(p.last)

    def split(name: str) -> list[str]:
        for size in (2, 1):  # 欧阳 before 欧
            if len(name) > size and name[:size] in surnames:
                return [name[:size], name[size:]]
        return name.split()
    return split


def derived(table: pd.DataFrame, specs: dict[str, dict],
            kind: str) -> Iterator[tuple[str, str, dict]]:
    """(column, the column it derives from, its spec) for each `kind` column of the table whose
    source column is there too: an email and its name, a check-out and its check-in."""
    for column, spec in specs.items():
        source = spec.get("of") if spec["kind"] == kind else None
        if source in table.columns:
            yield column, source, spec


def email_rule(table, specs, locale, **_) -> Iterator[Finding]:
    spell, split = latin_spelling(locale), name_splitter(locale)
    for column, person, _spec in derived(table, specs, "email"):
        rows = present(table, column, person, specs=specs)
        parts = pd.Series([[spell(part) for part in split(str(name))] for name in rows[person]],
                          index=rows.index)
        rows = rows[parts.map(any)]  # a name with no Latin spelling cannot be checked
        local = rows[column].astype(str).str.split("@").str[0].str.lower()
        bad = [not any(part and part in user for part in name_parts)
               for user, name_parts in zip(local, parts[rows.index], strict=True)]
        yield finding("email_matches_name", f"{column} ~ {person}", rows[column], bad)


def age_rule(table, specs, reference_date, **_) -> Iterator[Finding]:
    for column, born, _spec in derived(table, specs, "age"):
        rows = present(table, column, born, specs=specs)
        expected = age_on(rows[born], reference_date)
        bad = rows[column].to_numpy(dtype=float) != expected
        yield finding("age_matches_birth", f"{column} ~ {born}", rows[column], bad)


def order_rule(table, specs, **_) -> Iterator[Finding]:
    for column, earlier, _spec in derived(table, specs, "after"):
        rows = present(table, column, earlier, specs=specs)
        bad = rows[column] < rows[earlier]
        yield finding("date_order", f"{column} >= {earlier}", rows[column], bad.to_numpy())


def total_rule(table, specs, **_) -> Iterator[Finding]:
    for column, spec in specs.items():
        factors = spec.get("of") if spec["kind"] == "product" else None
        if not factors or not all(f in table.columns for f in factors):
            continue
        rows = present(table, column, *factors, specs=specs)
        product = rows[factors[0]] * rows[factors[1]]
        bad = (rows[column] - product).abs() > 0.005 + 1e-9
        yield finding("total_is_product", f"{column} = {' x '.join(factors)}", rows[column],
                      bad.to_numpy())


def fits_rule(table, specs, **_) -> Iterator[Finding]:
    for column, key, spec in derived(table, specs, "choice_by"):
        rows = present(table, column, key, specs=specs)
        by = spec["by"]  # a key with no options of its own, and no "*": anything fits
        bad = [value not in by.get(k, by.get("*", [value]))
               for k, value in zip(rows[key].astype(str), rows[column].astype(str), strict=True)]
        yield finding("value_fits_row", f"{column} of {key}", rows[column], bad)


def range_rule(table, specs, **_) -> Iterator[Finding]:
    """A number outside the range its row's key gives it: a Bluetooth speaker for 1.85, a Model
    Y from 2005, a ten-year-old car at a new one's price (helpers.specs.row_range)."""
    for column, spec in specs.items():
        if spec["kind"] not in NUMBER_KINDS or not has_row_range(spec, table.columns):
            continue
        keys = [spec[k]["of"] for k in ("range_by", "depreciation", "per_year")
                if k in spec and spec[k]["of"] in table.columns]
        rows = present(table, column, *keys, specs=specs)
        by = spec.get("range_by")
        if by and by["of"] in rows:  # only keys the data knows: another make's car may cost more
            rows = rows[rows[by["of"]].astype(str).isin(list(by["ranges"]))]
        low, high = row_range(spec, {k: rows[k].to_numpy() for k in keys}, len(rows))
        slack = 0 if spec["kind"] == "int" else 0.0051  # money and floats are rounded
        value = rows[column].to_numpy(dtype=float)
        bad = (value < low - slack) | (value > high + slack)
        yield finding("value_in_range", f"{column} by {' & '.join(keys)}", rows[column], bad)


def vin_rule(table, specs, **_) -> Iterator[Finding]:
    """A VIN whose maker code is not its make's (a Tesla with Honda's 1HG), or whose model-year
    letter is not its year's."""
    for column, spec in specs.items():
        if spec["kind"] != "vin":
            continue
        by = spec.get("wmi_by")
        if by and by["of"] in table.columns:
            rows = present(table, column, by["of"], specs=specs)
            rows = rows[rows[by["of"]].astype(str).isin(list(by["codes"]))]
            bad = [str(vin)[:3].upper() not in by["codes"][make]
                   for vin, make in zip(rows[column], rows[by["of"]].astype(str), strict=True)]
            yield finding("vin_matches_make", f"{column} ~ {by['of']}", rows[column], bad)
        year = spec.get("year_of")
        if year in table.columns:
            rows = present(table, column, year, specs=specs)
            rows = rows[rows[year].between(1980, 2039)]
            codes = vin_year_codes(rows[year].to_numpy(dtype=np.int64))
            letters = rows[column].astype(str).str[9].str.upper().to_numpy()
            yield finding("vin_matches_year", f"{column} ~ {year}", rows[column],
                          letters != codes)


def manager_rule(table, specs, **_) -> Iterator[Finding]:
    """A manager who is not among the table's employees, or who manages themself."""
    for column, staff, _spec in derived(table, specs, "manager"):
        rows = present(table, column, specs=specs)
        own = table.loc[rows.index, staff].astype(str)
        bad = ~rows[column].astype(str).isin(set(table[staff].astype(str))) | (
            rows[column].astype(str) == own)
        yield finding("manager_is_employee", f"{column} in {staff}", rows[column], bad.to_numpy())


def currency_rule(table, specs, **_) -> Iterator[Finding]:
    """An amount with more decimals than its row's currency has (yen with cents)."""
    for column, spec in specs.items():
        currency = spec.get("currency_of") if spec["kind"] in NUMBER_KINDS else None
        if currency in table.columns:
            rows = present(table, column, currency, specs=specs)
            scale = 10.0 ** currency_decimals(rows[currency].astype(str))
            scaled = rows[column].to_numpy(dtype=float) * scale
            bad = np.abs(scaled - np.round(scaled)) > 1e-6 * np.maximum(1, np.abs(scaled))
            yield finding("currency_decimals", f"{column} in {currency}", rows[column], bad)


def city_rule(table, specs, locale, **_) -> Iterator[Finding]:
    """A landline whose area code is not its city's (a Berlin customer with a Munich number)
    and a postcode that is not one of its city's shapes; rows of cities the locale does not
    list are not checked, nor mobile numbers, which carry no place."""
    import re

    import phonenumbers

    known = cities(locale)
    plan = load_locales()[locale]["phone"]
    landline, mobile = area_prefixes(plan), {p for b in plan if b.get("mobile")
                                              for p in b["prefixes"]}
    for column, spec in specs.items():
        city = spec.get("city_of") if spec["kind"] in ("phone", "postcode") else None
        if city not in table.columns:
            continue
        rows = present(table, column, city, specs=specs)
        rows = rows[rows[city].astype(str).isin(set(known.areas))]
        if spec["kind"] == "phone":
            region = locale.split("_")[-1]
            bad = []
            for number, name in zip(rows[column].astype(str), rows[city].astype(str),
                                    strict=True):
                try:
                    nsn = phonenumbers.national_significant_number(
                        phonenumbers.parse(number, region))
                except phonenumbers.NumberParseException:
                    bad.append(False)  # phone_valid reports it
                    continue
                heads = [p for p in (*landline, *mobile) if nsn.startswith(p)]
                head = max(heads, key=len, default="")
                bad.append(head not in mobile and head != known.areas[name])
            yield finding("phone_fits_city", f"{column} ~ {city}", rows[column], bad)
        else:
            letters = load_locales()[locale].get("postcode_letters", "A-Z")
            shapes = {name: re.compile("|".join(shape_pattern(s, letters) for s in options))
                      for name, options in known.postcodes.items()}
            bad = [not shapes[name].fullmatch(code) for code, name in
                   zip(rows[column].astype(str), rows[city].astype(str), strict=True)]
            yield finding("postcode_fits_city", f"{column} ~ {city}", rows[column], bad)


def shape_pattern(shape: str, letters: str) -> str:
    """A postcode shape as a regular expression: '#' a digit, '@' one of `letters`."""
    import re

    return "".join("[0-9]" if ch == "#" else f"[{letters}]" if ch == "@" else re.escape(ch)
                   for ch in shape)


FOREIGN_KEY_MIN_ROWS = 20  # below this, every order may well be from another customer


def foreign_key_rule(table, specs, **_) -> Iterator[Finding]:
    """A key that should name a parent row again and again (orders -> customers), yet never
    repeats: every row then counts as a violation."""
    for column, spec in specs.items():
        if spec["kind"] == "choice_id" and "parents" in spec:
            values = table[column].dropna()
            unique = len(values) >= FOREIGN_KEY_MIN_ROWS and values.is_unique
            yield finding("foreign_key_repeats", column, values, np.full(len(values), unique))


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


def unique_rule(table, specs, **_) -> Iterator[Finding]:
    for column, spec in specs.items():
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
        if spec["kind"] in PAST_KINDS:
            values = present(table, column, specs=specs)[column]
            yield finding("date_in_future", column, values, (values >= day).to_numpy())


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
                return False
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
    catalog_table: str | None = None,
) -> TableReport:
    """Count each plausibility rule's violations in `table`; `locale` picks the phone numbering
    plan (None: inferred from the phone numbers), `reference_date` the day ages are counted to
    and after which no past date may lie (default: the generators' fixed one), `catalog_table`
    the catalog table whose own specs apply (None: the one with exactly these columns, if any,
    as generate_dataframe does)."""
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
                for f in rule(table, specs, locale=locale, reference_date=day)]
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
