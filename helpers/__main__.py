"""Command line:

    python -m helpers generate "generate a hospital dataset" --rows 10
    python -m helpers generate "a bank table" --rows 200000 --out bank.parquet [--force]
    python -m helpers generate --schema shop.sql --out shop.sqlite   # linked tables
    python -m helpers generate "50 customers and their 200 orders" --out shop.sqlite
    python -m helpers check patients.csv      # plausibility report for any table
    python -m helpers check shop.sqlite       # foreign-key orphans, repeated keys
    python -m helpers doctor

A file is written whole or not at all: Ctrl-C, SIGTERM or SIGHUP mid-write removes the
temporary file, prints one line and exits 128 + the signal's number (130, 143, 129).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import threading
import warnings
from pathlib import Path

import pandas as pd

from helpers.export import MAX_FILE_ROWS
from helpers.generate import LOCALES, MAX_IN_MEMORY_ROWS, PHONE_FORMATS

MAX_PROMPT_CHARS = 500  # as the API: the model reads far fewer words than this
SURROGATE = re.compile("[\ud800-\udfff]")  # bytes in argv that are not UTF-8 arrive as these


class Interrupted(BaseException):
    """SIGTERM or SIGHUP, raised where the program is so that `finally` blocks clean up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="predict a prompt's columns and fill them")
    gen.add_argument("prompt", nargs="?", help='what you want, e.g. "a hospital dataset"')
    gen.add_argument("--schema", help="tables from a file instead of a prompt: CREATE TABLE "
                     "(.sql), a JSON Schema or a spec (.json), a CSV header or sample (.csv)")
    gen.add_argument("--dialect", choices=("sqlite", "postgres", "mysql"),
                     help="the SQL dialect of --schema (default: guessed from the file)")
    gen.add_argument("--format", choices=("csv", "parquet"), default="csv",
                     help="file format when --out is a folder of linked tables (default csv)")
    gen.add_argument("--rows", type=int,
                     help="number of rows (default: what the prompt says, else 10; with "
                     "linked tables, for each table the spec does not size); at most "
                     f"{MAX_FILE_ROWS:,} per table written, {MAX_IN_MEMORY_ROWS:,} printed")
    gen.add_argument("--seed", type=int, default=0,
                     help="same seed, same table (0 or more; default 0)")
    gen.add_argument("--locale", help=f"one of {', '.join(LOCALES)} "
                     "(default: what the prompt says, else en_US)")
    gen.add_argument("--out", help="write to this .csv, .json, .parquet or .sqlite/.db file "
                     "instead; linked tables: a .sqlite/.db file or a folder")
    gen.add_argument("--force", action="store_true",
                     help="replace the --out file if it exists (default: refuse)")
    gen.add_argument("--threshold", type=float, help="column threshold (default: the model's)")
    gen.add_argument("--model", choices=("classifier", "decoder"), default="classifier",
                     help="classifier (notebooks 03-04, default) or decoder (notebook 08)")
    gen.add_argument("--phone-format", choices=PHONE_FORMATS, default="national",
                     help="national, as people write them (default), or e164 (+12125550123)")
    check = commands.add_parser("check", help="count plausibility violations in a table file")
    check.add_argument("file", help="a .csv, .json or .parquet table; or a .sqlite/.db file "
                       "or a folder of linked tables, checked across tables")
    check.add_argument("--schema", help="the spec of a folder or database (default: its "
                       "spec.json, or the database's own CREATE TABLE statements)")
    check.add_argument("--locale", help="numbering plan for phone numbers (default: inferred "
                       "from the numbers themselves)")
    check.add_argument("--reference-date", help="day ages are counted to (default: 2025-12-31)")
    commands.add_parser("doctor", help="check Python, packages, device and the shipped models")
    return parser


def generate(args: argparse.Namespace) -> None:
    from helpers.export import check_output_path, write_table
    from helpers.generate import check_request
    from helpers.linked_cli import generate_linked_prompt, generate_schema
    from helpers.pipeline import named_city, place_note, read_request, rows_and_locale

    check_numbers(args)  # before anything is read or printed
    if args.schema is not None:
        if args.prompt is not None:
            raise ValueError("give a prompt or --schema, not both")
        return generate_schema(args)
    if args.prompt is None:
        raise ValueError("give a prompt, or a schema file with --schema")
    check_prompt_text(args.prompt)
    if args.model == "classifier" and generate_linked_prompt(args):
        return
    if args.out is not None:
        path = check_output_path(args.out)  # an empty --out is an error, not the screen
        if path.exists() and not args.force:
            raise FileExistsError(f"{args.out!r} exists: add --force to replace it")
    if args.model != "classifier":  # the decoder answers only what the classifier would
        read_request(args.prompt, args.threshold, "classifier")
    reading = read_request(args.prompt, args.threshold, args.model)
    rows, locale = rows_and_locale(reading, args.rows, args.locale)
    if rows > MAX_FILE_ROWS:
        raise ValueError(f"{rows:,} rows is above {MAX_FILE_ROWS:,}, the most the command "
                         "line writes to one table")
    if args.out is None and rows > MAX_IN_MEMORY_ROWS:
        raise ValueError(f"{rows:,} rows is above {MAX_IN_MEMORY_ROWS:,} for printing: "
                         "add --out FILE to write it instead")
    check_request(reading.columns, rows, locale)
    print(reading.summary(), file=sys.stderr)
    for line in reading.notes:  # what the prompt says that the table does not do
        print(line, file=sys.stderr)
    note, city = place_note(reading, locale), named_city(reading, locale)
    if note and args.locale is None:
        print(note, file=sys.stderr)
    for flag, given, said in (("--rows", args.rows, reading.rows),
                              ("--locale", args.locale, reading.locale)):
        if given is not None and said is not None and given != said:  # say which one wins
            print(f"{flag} {given} overrides the prompt's {said}", file=sys.stderr)
    print(f"columns: {', '.join(reading.columns)}", file=sys.stderr)
    if args.out is not None:
        path = write_table(reading.columns, args.out, rows, args.seed, locale, progress=True,
                           phone_format=args.phone_format, table=reading.table,
                           replace=args.force, city=city)
        print(f"wrote {rows:,} rows to {path}", file=sys.stderr)
    else:
        from helpers.generate import generate_dataframe

        table = generate_dataframe(reading.columns, rows, args.seed, locale,
                                   phone_format=args.phone_format, table=reading.table,
                                   city=city)
        with pd.option_context("display.width", 200, "display.max_columns", None):
            print(table.to_string(max_rows=60))


