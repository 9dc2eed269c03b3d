"""A plausibility report for any table: the violations that can be found without real data.

    report = check_table(df)          # or: python -m helpers check customers.csv
    print(report)                     # one line per rule: rows checked, violations, an example

Which rule applies to which column comes from data/generators.json, so a column named like
ours (email, date_of_birth, check_out, card_number, ...) is checked whoever generated the
table. Rules: an e-mail that does not contain its person's name, an age that disagrees with the
date of birth, a date before the date it must follow, a total that is not price x quantity, an
invalid phone number (Google's libphonenumber), card number (Luhn), ISBN or VIN check digit,
a value that does not fit its row (a model its make does not build), and a duplicated
identifier or e-mail address.

Generation side: no torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.generators import age_on
from helpers.identifiers import isbn13_digit, luhn_digit, vin_check_digit
from helpers.pools import ascii_fold, pools
from helpers.specs import LOCALES, column_spec, reference_day

UNIQUE_KINDS = {"id", "digits", "card", "isbn", "vin", "uuid", "sku"}


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


def kinds(table: pd.DataFrame) -> dict[str, dict]:
    """Each column's spec from data/generators.json (catalog name or name pattern)."""
    return {c: column_spec(c)[0] for c in table.columns if isinstance(c, str)}


def finding(rule: str, columns: str, values: pd.Series, bad: np.ndarray) -> Finding:
    bad = np.asarray(bad, dtype=bool)
    example = str(values[bad].iloc[0]) if bad.any() else ""
    return Finding(rule, columns, len(values), int(bad.sum()), example[:60])


def present(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The rows where every one of `columns` has a value."""
    return table[list(columns)].dropna()


def latin_spelling(locale: str) -> Callable[[str], str]:
    """A name part as it appears in an e-mail: ASCII-folded, or, for names written in another
    script (ja_JP kanji), the romaji of Faker's own name lists."""
    p = pools(locale)
    known = dict(zip(p.first, p.first_ascii, strict=True))
    known.update(zip(p.last, p.last_ascii, strict=True))
    return lambda part: known.get(part) or ascii_fold(part)


def derived(table: pd.DataFrame, specs: dict[str, dict],
            kind: str) -> Iterator[tuple[str, str, dict]]:
    """(column, the column it derives from, its spec) for each `kind` column of the table whose
    source column is there too: an email and its name, a check-out and its check-in."""
    for column, spec in specs.items():
        source = spec.get("of") if spec["kind"] == kind else None
        if source in table.columns:
            yield column, source, spec


def email_rule(table, specs, locale, **_) -> Iterator[Finding]:
    spell = latin_spelling(locale)
    for column, person, _spec in derived(table, specs, "email"):
        rows = present(table, column, person)
        parts = pd.Series([[spell(part) for part in str(name).split()] for name in rows[person]],
                          index=rows.index)
        rows = rows[parts.map(any)]  # a name with no Latin spelling cannot be checked
        local = rows[column].astype(str).str.split("@").str[0].str.lower()
        bad = [not any(part and part in user for part in name_parts)
               for user, name_parts in zip(local, parts[rows.index], strict=True)]
        yield finding("email_matches_name", f"{column} ~ {person}", rows[column], bad)


def age_rule(table, specs, reference_date, **_) -> Iterator[Finding]:
    for column, born, _spec in derived(table, specs, "age"):
        rows = present(table, column, born)
        expected = age_on(pd.to_datetime(rows[born]), reference_date)
        bad = rows[column].to_numpy(dtype=float) != expected
        yield finding("age_matches_birth", f"{column} ~ {born}", rows[column], bad)


def order_rule(table, specs, **_) -> Iterator[Finding]:
    for column, earlier, _spec in derived(table, specs, "after"):
        rows = present(table, column, earlier)
        bad = pd.to_datetime(rows[column]) < pd.to_datetime(rows[earlier])
        yield finding("date_order", f"{column} >= {earlier}", rows[column], bad.to_numpy())


def total_rule(table, specs, **_) -> Iterator[Finding]:
    for column, spec in specs.items():
        factors = spec.get("of") if spec["kind"] == "product" else None
        if not factors or not all(f in table.columns for f in factors):
            continue
        rows = present(table, column, *factors)
        product = rows[factors[0]].astype(float) * rows[factors[1]].astype(float)
        bad = (rows[column].astype(float) - product).abs() > 0.005 + 1e-9
        yield finding("total_is_product", f"{column} = {' x '.join(factors)}", rows[column],
                      bad.to_numpy())


def fits_rule(table, specs, **_) -> Iterator[Finding]:
    for column, key, spec in derived(table, specs, "choice_by"):
        rows = present(table, column, key)
        by = spec["by"]  # a key with no options of its own, and no "*": anything fits
        bad = [value not in by.get(k, by.get("*", [value]))
               for k, value in zip(rows[key].astype(str), rows[column].astype(str), strict=True)]
        yield finding("value_fits_row", f"{column} of {key}", rows[column], bad)


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


RULES = (email_rule, age_rule, order_rule, total_rule, fits_rule, validity_rule, unique_rule)


def check_table(
    table: pd.DataFrame, locale: str = "en_US", reference_date: str | None = None
) -> TableReport:
    """Count each plausibility rule's violations in `table`; `locale` picks the phone numbering
    plan, `reference_date` the day ages are counted to (default: the generators' fixed one)."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"check_table needs a pandas DataFrame, got {type(table).__name__}")
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    day = np.datetime64(reference_date, "D") if reference_date else reference_day()
    specs = kinds(table)
    findings = [f for rule in RULES
                for f in rule(table, specs, locale=locale, reference_date=day)]
    return TableReport(rows=len(table), findings=tuple(findings))


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
