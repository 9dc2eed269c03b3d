"""`python -m helpers doctor`: is this environment ready for the series? Prints OK or a fix."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from importlib import metadata

DIST = "tiny-schema-transformer"
MIN_PYTHON = (3, 10)


def version_tuple(text: str) -> tuple[int, ...]:
    """'2.13.0+cpu' -> (2, 13, 0): enough to compare against the simple ranges we declare."""
    return tuple(int(p) for p in re.findall(r"\d+", text.split("+")[0])[:3])


def requirement_problems(requirement: str) -> str | None:
    """None when an installed package satisfies 'name>=x' or 'name==x', else what to fix."""
    match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(==|>=)\s*([\w.]+)", requirement)
    if not match or ";" in requirement:  # extras and markers: not ours to judge here
        return None
    name, op, wanted = match.groups()
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return f"{name} is missing: pip install '{name}{op}{wanted}'"
    have, need = version_tuple(installed), version_tuple(wanted)
    if (op == "==" and have != need) or (op == ">=" and have < need):
        return f"{name} {installed} does not satisfy {op}{wanted}: pip install '{name}{op}{wanted}'"
    return None


def check_python() -> str:
    if sys.version_info[:2] < MIN_PYTHON:
        raise RuntimeError(f"Python {sys.version.split()[0]} is too old: use 3.10 or newer")
    return f"Python {sys.version.split()[0]}"


def check_packages() -> str:
    try:
        requirements = metadata.requires(DIST) or []
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"{DIST} is not installed: run `make setup` or "
                           "`pip install -e .` in the repository") from None
    problems = [p for r in requirements if (p := requirement_problems(r))]
    if problems:
        raise RuntimeError("; ".join(problems))
    core = [r for r in requirements if "extra ==" not in r]
    return f"{len(core)} required packages at suitable versions"


def check_device() -> str:
    import torch

    from helpers.device import pick_device

    return f"torch {torch.__version__}, computing on {pick_device()}"


def check_checkpoints() -> str:
    from helpers.decoding import load_decoder
    from helpers.predict import load_model, predict_columns

    load_model(), load_decoder()
    if not predict_columns("generate a hospital dataset"):
        raise RuntimeError("the shipped classifier predicts nothing for a hospital: re-run "
                           "make checkpoints or restore data/schema_predictor.*")
    return "shipped classifier and decoder load and predict"


CHECKS: dict[str, Callable[[], str]] = {
    "python": check_python, "packages": check_packages, "device": check_device,
    "checkpoints": check_checkpoints,
}


def run_doctor(out=sys.stdout) -> int:
    """Run every check; print one line each; return 0 when all pass, 1 otherwise."""
    failed = 0
    for name, check in CHECKS.items():
        try:
            print(f"OK    {name:12} {check()}", file=out)
        except Exception as e:  # a doctor reports every problem; it never crashes on one
            failed += 1
            print(f"FIX   {name:12} {e}", file=out)
    print("all good: open notebooks/01_vocab_and_encoding.ipynb" if not failed
          else f"{failed} problem(s) above", file=out)
    return 1 if failed else 0
