"""Identifiers that are unique by construction and carry valid check digits.

Row i of a table goes through a bijection (two affine maps modulo 10^d with a digit reversal
between them), so no two rows share a number and consecutive rows look unrelated. Check digits
follow the published rules: Luhn for card numbers, ISBN-13, and ISO 3779 (position 9) for VINs.
"""

from __future__ import annotations

import uuid

import numpy as np

from helpers.draws import Context, codes_by, once
from helpers.specs import load_values

DIGITS = np.array(list("0123456789"))


def affine(values: list[int], digits: int, a: int, b: int) -> list[int]:
    """x -> (a*x + b) mod 10**digits: a bijection when a is coprime with 10."""
    modulus = 10**digits
    a = a % modulus | 1  # odd ...
    a = a + 2 if a % 5 == 0 else a  # ... and not a multiple of 5
    if digits > 15 or not len(values):
        return [(x * a + b) % modulus for x in values]
    # The same in int64, for a whole column at once: a*x would not fit, so a is taken in
    # pieces of 18 - digits decimal digits (Horner), each product below 10**18.
    step = 10 ** (18 - digits)
    x = np.asarray(values, dtype=object) % modulus  # any int: reduced first, then int64
    x = x.astype(np.int64)
    pieces = []
    while a:
        a, piece = divmod(a, step)
        pieces.append(piece)
    result = np.zeros_like(x)
    for piece in reversed(pieces):  # most significant first
        result = (result * step + x * piece) % modulus
    return ((result + b % modulus) % modulus).tolist()


def unique_numbers(ctx: Context, digits: int) -> list[int]:
    """Distinct, random-looking numbers below 10**digits, one per row, unique across chunks for
    up to 10**digits rows."""
    mixed = affine(list(range(ctx.start, ctx.start + ctx.n)), digits, 0x9E3779B97F4A7C15, 12_345)
    if digits <= 18:  # the digits reversed (0012 -> 2100) in int64, without a string per row
        powers = 10 ** np.arange(digits, dtype=np.int64)  # (digits,) 1, 10, 100, ...
        reversed_ = ((np.array(mixed, dtype=np.int64)[:, None] // powers[::-1] % 10)
                     @ powers).tolist()
    else:
        reversed_ = [int(f"{x:0{digits}d}"[::-1]) for x in mixed]
    return affine(reversed_, digits, 0x2545F4914F6CDD1D, 0x5851F42D)


def digit_matrix(numbers: list[int], digits: int) -> np.ndarray:
    """(rows, digits) array of one-character strings: 42, 4 -> ['0', '0', '4', '2']."""
    powers = 10 ** np.arange(digits - 1, -1, -1, dtype=np.int64)
    return DIGITS[(np.asarray(numbers, dtype=np.int64)[:, None] // powers) % 10]


def join_chars(chars: np.ndarray) -> np.ndarray:
    """(rows, k) one-character strings -> rows strings of length k, without a Python loop."""
    chars = np.ascontiguousarray(chars, dtype="<U1")
    return chars.view(f"<U{chars.shape[1]}").ravel().astype(object)


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


VIN_ALPHABET = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))  # no I, O or Q in a VIN
CHECK_CHARS = np.array(list("0123456789X"))  # a remainder of 10 is written X
VIN_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2])
_VIN_VALUE = np.zeros(128, dtype=np.int64)  # ISO 3779 transliteration: A=1 ... Z=9, digits as is
for _letters, _start in (("ABCDEFGH", 1), ("JKLMN", 1), ("P", 7), ("R", 9), ("STUVWXYZ", 2)):
    for _k, _ch in enumerate(_letters):
        _VIN_VALUE[ord(_ch)] = _start + _k
_VIN_VALUE[ord("0"):ord("9") + 1] = np.arange(10)


def vin_check_digits(chars: np.ndarray) -> np.ndarray:
    """Position-9 check digits for a (rows, 17) array of VIN characters ('X' for 10)."""
    codes = np.ascontiguousarray(chars, dtype="<U1").view(np.uint32).astype(np.int64)
    remainder = (_VIN_VALUE[codes] * VIN_WEIGHTS).sum(axis=1) % 11
    return CHECK_CHARS[remainder]


def vin_check_digit(vin: str) -> str:
    """The check digit a 17-character VIN must carry at position 9."""
    return str(vin_check_digits(np.array([list(vin)]))[0])


VIN_YEAR_CYCLE = "ABCDEFGHJKLMNPRSTVWXY123456789"  # position 10 from 1980 on, every 30 years
YEAR_CYCLE = np.array(list(VIN_YEAR_CYCLE))


def vin_year_codes(years: object) -> np.ndarray:
    """The model-year letter of a VIN (ISO 3779 position 10): 2005 -> '5', 2025 -> 'S'."""
    return YEAR_CYCLE[(np.asarray(years, dtype=np.int64) - 1980) % 30]


VIN_YEARS = vin_year_codes(np.arange(2010, 2026))  # position 10 of a VIN with no year column


