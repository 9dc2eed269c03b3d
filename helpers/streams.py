"""Each column's own random stream: seeded from (table seed, column name, chunk), so that a
column's values never depend on which other columns a table has, nor on their order.

The stream is exactly np.random.default_rng([seed, crc32(column), chunk])'s: a PCG64 seeded
through a SeedSequence. numpy builds one in about 30-40 microseconds on this project's machine,
as long as drawing a 100-row column, and a server meets a new table seed on every request. So
only the SeedSequence's hashing is left to numpy (in C); its generate_state and PCG64's
128-bit seeding are written out here in plain integers (numpy's algorithm, step for step:
numpy/random/bit_generator.pyx and pcg64.h), and the state is set on one bit generator per
thread. A test holds the states equal to numpy's own for many seeds, columns and chunks.

The generation side of helpers: it never imports torch.
"""

from __future__ import annotations

import threading
import zlib
from functools import lru_cache

import numpy as np

MASK32, MASK128 = 0xFFFF_FFFF, (1 << 128) - 1
INIT_B, MULT_B = 0x8B51_F9DD, 0x58F3_8DED  # SeedSequence.generate_state: the pool into words
POOL_SIZE = 4  # SeedSequence's default pool of 32-bit words
PCG_MULTIPLIER = (2549297995355413924 << 64) + 4865540595714422341  # PCG64's 128-bit LCG


def column_seed(seed: int, column: str, chunk: int) -> list[int]:
    """Independent stream per (table seed, column, chunk): order of columns never matters."""
    return [seed, zlib.crc32(column.encode()), chunk]


def uint32_words(number: int) -> list[int]:
    """A non-negative int as SeedSequence reads it: 32-bit words, least significant first."""
    if number < 0:
        raise ValueError(f"a seed must be a non-negative integer, got {number}")
    words = [0] if number == 0 else []
    while number:
        words.append(number & MASK32)
        number >>= 32
    return words


def output_hashes(n: int) -> list[tuple[int, int]]:
    """SeedSequence.generate_state's hash constants, (before, after) each multiply: they never
    depend on the seed, so they are worked out once."""
    found, const = [], INIT_B
    for _ in range(n):
        after = const * MULT_B & MASK32
        found.append((const, after))
        const = after
    return found


OUT_HASHES = output_hashes(8)  # PCG64 asks for 8 words (4 of 64 bits)


def pcg64_state(entropy: list[int]) -> dict:
    """np.random.PCG64(entropy).state, without building the bit generator: numpy's
    SeedSequence hashes the entropy into its pool (in C), and its generate_state(4, uint64)
    and PCG64's 128-bit seeding are done here in plain integers."""
    words = np.array([w for number in entropy for w in uint32_words(int(number))], np.uint32)
    pool = np.random.SeedSequence(words).pool.tolist()  # (4,) 32-bit words
    w = []
    for i, (before, after) in enumerate(OUT_HASHES):  # generate_state: hash the pool again
        value = (pool[i % POOL_SIZE] ^ before) * after & MASK32
        w.append(value ^ value >> 16)
    # 4 words of 64 bits (low word first); seed = (u64[0], u64[1]), increment from (u64[2], u64[3])
    initstate = (w[0] | w[1] << 32) << 64 | w[2] | w[3] << 32
    inc = ((w[4] | w[5] << 32) << 64 | w[6] | w[7] << 32) << 1 & MASK128 | 1
    state = (initstate + inc) * PCG_MULTIPLIER + inc & MASK128  # step, add, step from 0
    return {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
            "has_uint32": 0, "uinteger": 0}


@lru_cache(maxsize=4096)
def column_states(seed: int, columns: tuple[str, ...], chunk: int) -> tuple[dict, ...]:
    """The starting state of each column's stream: exactly
    np.random.default_rng(column_seed(seed, column, chunk))'s (pcg64_state: about half
    numpy's cost), kept for a seed asked for again (a test's, a benchmark's)."""
    return tuple(pcg64_state(column_seed(seed, column, chunk)) for column in columns)


def column_state(seed: int, column: str, chunk: int) -> dict:
    """The starting state of one column's stream (column_states for one column)."""
    return column_states(seed, (column,), chunk)[0]


_local = threading.local()


def thread_bits() -> np.random.PCG64:
    """One PCG64 per thread, built once: a server's threads never share a stream."""
    if not hasattr(_local, "bits"):
        _local.bits = np.random.PCG64(0)
    return _local.bits


def column_rng(bits: np.random.PCG64, seed: int, column: str, chunk: int) -> np.random.Generator:
    """A column's own random stream, on the chunk's one bit generator (reused, not rebuilt)."""
    return stream(bits, column_state(seed, column, chunk))


def stream(bits: np.random.PCG64, state: dict) -> np.random.Generator:
    """A generator drawing from `bits` set to `state` (one of column_states)."""
    bits.state = state
    return np.random.Generator(bits)
