"""Command line:

    python -m helpers generate "generate a hospital dataset" --rows 10
    python -m helpers check patients.csv      # plausibility report for any table
    python -m helpers doctor
"""

from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from helpers.generate import LOCALES, MAX_IN_MEMORY_ROWS, PHONE_FORMATS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="predict a prompt's columns and fill them")
    gen.add_argument("prompt", help='what you want, e.g. "a hospital dataset"')
    gen.add_argument("--rows", type=int,
                     help="number of rows (default: what the prompt says, else 10)")
    gen.add_argument("--seed", type=int, default=0, help="same seed, same table (default 0)")
    gen.add_argument("--locale", help=f"one of {', '.join(LOCALES)} "
                     "(default: what the prompt says, else en_US)")
    gen.add_argument("--out", help="write to this .csv, .json or .parquet file instead")
    gen.add_argument("--threshold", type=float, help="column threshold (default: the model's)")
    gen.add_argument("--model", choices=("classifier", "decoder"), default="classifier",
                     help="classifier (notebooks 03-04, default) or decoder (notebook 08)")
    gen.add_argument("--phone-format", choices=PHONE_FORMATS, default="national",
                     help="national, as people write them (default), or e164 (+12125550123)")
    check = commands.add_parser("check", help="count plausibility violations in a table file")
    check.add_argument("file", help="a .csv, .json or .parquet table")
    check.add_argument("--locale", help="numbering plan for phone numbers (default: inferred "
                       "from the numbers themselves)")
    check.add_argument("--reference-date", help="day ages are counted to (default: 2025-12-31)")
    commands.add_parser("doctor", help="check Python, packages, device and the shipped models")
    return parser


def generate(args: argparse.Namespace) -> None:
    from helpers.export import check_output_path, write_table
    from helpers.generate import check_request
    from helpers.pipeline import read_request, rows_and_locale

    if args.out:
        check_output_path(args.out)
    reading = read_request(args.prompt, args.threshold, args.model)
    rows, locale = rows_and_locale(reading, args.rows, args.locale)
    if not args.out and rows > MAX_IN_MEMORY_ROWS:
        raise ValueError(f"{rows:,} rows is above {MAX_IN_MEMORY_ROWS:,} for printing: "
                         "add --out FILE to write it instead")
    check_request(reading.columns, rows, locale)
    print(reading.summary(), file=sys.stderr)
    for flag, given, said in (("--rows", args.rows, reading.rows),
                              ("--locale", args.locale, reading.locale)):
        if given is not None and said is not None and given != said:  # say which one wins
            print(f"{flag} {given} overrides the prompt's {said}", file=sys.stderr)
    print(f"columns: {', '.join(reading.columns)}", file=sys.stderr)
    if args.out:
        path = write_table(reading.columns, args.out, rows, args.seed, locale, progress=True,
                           phone_format=args.phone_format, table=reading.table)
        print(f"wrote {rows:,} rows to {path}", file=sys.stderr)
    else:
        from helpers.generate import generate_dataframe

        table = generate_dataframe(reading.columns, rows, args.seed, locale,
                                   phone_format=args.phone_format, table=reading.table)
        with pd.option_context("display.width", 200, "display.max_columns", None):
            print(table.to_string(max_rows=60))


def check(args: argparse.Namespace) -> int:
    """Print the plausibility report; exit status 1 when it found violations."""
    from helpers.plausibility import check_table, read_table

    report = check_table(read_table(args.file), args.locale, args.reference_date)
    print(report)
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        from helpers.doctor import run_doctor

        return run_doctor()
    try:
        if args.command == "check":
            return check(args)
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            generate(args)
    except (ValueError, TypeError, FileNotFoundError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
