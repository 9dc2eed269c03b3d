"""The registry: every generator kind of data/generators.json and the function that fills it.

A generator receives a Context (its own random stream, the rows to make, the columns made so
far, the locale's pools) and returns a whole column at once as a numpy array. Identifiers live
in helpers.identifiers, people and contacts in helpers.contacts; the rest is here. Context,
pick and source live in helpers.draws, below all three, so none of them imports this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from helpers.contacts import CONTACTS
from helpers.draws import Context, choose, codes_by, once, pick, source
from helpers.identifiers import IDENTIFIERS
from helpers.specs import (
    LOCALES,
    choices,
    currency_decimals,
    has_row_range,
    reference_day,
    row_range,
)


def gen_pool(attribute: str):
    def generator(ctx, spec, column):
        return pick(ctx, getattr(ctx.pools, attribute))
    return generator


@cache
def category_dtype(values: tuple) -> pd.CategoricalDtype:
    """One dtype per value list: chunks concatenate, and building it is paid once."""
    return pd.CategoricalDtype(list(values))


def gen_country(ctx, spec, column):
    """The locale's country in every row; its two-letter code where the column holds no more
    (a SQL country CHAR(2): US, DE)."""
    name = LOCALES[ctx.locale]
    if len(name) > spec.get("max_length", len(name)):
        name = ctx.locale.split("_")[-1]
    dtype = category_dtype((name,))
    return pd.Categorical.from_codes(np.zeros(ctx.n, dtype=np.int8), dtype=dtype, validate=False)


def gen_ip(ctx, spec, column):
    octets = ctx.rng.integers(1, 255, size=(ctx.n, 4)).astype(str).astype(object)
    return octets[:, 0] + "." + octets[:, 1] + "." + octets[:, 2] + "." + octets[:, 3]


def gen_seat(ctx, spec, column):
    rows = np.char.mod("%d", ctx.rng.integers(1, 41, size=ctx.n)).astype(object)
    return rows + pick(ctx, np.array(list("ABCDEF"), dtype=object))


def day_range(spec) -> tuple[np.datetime64, int]:
    start = np.datetime64(spec.get("start", "2021-01-01"), "D")
    end = np.datetime64(spec.get("end", str(reference_day())), "D")
    return start, int((end - start).astype(int)) + 1


def gen_date(ctx, spec, column):
    start, days = day_range(spec)
    return start + ctx.rng.integers(days, size=ctx.n).astype("timedelta64[D]")


def gen_datetime(ctx, spec, column):
    start, days = day_range(spec)
    seconds = ctx.rng.integers(days * 86_400, size=ctx.n).astype("timedelta64[s]")
    return start.astype("datetime64[s]") + seconds


def gen_after(ctx, spec, column):
    """A date or time after another column's (check_out after check_in)."""
    earlier = source(ctx, spec)
    if earlier is None:  # the earlier column is not in this table: invent a plausible one
        invent = gen_date if spec["unit"] == "D" else gen_datetime
        earlier = invent(ctx, {}, column)
    earlier = np.asarray(earlier)
    if spec["unit"] == "D" and earlier.dtype.kind == "M":  # a date after a time: whole days
        earlier = earlier.astype("datetime64[D]")
    low, high = spec["low"], spec["high"]
    if "until" in spec:  # never after the reference day (a death): the gap shrinks to fit
        unit = spec["unit"]  # the last moment of the reference day, in the gap's own unit
        last = np.datetime64(spec["until"], "D") + np.timedelta64(1, "D") \
            - np.timedelta64(1, unit)
        room = (last.astype(f"datetime64[{unit}]") - earlier.astype(f"datetime64[{unit}]")
                ).astype(np.int64)
        low = np.minimum(low, np.maximum(room, 0))
        high = np.maximum(np.minimum(high, room), low)
    if "from" in spec:  # a first day of its own (a CSV sample's): the gap grows to reach it
        unit = spec["unit"]
        reach = (np.datetime64(spec["from"], "D").astype(f"datetime64[{unit}]")
                 - earlier.astype(f"datetime64[{unit}]")).astype(np.int64)
        first = np.maximum(low, reach)
        widest = room if "until" in spec else first  # as far as its own last day allows
        high = np.where(high >= first, high, np.maximum(widest, first))
        low = first
    gap = ctx.rng.integers(low, high + 1, size=ctx.n)
    return earlier + gap.astype(f"timedelta64[{spec['unit']}]")


def bounds(ctx: Context, spec: dict, low: float, high: float) -> tuple[object, object]:
    """The spec's range, or each row's own where another column decides it (a model's years,
    a product's price: helpers.specs.row_range, which check_table reads too)."""
    if has_row_range(spec, ctx.table):
        return row_range(spec, ctx.table, ctx.n)
    return spec.get("low", low), spec.get("high", high)


