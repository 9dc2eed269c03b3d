"""Filling columns with realistic fake values: one registry of generators, driven by data/.

Column by column and vectorised: Faker is called a few thousand times per table to fill pools
(names, streets, phone numbers in the right locale), then numpy draws every row from those pools
and from plain distributions. Every column has its own random stream, seeded from the table's
seed and the column's name, so a column's values never depend on which other columns exist.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import fnmatch
import threading
import unicodedata
import uuid
import warnings
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from faker import Faker

from helpers.catalog import read_json
from helpers.paths import data_file

CHUNK_ROWS = 100_000  # rows generated (and written) at a time; memory does not grow past this
MAX_IN_MEMORY_ROWS = 1_000_000  # above this, write to a file instead of building one DataFrame
LOCALES = {  # locale -> its country, for country columns that agree with the addresses
    "en_US": "United States", "de_DE": "Germany", "fr_FR": "France", "es_ES": "Spain",
    "ja_JP": "Japan",
}
POOL = 500  # Faker values drawn per pool; rows pick from pools
NAME_POOL = 2_000  # first and last names each: Faker repeats names, so draw plenty


# ---------------------------------------------------------------- specs from data/


@lru_cache(maxsize=1)
def load_generator_specs() -> dict:
    """data/generators.json: explicit column specs, name patterns and the reference date."""
    return read_json(data_file("generators.json"))


@lru_cache(maxsize=1)
def load_values() -> dict[str, list]:
    """data/values.json: value lists for categorical columns."""
    return read_json(data_file("values.json"))["values"]


def column_spec(column: str) -> tuple[dict, str]:
    """The spec for a column and how it was found: 'catalog', 'pattern' or 'fallback'."""
    specs = load_generator_specs()
    if column in specs["columns"]:
        return specs["columns"][column], "catalog"
    for rule in specs["patterns"]:
        if fnmatch.fnmatchcase(column, rule["match"]):
            return {k: v for k, v in rule.items() if k != "match"}, "pattern"
    return {"kind": "text"}, "fallback"


# ---------------------------------------------------------------- checks


def check_request(columns: Sequence[str], rows: object, locale: str) -> list[str]:
    """Validate a generation request; return the columns as a list."""
    if isinstance(columns, str) or not isinstance(columns, Sequence):
        raise TypeError("columns must be a list of column names")
    if not columns:
        raise ValueError("columns is empty: give at least one column name")
    if not all(isinstance(c, str) and c for c in columns):
        raise TypeError("every column name must be a non-empty string")
    if len(set(columns)) != len(columns):
        raise ValueError("a column is listed twice")
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)):
        raise TypeError(f"rows must be an integer, got {rows!r}")
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")
    return list(columns)


# ---------------------------------------------------------------- Faker pools


@dataclass(frozen=True)
class Pools:
    """Values drawn once per (seed, locale) from a seeded Faker instance."""

    first: np.ndarray
    last: np.ndarray
    first_ascii: np.ndarray
    last_ascii: np.ndarray
    phone: np.ndarray
    street: np.ndarray
    city: np.ndarray
    company: np.ndarray
    sentence: np.ndarray
    title: np.ndarray
    user_name: np.ndarray
    email_domain: np.ndarray
    url: np.ndarray
    user_agent: np.ndarray
    last_first: bool = False  # ja_JP writes the family name first


def ascii_fold(text: str) -> str:
    """'Müller' -> 'muller', for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


_pools_lock = threading.Lock()


def pools(seed: int, locale: str) -> Pools:
    """Faker pools for one table (about 0.7 s of Faker calls, then cached). The lock makes
    concurrent requests for the same pools (a web server's threads) build them once."""
    with _pools_lock:
        return build_pools(seed, locale)


