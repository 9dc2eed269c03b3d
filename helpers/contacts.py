"""People and how to reach them: names, e-mail addresses, user names, phone numbers, addresses.

Each is composed from a locale's pools (helpers.pools) and data/locales.json with numpy draws:
first x last name, house number x street, a numbering plan's prefix x random digits. The
composition, not more Faker calls, is what gives 100,000 rows nearly 100,000 distinct values.
Cities and postcodes (and the area code a row's city gives its phone) live in
helpers.locale_cities; CONTACTS, the kinds this module adds to the registry, includes them.
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from helpers.draws import Context, pick, source
from helpers.identifiers import DIGITS, char_rows, join_chars
from helpers.locale_cities import (  # noqa: F401 (re-exported: helpers.contacts.<name> as before)
    OTHER_SHAPE,
    Cities,
    cities,
    city_named,
    gen_city,
    gen_postcode,
)
from helpers.specs import key_codes, load_generator_specs, load_locales, once, per_key

NUMBERS = np.array([str(i) for i in range(10_000)], dtype=object)  # 7 -> "7", without a loop
PHONE_FORMATS = ("national", "e164")


def first_name_indices(ctx: Context, gender: object) -> np.ndarray:
    """Indices into the first-name pool (female names, then male ones), matching `gender` row
    by row when the table has a gender column."""
    female, total = ctx.pools.female, len(ctx.pools.first)
    if gender is None:
        return ctx.rng.integers(total, size=ctx.n)
    codes, names = key_codes(gender)  # per distinct value, not per row
    male = np.array([g == "male" for g in names] + [False])[codes]  # code -1: missing
    not_female = np.array([g != "female" for g in names] + [True])[codes]
    as_male = male | (not_female & (ctx.rng.random(ctx.n) < 0.5))
    return np.where(as_male, female + ctx.rng.integers(total - female, size=ctx.n),
                    ctx.rng.integers(female, size=ctx.n))


def gen_person(ctx, spec, column):
    p = ctx.pools
    i = first_name_indices(ctx, source(ctx, spec))
    j = ctx.rng.integers(len(p.last), size=ctx.n)
    ctx.parts[column] = (i, j)  # an e-mail or user name "of" this column reuses the same name
    if p.last_first:
        return p.last[j] + p.joiner + p.first[i]
    return p.first[i] + p.joiner + p.last[j]


def person_parts(ctx: Context, spec: dict, column: str) -> tuple[np.ndarray, np.ndarray]:
    """One person's first- and last-name indices for a first_name or last_name column: those
    of the column named by "of" (the row's name, or its other name part), else fresh ones,
    female or male as the "of" column (a gender) says. Kept for the columns that follow."""
    of = spec.get("of")
    if of in ctx.parts:
        parts = ctx.parts[of]
    else:
        parts = (first_name_indices(ctx, source(ctx, spec)),
                 ctx.rng.integers(len(ctx.pools.last), size=ctx.n))
    ctx.parts[column] = parts
    return parts


def gen_first_name(ctx, spec, column):
    """The first name of the row's one person (its last_name, name and e-mail agree)."""
    return ctx.pools.first[person_parts(ctx, spec, column)[0]]


def gen_last_name(ctx, spec, column):
    """The last name of the row's one person (its first_name, name and e-mail agree)."""
    return ctx.pools.last[person_parts(ctx, spec, column)[1]]


def bind_people(specs: dict[str, dict]) -> dict[str, dict]:
    """column -> spec where first and last names belong to one person per row: each name part
    follows the table's full name when it has one (name, full_name, else any person column:
    customer_name; data/generators.json's one_person), else the first name part does and the
    other follows it; an e-mail or user name whose person is missing follows the name parts
    too."""
    parts = [c for c, s in specs.items() if s.get("kind") in ("first_name", "last_name")]
    if not parts:
        return specs
    out = dict(specs)
    people = [c for c, s in specs.items() if s.get("kind") == "person"]
    prefer = load_generator_specs()["one_person"]["prefer"]  # name, full_name
    full = next((c for c in prefer if c in people), people[0] if people else None)
    anchor = full or parts[0]
    for column in parts:
        if column != anchor:
            out[column] = {**specs[column], "of": anchor}
        elif specs.get("gender", {}).get("kind") == "choice":
            out[column] = {**specs[column], "of": "gender"}
    for column, spec in specs.items():
        if spec.get("kind") in ("email", "username") and spec.get("of") not in specs:
            out[column] = {**spec, "of": anchor}
    return out


def name_parts(ctx: Context, spec: dict) -> tuple[np.ndarray, np.ndarray]:
    """First- and last-name indices of the person column named by "of", or fresh ones."""
    if spec.get("of") in ctx.parts:
        return ctx.parts[spec["of"]]
    return (ctx.rng.integers(len(ctx.pools.first), size=ctx.n),
            ctx.rng.integers(len(ctx.pools.last), size=ctx.n))


def gen_email(ctx, spec, column):
    """first.last[NN]@domain, unique within the table. In the first chunk (100,000 rows) a
    repeat gets the row number instead (3 digits or more, so it cannot meet a 0-2 digit one);
    after it every address carries its row number, since earlier chunks are gone by then."""
    i, j = name_parts(ctx, spec)
    user = ctx.pools.first_ascii[i] + "." + ctx.pools.last_ascii[j]
    domain = "@" + pick(ctx, ctx.pools.email_domain)
    short = np.where(ctx.rng.random(ctx.n) < 0.3, NUMBERS[ctx.rng.integers(1, 100, size=ctx.n)],
                     "")
    email = user + short + domain
    repeat = repeats(email) if ctx.start == 0 else np.ones(ctx.n, dtype=bool)
    row_numbers = (np.arange(ctx.start, ctx.start + ctx.n)[repeat] + 100).astype(str)
    email[repeat] = user[repeat] + row_numbers.astype(object) + domain[repeat]
    return email


def repeats(values: np.ndarray) -> np.ndarray:
    """True where a value already occurred earlier in the array."""
    seen: set = set()
    flags = np.zeros(len(values), dtype=bool)
    for k, value in enumerate(values):
        if value in seen:
            flags[k] = True
        else:
            seen.add(value)
    return flags


def gen_username(ctx, spec, column):
    i, j = name_parts(ctx, spec)
    return (ctx.pools.first_ascii[i] + "_" + ctx.pools.last_ascii[j]
            + NUMBERS[ctx.rng.integers(1, 1000, size=ctx.n)])


def area_prefixes(plan: list[dict]) -> dict[str, int]:
    """Area code -> its index among the plan's prefixes, in a block that is not mobile."""
    found: dict[str, int] = {}
    k = 0
    for block in plan:
        for prefix in block["prefixes"]:
            if not block.get("mobile"):
                found.setdefault(prefix, k)
            k += 1
    return found


def gen_phone(ctx, spec, column):
    """A number in the locale's numbering plan (data/locales.json), written in its national
    format, or E.164 (+49...) with phone_format="e164"; an extension only when the spec asks
    for one ("extension": share of rows). A row with a city ("city_of") gets that city's area
    code unless its number is a mobile one."""
    plan = load_locales()[ctx.locale]["phone"]
    block_of = np.repeat(np.arange(len(plan)), [len(b["prefixes"]) for b in plan])
    chosen = ctx.rng.integers(len(block_of), size=ctx.n)  # every prefix equally likely
    city = ctx.table.get(spec.get("city_of", ""))
    if city is not None:
        areas, index = cities(ctx.locale).areas, area_prefixes(plan)
        prefix_of = {c: index.get(a, -1) for c, a in areas.items()}
        area_of = per_key(city, prefix_of, np.full(ctx.n, -1.0)).astype(np.int64)  # -1: none
        mobile = np.array([bool(b.get("mobile")) for b in plan])[block_of[chosen]]
        chosen = np.where((area_of >= 0) & ~mobile, area_of, chosen)
    out = np.empty(ctx.n, dtype=object)
    e164 = ctx.options.get("phone_format", "national") == "e164"
    offset = 0
    for b, block in enumerate(plan):
        rows = np.flatnonzero(block_of[chosen] == b)
        out[rows] = phone_block(ctx, block, chosen[rows] - offset)
        if e164 and len(rows):  # each block its own trunk: a Chinese mobile has none, 010 has
            out[rows] = ("+" + load_locales()[ctx.locale]["calling_code"]
                         + national_digits(out[rows], [block]))
        offset += len(block["prefixes"])
    extension = spec.get("extension", 0)
    if extension:
        out = out + np.where(ctx.rng.random(ctx.n) < extension,
                             " ext. " + NUMBERS[ctx.rng.integers(10, 1000, size=ctx.n)], "")
    return out


prefix_chars = char_rows  # a block's prefixes as a (prefixes, length) character array


def phone_block(ctx: Context, block: dict, prefix: np.ndarray) -> np.ndarray:
    """Numbers of one block of the plan (its prefixes share a length, `rest` and `format`)."""
    n = len(prefix)
    heads = once(char_rows, block["prefixes"])[prefix]  # (n, prefix length)
    first = np.array(list(block["first"]))[ctx.rng.integers(len(block["first"]), size=(n, 1))]
    nsn = np.concatenate([heads, first, DIGITS[ctx.rng.integers(10, size=(n, block["rest"] - 1))]],
                         axis=1)  # (n, national significant digits)
    template = np.array(list(block["format"]))
    chars = np.broadcast_to(template, (n, len(template))).copy()
    chars[:, template == "#"] = nsn
    return join_chars(chars)


def national_digits(numbers: np.ndarray, plan: list[dict]) -> np.ndarray:
    """The national significant number: the digits of the national format, trunk 0 dropped."""
    head = plan[0]["format"].split("#")[0]  # what is written before the first digit: "(0"
    trunk = sum(ch.isdigit() for ch in head)
    digits = pd.Series(numbers).str.replace(r"\D", "", regex=True)
    return digits.str[trunk:].to_numpy(dtype=object)


def gen_address(ctx, spec, column):
    """A street address in the locale's shape: "1234 Maple Street", "Lindenweg 12",
    "12, rue de la Paix", "Calle Mayor, 5", "丹勢3丁目12番4号"."""
    shape = load_locales()[ctx.locale]["address"]
    out = np.full(ctx.n, "", dtype=object)
    for literal, field, _, _ in string.Formatter().parse(shape["format"]):
        out = out + literal
        if field in ("street", "town"):
            out = out + pick(ctx, ctx.pools.street)
        elif field:
            low, high = shape[field]
            out = out + NUMBERS[ctx.rng.integers(low, high + 1, size=ctx.n)]
    return out


CONTACTS = {"person": gen_person, "email": gen_email, "username": gen_username,
            "first_name": gen_first_name, "last_name": gen_last_name,
            "phone": gen_phone, "address": gen_address, "city": gen_city,
            "postcode": gen_postcode}
