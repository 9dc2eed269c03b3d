"""Command line: python -m helpers generate "generate a hospital dataset" --rows 10"""

from __future__ import annotations

import argparse
import sys

from helpers.paths import data_file

CHECKPOINT = "schema_predictor.safetensors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="print a fake table for a prompt")
    gen.add_argument("prompt")
    gen.add_argument("--rows", type=int, default=10)
    gen.add_argument("--seed", type=int, default=0)
    parser.parse_args(argv)

    if not data_file(CHECKPOINT).exists():
        print(
            f"No trained model yet: {data_file(CHECKPOINT).name} is not in data/.\n"
            "It arrives with notebook 04 (the training loop); run `make notebooks` once it exists.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
