"""Benchmark: our vectorised generation against mimesis's Fieldset and a naive per-row Faker loop.

    python scripts/benchmark_generation.py                  # speed and variety (about a minute)
    python scripts/benchmark_generation.py --save data/benchmark.json   # what notebook 06 plots
    python scripts/benchmark_generation.py --stream 10000000 --out /tmp/big.csv   # memory
    python scripts/benchmark_generation.py --linked      # 1M orders over 100k customers

`make benchmark` installs mimesis (the `bench` extra) and runs the first and the last. Speed
without variety would be easy (pick from ten names), so every line reports the distinct names,
e-mails and addresses beside rows per second, and whether each table passes
helpers.check_table. Not run by the tests: it takes a minute and its numbers depend on the
machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
from faker import Faker

import helpers

COLUMNS = helpers.load_catalog()["customers"]  # 8 columns: id, name, email, phone, address, ...


def naive_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """What most tutorials do: one Faker call per cell, row by row."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return pd.DataFrame([
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
    ])


def mimesis_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """mimesis's vectorised API: one Fieldset call per column."""
    from mimesis import Fieldset, Locale

    fields = Fieldset(Locale.EN, seed=seed, i=rows)
    return pd.DataFrame({
        "customer_id": [f"CUS-{i + 1:06d}" for i in range(rows)],
        "name": fields("person.full_name"),
        "email": fields("person.email"),
        "phone": fields("person.phone_number"),
        "address": fields("address.address"),
        "city": fields("address.city"),
        "country": "United States",
        "signup_date": fields("datetime.date", start=2021, end=2025),
    })


def ours(rows: int, seed: int = 0) -> pd.DataFrame:
    """The vectorised generator of notebook 06."""
    return helpers.generate_dataframe(COLUMNS, rows, seed)


def measure(name: str, make: Callable[[int, int], pd.DataFrame], rows: int, runs: int) -> dict:
    """Rows per second (the first run, which pays any one-time set-up such as our per-locale
    pools, and the best later run), distinct values, and plausibility violations."""
    seconds = []
    for seed in range(runs):
        start = time.perf_counter()
        table = make(rows, seed)
        seconds.append(time.perf_counter() - start)
    report = helpers.check_table(table.head(10_000))  # a sample: libphonenumber is slow
    return {"generator": name, "rows": rows, "first_rows_per_s": round(rows / seconds[0]),
            "rows_per_s": round(rows / min(seconds[1:] or seconds)),
            **{f"distinct_{c}": int(table[c].nunique()) for c in ("name", "email", "address")},
            "violations_per_10k": report.violations}


def speed(rows: int, naive_rows: int) -> list[dict]:
    results = [measure("helpers.generate_dataframe", ours, rows, runs=3)]
    try:
        results.append(measure("mimesis Fieldset", mimesis_table, rows, runs=3))
    except ImportError:
        print("(mimesis is not installed: pip install -e '.[bench]' to compare with it)")
    results.append(measure("naive per-row Faker loop", naive_table, naive_rows, runs=1))
    print(f"customers table ({len(COLUMNS)} columns), one process, {platform.machine()}; rows/s "
          "of the best run after the first (first run in brackets):")
    for r in results:
        print(f"  {r['generator']:26} {r['rows']:>7,} rows {r['rows_per_s']:>8,} rows/s "
              f"({r['first_rows_per_s']:,})  distinct names {r['distinct_name']:>6,}, e-mails "
              f"{r['distinct_email']:>7,}, addresses {r['distinct_address']:>6,}")
        print(f"  {'':26} violations in its first 10,000 rows: {r['violations_per_10k']}")
    for other in results[1:]:
        print(f"  speed-up over {other['generator']}: "
              f"{results[0]['rows_per_s'] / other['rows_per_s']:.1f}x")
    return results


def stream(rows: int, out: str) -> None:
    """Write `rows` rows to `out` in chunks and report the peak memory of this process."""
    start = time.perf_counter()
    helpers.write_table(COLUMNS, out, rows, 0, "en_US", progress=True)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wrote {rows:,} rows to {out} in {seconds:.1f} s; peak memory {peak_mb:,.0f} MB")


