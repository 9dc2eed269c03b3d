"""Plausibility rules that compare a value with its row: each column against the one it
derives from or depends on (helpers.specs, data/generators.json and data/locales.json: the
very rules the generators follow).

An e-mail that does not contain its person's name, an age that disagrees with the date of
birth, a date before the date it must follow, a total that is not price x quantity, a value
its row's key does not allow (a model its make does not build), a number outside the range
its row gives it, a VIN whose maker code or year letter contradicts the make or year, a
manager who is not among the employees, an amount with more decimals than its currency, a
landline or postcode of another city, a foreign key that never repeats. Generation side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from helpers.contacts import area_prefixes, cities
from helpers.date_pairs import date_pairs
from helpers.generators import age_on
from helpers.identifiers import vin_year_codes
from helpers.plausibility_cells import DATE_KINDS, NUMBER_KINDS, Finding, finding, present
from helpers.pools import ascii_fold, pools
from helpers.specs import currency_decimals, has_row_range, load_locales, row_range


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
    """A date before the one it must follow: the 'after' specs, and every other pair the date
    rules of data/generators.json order (helpers.date_pairs), whoever made the table."""
    pairs = [(column, earlier) for column, earlier, _spec in derived(table, specs, "after")]
    dated = [c for c, s in specs.items() if s["kind"] in DATE_KINDS]
    pairs += [(column, earlier) for column, earlier, _rule in date_pairs(specs, dated)
              if column not in dict(pairs)]
    date = {"kind": "date"}
    for column, earlier in pairs:
        rows = present(table, column, earlier, specs={column: date, earlier: date})
        if rows.empty and not len(present(table, column, specs={column: date})):
            continue  # neither holds dates: not a date pair after all
        first = rows[earlier]
        if (rows[column] == rows[column].dt.normalize()).all():  # a day after a time
            first = first.dt.normalize()
        bad = rows[column] < first
        yield finding("date_order", f"{column} >= {earlier}", rows[column], bad.to_numpy())



def total_rule(table, specs, **_) -> Iterator[Finding]:
    for column, spec in specs.items():
        factors = spec.get("of") if spec["kind"] == "product" else None
        if not factors or not all(f in table.columns for f in factors):
            continue
        # as numbers whatever the factors' kinds: a cell that is not one ('four') is left out
        # here (the kind rule counts it) rather than multiplied as text
        number = {"kind": "float"}
        rows = present(table, column, *factors, specs=dict.fromkeys((column, *factors), number))
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
    import phonenumbers  # only the phone rules need it

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

