"""Every catalog table in every locale, generated and checked: the findings check_table makes.

    python scripts/check_generated.py                 # 10,000 rows of each table in each locale
    python scripts/check_generated.py --rows 2000 --locales de_DE,ja_JP

A generated table must pass its own checks: the consistency rules of data/generators.json and
data/locales.json are read by the generators and by helpers.check_table alike. Prints one line
per locale (tables, rows, findings, seconds) and every table with a finding; exits 1 if any.
The tests run a faster slice of it (tests/test_plausibility.py); this is the whole sweep.
"""

from __future__ import annotations

import argparse
import sys
import time

import helpers


def sweep(rows: int, locales: list[str], seed: int = 1) -> int:
    """Generate and check each catalog table in each locale; the number of tables with findings."""
    failing = 0
    for locale in locales:
        start, findings = time.perf_counter(), 0
        for name, columns in helpers.load_catalog().items():
            report = helpers.check_table(helpers.generate_dataframe(columns, rows, seed, locale))
            phones = any(helpers.column_spec(c)[0]["kind"] == "phone" for c in columns)
            wrong_locale = phones and report.locale != locale
            if not report.ok or wrong_locale:
                failing += 1
                print(f"{locale} {name}: locale read as {report.locale}\n{report}")
            findings += sum(report.violations.values())
        print(f"{locale}: {len(helpers.load_catalog())} tables x {rows:,} rows, {findings} "
              f"findings, {time.perf_counter() - start:.1f} s", flush=True)
    return failing


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--locales", default=",".join(helpers.LOCALES))
    args = parser.parse_args()
    failing = sweep(args.rows, args.locales.split(","))
    print(f"{failing} tables with findings")
    sys.exit(1 if failing else 0)