def linked_spec(parents: int, children: int) -> helpers.DatasetSpec:
    """customers (parents) and their orders (children, the ecommerce table's columns)."""
    from helpers.linked_prompt import LinkedReading

    spec = LinkedReading("", "customers", "ecommerce", "customer_id", "customer_id").spec()
    spec.tables[0].rows, spec.tables[1].rows = parents, children
    spec.tables[1].foreign_keys[0].cardinality = helpers.Cardinality()  # any parent, at random
    return spec


def linked_run(parents: int, children: int, out: str | None) -> dict:
    """One measurement in this process: the child table alone (helpers.iter_chunks, the
    single-table rate), then both tables linked (helpers.iter_dataset), then peak memory."""
    from helpers.linked import iter_dataset
    from helpers.linked_out import write_sqlite

    helpers.warm_pools()  # neither side pays for building the pools
    spec = linked_spec(parents, children)
    columns = spec.tables[1].names
    start = time.perf_counter()
    for _ in helpers.iter_chunks([c for c in columns], children, 0, table="ecommerce"):
        pass
    single = time.perf_counter() - start
    seconds = {"customers": 0.0, "orders": 0.0}
    start = time.perf_counter()
    for name, _ in iter_dataset(spec):
        seconds[name] += time.perf_counter() - start
        start = time.perf_counter()
    result = {"parents": parents, "children": children,
              "single_rows_per_s": round(children / single),
              "linked_child_rows_per_s": round(children / seconds["orders"]),
              "linked_all_rows_per_s": round((parents + children) / sum(seconds.values()))}
    if out:
        start = time.perf_counter()
        write_sqlite(spec, out)
        result["sqlite_rows_per_s"] = round((parents + children) / (time.perf_counter() - start))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def linked(out: str | None) -> None:
    """Linked generation beside the single-table rate, each size in a fresh process so that
    its peak memory is its own: 100k and 1M orders over 10k and 100k customers."""
    print(f"linked tables: customers and their orders (9 columns), one process per line, "
          f"{platform.machine()}; rows/s (orders alone as one table | orders linked to their "
          "customers | both tables linked)")
    for parents, children in ((10_000, 100_000), (100_000, 1_000_000)):
        command = [sys.executable, __file__, "--linked-run", str(parents), str(children)]
        if out:
            command += ["--out", out]
        r = json.loads(subprocess.run(command, capture_output=True, text=True,
                                      check=True).stdout.splitlines()[-1])
        written = (f", to SQLite {r['sqlite_rows_per_s']:,} rows/s" if "sqlite_rows_per_s" in r
                   else "")
        print(f"  {r['children']:>9,} orders over {r['parents']:>7,} customers: single table "
              f"{r['single_rows_per_s']:>8,} | linked {r['linked_child_rows_per_s']:>8,} "
              f"({r['linked_child_rows_per_s'] / r['single_rows_per_s']:.0%}) | both "
              f"{r['linked_all_rows_per_s']:>8,}{written}; peak memory {r['peak_rss_mb']:,} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=100_000,
                        help="rows for the naive loop (it runs about 3,000 rows/s)")
    parser.add_argument("--save", help="also write the figures to this JSON file")
    parser.add_argument("--stream", type=int, help="rows to write to --out instead")
    parser.add_argument("--out", default=None, help="--stream's file (default benchmark.csv); "
                        "with --linked, a SQLite file to write the linked tables to as well")
    parser.add_argument("--linked", action="store_true",
                        help="linked generation: 1M orders over 100k customers")
    parser.add_argument("--linked-run", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.linked_run:
        print(json.dumps(linked_run(*args.linked_run, args.out)))
    elif args.linked:
        linked(args.out)
    elif args.stream:
        stream(args.stream, args.out or "benchmark.csv")
    else:
        figures = speed(args.rows, args.naive_rows)
        if args.save:
            note = ("measured by scripts/benchmark_generation.py on a 2-core CPU, one process; "
                    "rows/s depend on the machine, distinct counts do not")
            Path(args.save).write_text(json.dumps({"note": note, "results": figures}, indent=1)
                                       + "\n")
