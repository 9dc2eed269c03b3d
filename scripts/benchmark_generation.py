"""Benchmark: vectorised generation against a naive per-row Faker loop, and streaming memory.

    python scripts/benchmark_generation.py                 # speed table (about a minute)
    python scripts/benchmark_generation.py --stream 10000000 --out /tmp/big.csv   # memory

Not run by the tests: it takes minutes and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date

from faker import Faker

import helpers

COLUMNS = helpers.load_catalog()["customers"]  # 8 columns: id, name, email, phone, address, ...


def naive_table(rows: int, seed: int = 0) -> list[dict]:
    """What most tutorials do: one Faker call per cell, row by row."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return [
        {
            "customer_id": f"CUS-{i + 1:06d}",
            "name": fake.name(),
            "email": fake.email(),
            "phone": fake.phone_number(),
            "address": fake.street_address(),
            "city": fake.city(),
            "country": fake.current_country(),
            "signup_date": fake.date_between(date(2021, 1, 1), date(2025, 12, 31)),
        }
        for i in range(rows)
    ]


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def speed(naive_rows: int, sizes: list[int]) -> None:
    """Rows per second of both approaches, and whether quality holds."""
    naive, naive_s = timed(naive_table, naive_rows)
    ours, ours_s = timed(helpers.generate_dataframe, COLUMNS, naive_rows, 0)
    naive_names = len({r["name"] for r in naive})
    print(f"{naive_rows:,} rows x {len(COLUMNS)} columns")
    print(f"  naive per-row Faker loop : {naive_s:8.2f} s  {naive_rows / naive_s:12,.0f} rows/s")
    print(f"  helpers.generate_dataframe: {ours_s:8.2f} s  {naive_rows / ours_s:12,.0f} rows/s")
    print(f"  speed-up {naive_s / ours_s:.0f}x; distinct names {ours['name'].nunique():,} "
          f"(naive {naive_names:,}); customer_id unique: {ours['customer_id'].is_unique}")
    for rows in sizes:
        _, seconds = timed(helpers.generate_dataframe, COLUMNS, rows, 0)
        print(f"  {rows:>10,} rows: {seconds:6.2f} s  {rows / seconds:12,.0f} rows/s")


def stream(rows: int, out: str) -> None:
    """Write `rows` rows to `out` in chunks and report the peak memory of this process."""
    _, seconds = timed(helpers.write_table, COLUMNS, out, rows, 0, "en_US", True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wrote {rows:,} rows to {out} in {seconds:.1f} s; peak memory {peak_mb:,.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-rows", type=int, default=100_000)
    parser.add_argument("--stream", type=int, help="rows to write to --out instead")
    parser.add_argument("--out", default="benchmark.csv")
    args = parser.parse_args()
    if args.stream:
        stream(args.stream, args.out)
    else:
        speed(args.naive_rows, [10_000, 100_000, 1_000_000])