def gen_int(ctx, spec, column):
    low, high = bounds(ctx, spec, 0, 100)
    if isinstance(low, np.ndarray):  # per-row bounds: whole numbers inside each row's range
        low, high = np.ceil(low).astype(np.int64), np.floor(high).astype(np.int64)
    return ctx.rng.integers(low, np.asarray(high) + 1, size=ctx.n)


def gen_float(ctx, spec, column):
    low, high = bounds(ctx, spec, 0.0, 1.0)
    values = ctx.rng.uniform(low, high, size=ctx.n)
    return values.round(spec.get("decimals", 2))


def gen_money(ctx, spec, column):
    """Positive amounts skewed like real prices (many small, few large), with two decimals, or
    as many as the row's currency has (currency_of: no yen cents)."""
    low, high = bounds(ctx, spec, 1, 1000)
    low = np.maximum(low, 0.01)
    log_values = ctx.rng.uniform(np.log(low), np.log(high), size=ctx.n)
    values = np.clip(np.exp(log_values).round(2), np.ceil(low * 100) / 100,
                     np.floor(np.asarray(high, dtype=float) * 100) / 100)
    if spec.get("currency_of") in ctx.table:  # yen have no cents: the row's currency decides
        whole = currency_decimals(ctx.table[spec["currency_of"]]) == 0
        values = np.where(whole, np.maximum(np.round(values), 1), values)
    return values


def gen_product(ctx, spec, column):
    """total = price x quantity when both are in the table."""
    factors = [ctx.table.get(c) for c in spec["of"]]
    if any(f is None for f in factors):
        return gen_money(ctx, spec, column)
    return (np.asarray(factors[0], dtype=float) * np.asarray(factors[1], dtype=float)).round(2)


def age_on(born: object, day: np.datetime64) -> np.ndarray:
    """Whole years from each date of birth to `day`."""
    born, ref = pd.DatetimeIndex(born), pd.Timestamp(day)
    had_birthday = (born.month < ref.month) | ((born.month == ref.month) & (born.day <= ref.day))
    return (ref.year - born.year - (~had_birthday).astype(int)).to_numpy()


def gen_age(ctx, spec, column):
    """Age on the reference date, from the date of birth ("of") when the table has it."""
    born = source(ctx, spec)
    return gen_int(ctx, spec, column) if born is None else age_on(born, reference_day())


def gen_bool(ctx, spec, column):
    return ctx.rng.random(ctx.n) < spec.get("p", 0.5)


def gen_choice(ctx, spec, column):
    """Codes drawn exactly as rng.choice(values, p=p) would draw values, kept as categories."""
    values, p, dtype = once(choice_parts, spec, column)
    codes = choose(ctx, len(values), p)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def choice_parts(spec: dict, column: str) -> tuple[list, np.ndarray | None, pd.CategoricalDtype]:
    """A choice column's values, their probabilities and its dtype: read once per spec."""
    values, p = choices(spec, column)
    return values, p, category_dtype(tuple(values))


def gen_choice_by(ctx, spec, column):
    """A value that fits another column of the row: a model of its make, a fuel of its model,
    a category of its product. spec["by"] maps each value of spec["of"] to its options ("*":
    any other value); a table without that column draws from spec["values"] when the spec
    names a value list, else from every option."""
    by: dict[str, list[str]] = spec["by"]
    every = once(all_options, by)
    if spec["of"] not in ctx.table and "values" in spec:
        values, p, _ = once(choice_parts, spec, column)
        every = list(dict.fromkeys(every + values))
        codes = choose(ctx, len(values), p)
        codes = np.array([every.index(v) for v in values])[codes]
    else:
        codes = codes_by(ctx, ctx.table.get(spec["of"]), by, every)
    return pd.Categorical.from_codes(codes, dtype=category_dtype(tuple(every)), validate=False)


def all_options(by: dict[str, list[str]]) -> list[str]:
    """Every option of a choice_by spec, in first-seen order: its categories."""
    return list(dict.fromkeys(v for options in by.values() for v in options))


def gen_text(ctx, spec, column):
    return pick(ctx, ctx.pools.sentence)


Generator = Callable[[Context, dict, str], np.ndarray]

# The registry: a spec's "kind" -> the function that fills a column of that kind.
GENERATORS: dict[str, Generator] = {
    **IDENTIFIERS, **CONTACTS,
    "company": gen_pool("company"), "title": gen_pool("title"),
    "url": gen_pool("url"), "user_agent": gen_pool("user_agent"), "country": gen_country,
    "ip": gen_ip, "seat": gen_seat,
    "date": gen_date, "datetime": gen_datetime, "after": gen_after,
    "int": gen_int, "float": gen_float, "money": gen_money, "product": gen_product,
    "age": gen_age, "bool": gen_bool, "choice": gen_choice, "choice_by": gen_choice_by,
    "text": gen_text,
}