@lru_cache(maxsize=16)
def build_pools(seed: int, locale: str) -> Pools:
    """Seeded on the Faker instance, not the class: a class-level seed is shared by every Faker
    in the process, so one table's calls would shift another's."""
    fake = Faker(locale)
    fake.seed_instance(seed)

    def draw(method: Callable[[], str], n: int = POOL) -> np.ndarray:
        return np.array([method() for _ in range(n)], dtype=object)

    half = NAME_POOL // 2  # first names: female in the first half, male in the second
    if locale == "ja_JP":  # (kanji, kana, romaji) triples: e-mail follows the very same name
        first_triples = [fake.first_name_female_pair() for _ in range(half)]
        first_triples += [fake.first_name_male_pair() for _ in range(half)]
        last_triples = [fake.last_name_pair() for _ in range(NAME_POOL)]
        first = np.array([t[0] for t in first_triples], dtype=object)
        last = np.array([t[0] for t in last_triples], dtype=object)
        first_ascii = np.array([t[2] for t in first_triples], dtype=object)
        last_ascii = np.array([t[2] for t in last_triples], dtype=object)
    else:
        first = np.concatenate([draw(fake.first_name_female, half),
                                draw(fake.first_name_male, half)])
        last = draw(fake.last_name, NAME_POOL)
        first_ascii = np.array([ascii_fold(n) or "user" for n in first], dtype=object)
        last_ascii = np.array([ascii_fold(n) or "user" for n in last], dtype=object)
    return Pools(
        first=first, last=last,
        first_ascii=np.char.lower(first_ascii.astype(str)).astype(object),
        last_ascii=np.char.lower(last_ascii.astype(str)).astype(object),
        phone=draw(fake.phone_number), street=draw(fake.street_address), city=draw(fake.city, 200),
        company=draw(fake.company, 200), sentence=draw(fake.sentence, 300),
        title=draw(lambda: fake.sentence(nb_words=4).rstrip("."), 300),
        user_name=draw(fake.user_name, 300), email_domain=draw(fake.free_email_domain, 20),
        url=draw(fake.uri, 200), user_agent=draw(fake.user_agent, 100),
        last_first=locale == "ja_JP",
    )


# ---------------------------------------------------------------- the generators


@dataclass
class Context:
    """What a generator may use: its own random stream, the rows to make, the table so far."""

    rng: np.random.Generator
    start: int  # index of this chunk's first row in the whole table
    n: int
    locale: str
    pools: Pools
    table: dict[str, object] = field(default_factory=dict)  # columns made so far in this chunk
    parts: dict[str, object] = field(default_factory=dict)  # e.g. the name indices, for e-mail


def reference_day() -> np.datetime64:
    return np.datetime64(load_generator_specs()["reference_date"], "D")


def pick(ctx: Context, values: np.ndarray) -> np.ndarray:
    return values[ctx.rng.integers(len(values), size=ctx.n)]


def affine(values: list[int], digits: int, a: int, b: int) -> list[int]:
    """x -> (a*x + b) mod 10**digits: a bijection when a is coprime with 10."""
    modulus = 10**digits
    a = a % modulus | 1  # odd ...
    a = a + 2 if a % 5 == 0 else a  # ... and not a multiple of 5
    return [(x * a + b) % modulus for x in values]


def unique_numbers(ctx: Context, digits: int) -> list[int]:
    """Distinct, random-looking numbers below 10**digits, one per row, unique across chunks for
    up to 10**digits rows: two affine bijections with a digit reversal (also a bijection)
    between them, so consecutive rows share no visible pattern."""
    mixed = affine(list(range(ctx.start, ctx.start + ctx.n)), digits, 0x9E3779B97F4A7C15, 12_345)
    reversed_ = [int(f"{x:0{digits}d}"[::-1]) for x in mixed]
    return affine(reversed_, digits, 0x2545F4914F6CDD1D, 0x5851F42D)