def check_numbers(args: argparse.Namespace) -> None:
    """--seed and --rows within what the command line takes (rows below 1: check_request)."""
    if args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.rows is not None and args.rows > MAX_FILE_ROWS:
        raise ValueError(f"--rows {args.rows:,} is above {MAX_FILE_ROWS:,}, the most the "
                         "command line writes to one table")


def check_prompt_text(prompt: str) -> None:
    """A prompt the model can read: text, and not a book (the API has the same limit)."""
    if SURROGATE.search(prompt):
        raise ValueError("the prompt holds bytes that are not UTF-8 text: check its encoding")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ValueError(f"the prompt is {len(prompt):,} characters; at most "
                         f"{MAX_PROMPT_CHARS} are read: describe the table in fewer words")


def describe(error: BaseException) -> str:
    """One line for the user: an OSError without its errno, anything else as it says."""
    if isinstance(error, OSError) and error.errno is not None:
        name = Path(error.filename).name if error.filename else ""
        return (error.strerror or type(error).__name__) + (f": {name!r}" if name else "")
    return str(error)


def check(args: argparse.Namespace) -> int:
    """Print the plausibility report; exit status 1 when it found violations. A database or
    a folder is checked across its tables instead (helpers.linked_check)."""
    from helpers.linked_cli import check_across, checks_across
    from helpers.plausibility import check_table

    if checks_across(args.file):
        return check_across(args)
    report = check_table(read_checked(args.file), args.locale, args.reference_date,
                         name=Path(args.file).stem)  # books.csv: book_id is its own key
    print(report)
    return 0 if report.ok else 1


def read_checked(file: str) -> pd.DataFrame:
    """The table `check FILE` reads; a file it cannot read is one line that names it."""
    from helpers.plausibility import read_table

    try:
        return read_table(file)
    except UnicodeDecodeError as e:
        raise ValueError(f"cannot read {file!r}: it is not UTF-8 text (byte "
                         f"0x{e.object[e.start]:02x} at position {e.start:,}): save it as "
                         "UTF-8") from None
    except ValueError as e:  # pandas' and pyarrow's parse errors are ValueErrors too
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if text.startswith("cannot read"):  # read_table's own: an extension it does not read
            raise
        if file.lower().endswith(".json") and one_object(file):
            text = ("it holds one JSON object; a table is a list of records, "
                    '[{"column": value, ...}, ...]')
        raise ValueError(f"cannot read {file!r} as a table: {text}") from None


def one_object(file: str) -> bool:
    """True when a JSON file holds a single object, not a list of records."""
    import json

    try:
        with open(file, encoding="utf-8") as f:
            return isinstance(json.load(f), dict)
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        from helpers.doctor import run_doctor

        return run_doctor()
    previous = {}
    if threading.current_thread() is threading.main_thread():  # only there can it catch them
        for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
            if hasattr(signal, name):
                signum = getattr(signal, name)
                previous[signum] = signal.signal(signum, raise_interrupted)
    try:
        if args.command == "check":
            return check(args)
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            generate(args)
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        return closed_pipe()
    except (ValueError, TypeError, OSError) as e:
        print(f"error: {describe(e)}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted) as e:
        signum = getattr(e, "signum", signal.SIGINT)
        print(f"interrupted ({signal.Signals(signum).name}): stopped, no partial file left",
              file=sys.stderr)
        return 128 + signum
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0


def closed_pipe() -> int:
    """Exit as other Unix tools do when the reader closes the pipe: quietly, 128 + SIGPIPE.
    Standard output is pointed at /dev/null so that Python's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a test's captured stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + 13  # SIGPIPE is 13 on every Unix (Windows has none)


def run() -> int:
    """main() as the shell starts it: output still buffered when a reader stops early is
    dropped too, with the same exit status."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        return closed_pipe()
    return status


if __name__ == "__main__":
    sys.exit(run())