def gen_vin(ctx, spec, column):
    """Maker code (WMI: one of the make's own when the table has a make, data/generators.json's
    wmi_by, else any real one from data/values.json), 5 random characters, the check digit, the
    model year's letter (the year column's, when the table has one), then 7 digits unique per
    row."""
    codes = load_values()["vin_wmi"]
    chars = np.empty((ctx.n, 17), dtype="<U1")
    by = spec.get("wmi_by")
    if by and by["of"] in ctx.table:
        every = once(maker_codes, codes, by["codes"])
        wmi = once(char_rows, every)
        chars[:, :3] = wmi[codes_by(ctx, ctx.table[by["of"]], by["codes"], every)]
    else:
        wmi = once(char_rows, codes)
        chars[:, :3] = wmi[ctx.rng.integers(len(wmi), size=ctx.n)]
    chars[:, 3:8] = VIN_ALPHABET[ctx.rng.integers(len(VIN_ALPHABET), size=(ctx.n, 5))]
    chars[:, 9] = VIN_YEARS[ctx.rng.integers(len(VIN_YEARS), size=ctx.n)]
    if spec.get("year_of") in ctx.table:
        chars[:, 9] = vin_year_codes(ctx.table[spec["year_of"]])
    chars[:, 10:] = digit_matrix(unique_numbers(ctx, 7), 7)
    chars[:, 8] = vin_check_digits(chars)
    return join_chars(chars)


def maker_codes(codes: list[str], by_make: dict[str, list[str]]) -> list[str]:
    """Every maker code (WMI): the value list's, then the makes' own, each once."""
    return list(dict.fromkeys(codes + [c for cs in by_make.values() for c in cs]))


def char_rows(codes: list[str]) -> np.ndarray:
    """Codes of one length as a (codes, length) character array."""
    return np.array([list(code) for code in codes])


def gen_id(ctx, spec, column):
    prefix = spec.get("prefix") or column.removesuffix("_id")[:3].upper()
    return np.array([f"{prefix}-{i:06d}" for i in range(ctx.start + 1, ctx.start + ctx.n + 1)],
                    dtype=object)


def gen_choice_id(ctx, spec, column):
    """An identifier of another table's row: 1..high, or, with "parents", drawn from that share
    of the table's rows (1,000 orders from 300 customers: each customer orders again)."""
    if "parents" in spec:
        rows = int(ctx.options.get("rows", ctx.start + ctx.n))
        high = max(1, int(np.ceil(rows * spec["parents"])))
    else:
        high = spec["high"]
    return np.array([f"{spec['prefix']}-{i:06d}" for i in ctx.rng.integers(1, high + 1,
                                                                            size=ctx.n)],
                    dtype=object)


def gen_manager(ctx, spec, column):
    """A manager who is one of the table's own employees ("of": their ids): a share of the rows
    are managers, and each row reports to one of them, never to itself (a lone row: nobody).
    Without the employees' ids, ids of the rows a table this long would have."""
    staff = ctx.table.get(spec["of"])
    if staff is None:
        rows = int(ctx.options.get("rows", ctx.start + ctx.n))
        return gen_choice_id(ctx, {"prefix": spec["prefix"], "high": rows}, column)
    staff = np.asarray(staff, dtype=object)
    k = min(ctx.n, max(2, int(np.ceil(ctx.n * spec.get("share", 0.1)))))
    managers = ctx.rng.choice(ctx.n, size=k, replace=False)
    pick = ctx.rng.integers(k, size=ctx.n)
    pick = np.where(managers[pick] == np.arange(ctx.n), (pick + 1) % k, pick)
    out = staff[managers[pick]]
    if k == 1:
        out = np.full(ctx.n, None, dtype=object)
    return out


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


def gen_flight(ctx, spec, column):
    carriers = np.array(["AA", "BA", "LH", "AF", "IB", "JL", "UA", "DL"], dtype=object)
    numbers = np.char.mod("%04d", ctx.rng.integers(1, 10_000, size=ctx.n)).astype(object)
    return carriers[ctx.rng.integers(len(carriers), size=ctx.n)] + numbers


def gen_hex(ctx, spec, column):
    raw = ctx.rng.integers(0, 16, size=(ctx.n, spec["length"]))
    return spec.get("prefix", "") + join_chars(np.array(list("0123456789abcdef"))[raw])


def gen_uuid(ctx, spec, column):
    """Version-4 UUIDs from the column's seeded stream (uuid.uuid4() would ignore the seed)."""
    raw = ctx.rng.integers(0, 256, size=(ctx.n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    return np.array([str(uuid.UUID(bytes=row.tobytes())) for row in raw], dtype=object)


def gen_sku(ctx, spec, column):
    letters = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))
    heads = join_chars(letters[ctx.rng.integers(len(letters), size=(ctx.n, 3))])
    return np.array([f"{h}-{v:07d}" for h, v in zip(heads, unique_numbers(ctx, 7), strict=True)],
                    dtype=object)


IDENTIFIERS = {
    "id": gen_id, "choice_id": gen_choice_id, "digits": gen_digits, "card": gen_card,
    "isbn": gen_isbn, "vin": gen_vin, "uuid": gen_uuid, "flight": gen_flight, "hex": gen_hex,
    "sku": gen_sku, "manager": gen_manager,
}