def luhn_digit(body: str) -> str:
    """Check digit that makes body + digit pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def isbn13_digit(body: str) -> str:
    """ISBN-13 check digit for 12 digits."""
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(body))
    return str((10 - total % 10) % 10)


def gen_id(ctx, spec, column):
    prefix = spec.get("prefix") or column.removesuffix("_id")[:3].upper()
    return np.array([f"{prefix}-{i:06d}" for i in range(ctx.start + 1, ctx.start + ctx.n + 1)],
                    dtype=object)


def gen_choice_id(ctx, spec, column):
    return np.array([f"{spec['prefix']}-{i:06d}" for i in ctx.rng.integers(1, spec["high"] + 1,
                                                                            size=ctx.n)],
                    dtype=object)


def gen_digits(ctx, spec, column):
    digits = spec.get("digits", 10)
    prefix = spec.get("prefix", "")
    return np.array([f"{prefix}{v:0{digits}d}" for v in unique_numbers(ctx, digits)], dtype=object)


def gen_card(ctx, spec, column):
    bodies = [f"4{v:014d}" for v in unique_numbers(ctx, 14)]  # 4...: a Visa-like prefix
    return np.array([b + luhn_digit(b) for b in bodies], dtype=object)


def gen_isbn(ctx, spec, column):
    bodies = [f"978{v:09d}" for v in unique_numbers(ctx, 9)]
    return np.array([b + isbn13_digit(b) for b in bodies], dtype=object)


def gen_vin(ctx, spec, column):
    alphabet = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))  # no I, O or Q in a VIN
    heads = ["".join(row) for row in alphabet[ctx.rng.integers(len(alphabet), size=(ctx.n, 8))]]
    return np.array([h + f"{v:09d}" for h, v in zip(heads, unique_numbers(ctx, 9), strict=True)],
                    dtype=object)


def gen_flight(ctx, spec, column):
    carriers = np.array(["AA", "BA", "LH", "AF", "IB", "JL", "UA", "DL"])
    return pick(ctx, carriers).astype(object) + np.char.mod("%04d", ctx.rng.integers(
        1, 10_000, size=ctx.n)).astype(object)


def gen_hex(ctx, spec, column):
    length = spec["length"]
    raw = ctx.rng.integers(0, 16, size=(ctx.n, length))
    digits = np.array(list("0123456789abcdef"))
    return np.array([spec.get("prefix", "") + "".join(row) for row in digits[raw]], dtype=object)


def gen_uuid(ctx, spec, column):
    """Version-4 UUIDs from the column's seeded stream (uuid.uuid4() would ignore the seed)."""
    raw = ctx.rng.integers(0, 256, size=(ctx.n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    return np.array([str(uuid.UUID(bytes=row.tobytes())) for row in raw], dtype=object)


def gen_sku(ctx, spec, column):
    letters = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))
    heads = ["".join(r) for r in letters[ctx.rng.integers(len(letters), size=(ctx.n, 3))]]
    return np.array([f"{h}-{v:07d}" for h, v in zip(heads, unique_numbers(ctx, 7), strict=True)],
                    dtype=object)


def first_name_indices(ctx: Context, gender: object) -> np.ndarray:
    """Indices into the first-name pool (female half, then male half), matching `gender`
    row by row when the table has a gender column."""
    half = len(ctx.pools.first) // 2
    i = ctx.rng.integers(half, size=ctx.n)
    if gender is None:
        return i + half * ctx.rng.integers(2, size=ctx.n)
    male = np.asarray(gender) == "male"
    other = ~male & (np.asarray(gender) != "female")
    return i + half * (male | (other & (ctx.rng.random(ctx.n) < 0.5)))


def source(ctx: Context, spec: dict) -> object:
    """The values of the column this one derives from ("of"), if the table has it."""
    return ctx.table.get(spec["of"]) if isinstance(spec.get("of"), str) else None


def gen_person(ctx, spec, column):
    p = ctx.pools
    i = first_name_indices(ctx, source(ctx, spec))
    j = ctx.rng.integers(len(p.last), size=ctx.n)
    ctx.parts[column] = (i, j)  # an e-mail or username "of" this column reuses the same name
    if p.last_first:
        return p.last[j] + " " + p.first[i]
    return p.first[i] + " " + p.last[j]


def name_parts(ctx: Context, spec: dict) -> tuple[np.ndarray, np.ndarray]:
    """First- and last-name indices of the person column named by "of", or fresh ones."""
    if spec.get("of") in ctx.parts:
        return ctx.parts[spec["of"]]
    return (ctx.rng.integers(len(ctx.pools.first), size=ctx.n),
            ctx.rng.integers(len(ctx.pools.last), size=ctx.n))


