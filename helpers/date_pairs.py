"""The order dates keep within a row (hire before termination, order before shipping, birth
before everything), from data/generators.json's date_order rules.

The generators and check_table read the same rules: `bind_dates` turns a later column whose
spec would draw it on its own into an 'after' spec of the earlier column the table has (the
generators then keep the order), and `date_pairs` lists every (later, earlier) pair of a
table that check_table's date_order rule compares. A column the generators already keep in
order (a catalog 'after' spec whose source is there, or a date range that starts after the
earlier one's ends) is left as it is, so catalog tables come out as before.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

import numpy as np

from helpers.contacts import bind_people
from helpers.specs import column_spec, load_generator_specs, reference_day

DATE_KINDS = ("date", "datetime")

FACTOR_KINDS = ("int", "float", "money")  # what a price or a quantity can be multiplied as


def date_order() -> dict:
    """data/generators.json's date_order section: the rules, the birth names, the adult age."""
    return load_generator_specs()["date_order"]


@cache
def date_rules() -> tuple[dict, ...]:
    """data/generators.json's date_order rules, most particular first, with their references
    resolved: earlier "birth" is the birth names, days "adult" the adult age in days."""
    adult = round(adult_age() * 365.25)
    return tuple({**rule,
                  "earlier": birth_names() if rule["earlier"] == "birth" else rule["earlier"],
                  "days": [adult if d == "adult" else d for d in rule["days"]]}
                 for rule in date_order()["rules"])


def birth_names() -> list[str]:
    """The names a date of birth goes by (date_of_birth, birth_date, born, dob, ...)."""
    return list(date_order()["birth"])


def adult_age() -> int:
    """Years from a birth to a person's first other date (a hire) or year (a first book)."""
    return int(date_order()["adult_age"])


def birth_like(column: str) -> bool:
    """A date of birth of anyone's: date_of_birth, and mother_birth_date or father_dob too."""
    return any(column == b or column.endswith("_" + b) or column.startswith(b + "_")
               for b in birth_names()) or "birth" in column.split("_")


def earlier_of(column: str, columns: Iterable[str], dated: bool = True
               ) -> tuple[dict, str] | None:
    """(rule, earlier column) for the first rule that makes `column` follow one of `columns`;
    dated: whether `column` is known to hold dates ('*' rules apply to dates alone)."""
    present = [c for c in columns if c != column]
    for rule in date_rules():
        if column not in rule["later"] and not (
                dated and not birth_like(column)  # '*': no birth date follows another
                and any(fnmatch.fnmatchcase(column, p) for p in rule["later"])):
            continue
        if column in rule["earlier"]:
            continue
        for earlier in rule["earlier"]:
            if earlier in present:
                return rule, earlier
    return None


def date_pairs(columns: Iterable[str], dated: Iterable[str] = ()) -> list[tuple[str, str, dict]]:
    """(later, earlier, rule) for every column of a table that a rule orders after another
    column of the same table: what check_table's date_order rule compares. `dated`: the
    columns known to hold dates, which '*' rules (birth before everything) apply to."""
    columns, dated = list(columns), set(dated)
    found = []
    for column in columns:
        hit = earlier_of(column, columns, column in dated)
        if hit is not None:
            found.append((column, hit[1], hit[0]))
    return found


def span(spec: dict) -> tuple[np.datetime64, np.datetime64] | None:
    """A plain date or time column's first and last day (None for anything else)."""
    if spec.get("kind") not in DATE_KINDS:
        return None
    start = np.datetime64(spec.get("start", "2021-01-01"), "D")
    return start, np.datetime64(spec.get("end", str(reference_day())), "D")


def after_spec(rule: dict, earlier: str, unit: str) -> dict:
    """The 'after' spec a rule gives a later column: days, or minutes between two times."""
    if unit == "D":
        low, high = rule["days"]
    else:
        low, high = rule.get("minutes") or [d * 1440 for d in rule["days"]]
    spec = {"kind": "after", "of": earlier, "low": int(low), "high": int(high), "unit": unit}
    if rule.get("until_reference"):
        spec["until"] = str(reference_day())
    return spec