def gen_email(ctx, spec, column):
    i, j = name_parts(ctx, spec)
    p = ctx.pools
    number = np.where(ctx.rng.random(ctx.n) < 0.3,
                      np.char.mod("%d", ctx.rng.integers(1, 100, size=ctx.n)), "").astype(object)
    return p.first_ascii[i] + "." + p.last_ascii[j] + number + "@" + pick(ctx, p.email_domain)


def gen_username(ctx, spec, column):
    i, j = name_parts(ctx, spec)
    p = ctx.pools
    return (p.first_ascii[i] + "_" + p.last_ascii[j].astype(str).astype(object)
            + np.char.mod("%d", ctx.rng.integers(1, 1000, size=ctx.n)).astype(object))


def gen_pool(attribute: str):
    def generator(ctx, spec, column):
        return pick(ctx, getattr(ctx.pools, attribute))
    return generator


def gen_country(ctx, spec, column):
    return np.full(ctx.n, LOCALES[ctx.locale], dtype=object)


def gen_ip(ctx, spec, column):
    octets = ctx.rng.integers(1, 255, size=(ctx.n, 4)).astype(str)
    return np.array([".".join(row) for row in octets], dtype=object)


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
    gap = ctx.rng.integers(spec["low"], spec["high"] + 1, size=ctx.n)
    return np.asarray(earlier) + gap.astype(f"timedelta64[{spec['unit']}]")


def gen_int(ctx, spec, column):
    return ctx.rng.integers(spec.get("low", 0), spec.get("high", 100) + 1, size=ctx.n)


def gen_float(ctx, spec, column):
    values = ctx.rng.uniform(spec.get("low", 0.0), spec.get("high", 1.0), size=ctx.n)
    return values.round(spec.get("decimals", 2))


def gen_money(ctx, spec, column):
    """Positive amounts with two decimals, skewed like real prices (many small, few large)."""
    low, high = max(spec.get("low", 1), 0.01), spec.get("high", 1000)
    log_values = ctx.rng.uniform(np.log(low), np.log(high), size=ctx.n)
    return np.exp(log_values).round(2)


def gen_product(ctx, spec, column):
    """total = price x quantity when both are in the table."""
    factors = [ctx.table.get(c) for c in spec["of"]]
    if any(f is None for f in factors):
        return gen_money(ctx, spec, column)
    return (np.asarray(factors[0], dtype=float) * np.asarray(factors[1], dtype=float)).round(2)


def gen_age(ctx, spec, column):
    """Age on the reference date, from the date of birth ("of") when the table has it."""
    born = source(ctx, spec)
    if born is None:
        return gen_int(ctx, spec, column)
    born = pd.DatetimeIndex(born)
    ref = pd.Timestamp(reference_day())
    had_birthday = (born.month < ref.month) | ((born.month == ref.month) & (born.day <= ref.day))
    return (ref.year - born.year - (~had_birthday).astype(int)).to_numpy()


def gen_bool(ctx, spec, column):
    return ctx.rng.random(ctx.n) < spec.get("p", 0.5)


def choices(spec: dict, column: str) -> tuple[list, np.ndarray | None]:
    """A categorical column's values and their probabilities (None: equal odds)."""
    values = load_values()[spec.get("values", column)]
    if isinstance(values, dict):
        weights = np.array(list(values.values()), dtype=float)
        return list(values), weights / weights.sum()
    return list(dict.fromkeys(values)), None


def gen_choice(ctx, spec, column):
    values, p = choices(spec, column)
    return ctx.rng.choice(np.array(values, dtype=object), size=ctx.n, p=p)


def gen_text(ctx, spec, column):
    return pick(ctx, ctx.pools.sentence)


Generator = Callable[[Context, dict, str], np.ndarray]

# The registry: a spec's "kind" -> the function that fills a column of that kind.
GENERATORS: dict[str, Generator] = {
    "id": gen_id, "choice_id": gen_choice_id, "digits": gen_digits, "card": gen_card,
    "isbn": gen_isbn, "vin": gen_vin, "uuid": gen_uuid, "flight": gen_flight, "hex": gen_hex,
    "sku": gen_sku,
    "person": gen_person, "email": gen_email, "username": gen_username,
    "phone": gen_pool("phone"), "address": gen_pool("street"), "city": gen_pool("city"),
    "company": gen_pool("company"), "title": gen_pool("title"), "url": gen_pool("url"),
    "user_agent": gen_pool("user_agent"), "country": gen_country, "ip": gen_ip, "seat": gen_seat,
    "date": gen_date, "datetime": gen_datetime, "after": gen_after,
    "int": gen_int, "float": gen_float, "money": gen_money, "product": gen_product,
    "age": gen_age, "bool": gen_bool, "choice": gen_choice, "text": gen_text,
}


# ---------------------------------------------------------------- tables


def dependencies(spec: dict) -> tuple[str, ...]:
    """The columns a spec derives from (its "of")."""
    of = spec.get("of", ())
    return (of,) if isinstance(of, str) else tuple(of)


def generation_order(columns: list[str]) -> list[str]:
    """Columns ordered so that each comes after those it derives from (gender, name, email)."""
    needs = {c: [d for d in dependencies(column_spec(c)[0]) if d in columns] for c in columns}
    order: list[str] = []
    while len(order) < len(columns):
        ready = [c for c in columns if c not in order and all(d in order for d in needs[c])]
        if not ready:
            circle = sorted(set(columns) - set(order))
            raise ValueError(f"columns derive from each other in a circle: {circle}")
        order += ready
    return order


def column_seed(seed: int, column: str, chunk: int) -> list[int]:
    """Independent stream per (table seed, column, chunk): order of columns never matters."""
    return [seed, zlib.crc32(column.encode()), chunk]


def to_series(values: np.ndarray, spec: dict, column: str, locale: str) -> pd.Series:
    """Give each kind its pandas dtype; categories are fixed so that chunks concatenate."""
    if spec["kind"] == "choice":
        return pd.Series(pd.Categorical(values, categories=choices(spec, column)[0]))
    if spec["kind"] == "country":
        return pd.Series(pd.Categorical(values, categories=[LOCALES[locale]]))
    series = pd.Series(values)
    return series.astype("string") if series.dtype == object else series


def generate_chunk(columns: list[str], start: int, n: int, seed: int, locale: str) -> pd.DataFrame:
    """Rows start..start+n-1 of the table."""
    ctx = Context(rng=np.random.default_rng(), start=start, n=n, locale=locale,
                  pools=pools(seed, locale))
    series = {}
    for column in generation_order(columns):
        spec, found = column_spec(column)
        if found == "fallback" and start == 0:
            warnings.warn(f"no generator for column {column!r}: filling it with plain text",
                          stacklevel=3)
        ctx.rng = np.random.default_rng(column_seed(seed, column, start // CHUNK_ROWS))
        values = GENERATORS[spec["kind"]](ctx, spec, column)
        ctx.table[column] = values
        series[column] = to_series(values, spec, column, locale)
    return pd.DataFrame({c: series[c] for c in columns})


def iter_chunks(
    columns: Sequence[str], rows: int, seed: int = 0, locale: str = "en_US"
) -> Iterator[pd.DataFrame]:
    """The table in chunks of at most CHUNK_ROWS rows, for streaming to a file."""
    columns = check_request(columns, rows, locale)
    for start in range(0, rows, CHUNK_ROWS):
        frame = generate_chunk(columns, start, min(CHUNK_ROWS, rows - start), seed, locale)
        frame.index = pd.RangeIndex(start, start + len(frame))
        yield frame


def generate_dataframe(
    columns: Sequence[str], rows: int = 10, seed: int = 0, locale: str = "en_US"
) -> pd.DataFrame:
    """A DataFrame of `rows` fake rows for `columns`; the same arguments give the same table."""
    check_request(columns, rows, locale)
    if rows > MAX_IN_MEMORY_ROWS:
        raise ValueError(f"rows={rows:,} is above the in-memory limit of {MAX_IN_MEMORY_ROWS:,}: "
                         "write to a file instead (write_table, or --out on the command line)")
    chunks = list(iter_chunks(columns, rows, seed, locale))
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)