def bind_dates(specs: dict[str, dict], units: dict[str, str] | None = None) -> dict[str, dict]:
    """column -> spec with the date rules applied: a later column drawn on its own (a date,
    a time, an 'after' whose source is missing) becomes 'after' the earlier column the table
    has, unless its range already starts after that column's ends. `units`: a column's unit
    ('D' a date, 'm' a time) where its declared type decides (a SQL DATE); else its kind does.
    An age follows whichever birth column the table has."""
    out = dict(specs)
    kinds = {c: s.get("kind") for c, s in specs.items()}
    for column, spec in specs.items():
        kind = kinds[column]
        if kind == "age" and spec.get("of") not in specs:
            born = next((b for b in birth_names() if kinds.get(b) in DATE_KINDS), None)
            if born is not None:
                out[column] = {**spec, "of": born}
            continue
        if kind == "after" and spec.get("of") in specs:
            continue  # the catalog already orders it (check_out after check_in)
        if kind not in (*DATE_KINDS, "after"):
            continue
        hit = earlier_of(column, [c for c in specs if kinds[c] in (*DATE_KINDS, "after")])
        if hit is None:
            continue
        rule, earlier = hit
        mine, theirs = span(spec), span(specs[earlier])
        if mine is not None and theirs is not None and mine[0] > theirs[1]:
            continue  # already after it (a hire date after a birth date)
        unit = (units or {}).get(column) or (
            spec.get("unit") if kind == "after" else "m" if kind == "datetime" else "D")
        out[column] = after_spec(rule, earlier, "D" if unit == "D" else "m") | own_bounds(
            column, spec)
    return out


def own_bounds(column: str, spec: dict) -> dict:
    """The first and last day a column was given (a CSV sample's, a CHECK's), where they are
    not its name's defaults: 'from' and 'until' of its 'after' spec, so that the date rules
    keep its range (the order wins where the two cannot both hold)."""
    if spec.get("kind") not in DATE_KINDS:
        return {}
    default = column_spec(column)[0]
    if (spec.get("start"), spec.get("end")) == (default.get("start"), default.get("end")):
        return {}
    bounds = {"from": spec["start"][:10]} if "start" in spec else {}
    if "end" in spec:
        bounds["until"] = min(spec["end"][:10], str(reference_day()))
    return bounds


def bind_totals(specs: dict[str, dict]) -> dict[str, dict]:
    """column -> spec where a total is price x quantity of the factors the table has under
    other names (unit_price, qty: data/generators.json's product_factors); a total without
    them is an amount in its own money range."""
    names = load_generator_specs().get("product_factors", {})
    numbers = {c for c, s in specs.items() if s.get("kind") in FACTOR_KINDS}
    out = dict(specs)
    for column, spec in specs.items():
        if spec.get("kind") != "product" or all(f in numbers for f in spec["of"]):
            continue
        # a factor only under a name that holds numbers: a text 'qty' cannot be multiplied
        found = [f if f in numbers else next((n for n in names.get(f, ()) if n in numbers
                                              and n != column), None) for f in spec["of"]]
        if None in found:
            out[column] = {k: v for k, v in spec.items() if k != "of"} | {"kind": "money"}
        else:
            out[column] = {**spec, "of": found}
    return out


def bind_rows(specs: dict[str, dict], units: dict[str, str] | None = None) -> dict[str, dict]:
    """Every rule that ties a row's columns together, applied to a table's specs: the date
    rules (bind_dates), one person per row (helpers.contacts.bind_people) and a total of the
    price and quantity the row has (bind_totals)."""
    return bind_totals(bind_people(bind_dates(specs, units)))


def bind_table(table: object) -> object:
    """A helpers.spec TableSpec with bind_rows applied to its columns (a DATE column keeps
    whole days, a TIMESTAMP minutes); the same table where nothing changes."""
    specs = {c.name: {"kind": c.kind, **c.params} for c in table.columns}
    units = {c.name: "D" if c.type == "date" else "m" for c in table.columns
             if c.type in ("date", "timestamp")}
    bound = bind_rows(specs, units)
    if bound == specs:
        return table
    columns = [c if bound[c.name] == specs[c.name] else
               replace(c, kind=bound[c.name]["kind"],
                       params={k: v for k, v in bound[c.name].items() if k != "kind"})
               for c in table.columns]
    return replace(table, columns=columns)
