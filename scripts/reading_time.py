"""How long a notebook's main part takes to read, by one stated rule.

    python scripts/reading_time.py notebooks/07_evaluation.ipynb
    python scripts/reading_time.py --sections notebooks/07_evaluation.ipynb   # per section too

The main part is every cell outside the appendix. The appendix starts at a markdown cell whose
first line is a heading starting with "## Appendix" and runs up to the next level-2 heading
that does not (the closing "## Summary" cell, which the notebook tests require to be last), or
to the end of the notebook.

The rule (a careful first reading, outputs included):
- prose: 200 words a minute, counting the words of markdown cells and of printed text output;
- code: 10 seconds per non-blank code line (the `# NBVAL_CHECK_OUTPUT` marker is not read);
- figures: 1 minute per image output;
- tables: 1 minute per HTML output (a DataFrame), whose text version is not counted again.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_MINUTE = 200
SECONDS_PER_CODE_LINE = 10
MINUTES_PER_FIGURE = 1
MINUTES_PER_TABLE = 1
APPENDIX = re.compile(r"^## Appendix")
LEVEL_TWO = re.compile(r"^## ")
MARKER = "# NBVAL_CHECK_OUTPUT"  # a tag for nbval, not code a reader reads


@dataclass
class Counts:
    """What the main part of a notebook holds, and the minutes it takes by the rule above."""

    words: int = 0  # markdown prose
    output_words: int = 0  # printed text output
    code_lines: int = 0
    figures: int = 0
    tables: int = 0

    @property
    def minutes(self) -> float:
        return ((self.words + self.output_words) / WORDS_PER_MINUTE
                + self.code_lines * SECONDS_PER_CODE_LINE / 60
                + self.figures * MINUTES_PER_FIGURE + self.tables * MINUTES_PER_TABLE)


def source(cell: dict) -> str:
    """A cell's source as one string (nbformat stores a list of lines or a string)."""
    return "".join(cell.get("source", ""))


def main_cells(cells: list[dict]) -> list[dict]:
    """The cells outside the appendix (see the module docstring)."""
    kept, in_appendix = [], False
    for cell in cells:
        first = source(cell).lstrip().split("\n", 1)[0]
        if cell["cell_type"] == "markdown" and LEVEL_TWO.match(first):
            in_appendix = bool(APPENDIX.match(first))
        if not in_appendix:
            kept.append(cell)
    return kept


def count_words(text: str) -> int:
    """Words as a reader sees them: runs of letters or digits (markup and symbols are not)."""
    return len(re.findall(r"[^\W_]+(?:['’.,-][^\W_]+)*", text))


def load_cells(path: Path | str) -> list[dict]:
    """The cells of a notebook file, or a clear error."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise ValueError(f"{path}: not a notebook (no 'cells')")
    return notebook["cells"]


def count(path: Path | str) -> Counts:
    """Count words, code lines, figures and tables in a notebook's main part."""
    return count_cells(main_cells(load_cells(path)))


def sections(path: Path | str) -> dict[str, Counts]:
    """The main part's counts per level-2 section, keyed by its heading ("" before the first)."""
    out: dict[str, list[dict]] = {}
    heading = ""
    for cell in main_cells(load_cells(path)):
        if cell["cell_type"] != "markdown":
            out.setdefault(heading, []).append(cell)
            continue
        # a markdown cell may close one section and open the next: split it at its headings
        for chunk in re.split(r"(?m)^(?=## )", source(cell)):
            if LEVEL_TWO.match(chunk):
                heading = chunk.split("\n", 1)[0][3:].strip()
            if chunk.strip():
                out.setdefault(heading, []).append({"cell_type": "markdown", "source": chunk})
    return {h: count_cells(cells) for h, cells in out.items()}


def count_cells(cells: list[dict]) -> Counts:
    """Count words, code lines, figures and tables in these cells (see the rule above)."""
    counts = Counts()
    for cell in cells:
        if cell["cell_type"] == "markdown":
            counts.words += count_words(source(cell))
        elif cell["cell_type"] == "code":
            counts.code_lines += sum(bool(line.strip()) and line.strip() != MARKER
                                     for line in source(cell).splitlines())
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if any(kind.startswith("image/") for kind in data):
                    counts.figures += 1
                elif "text/html" in data:
                    counts.tables += 1
                elif out.get("output_type") == "stream":
                    counts.output_words += count_words("".join(out.get("text", "")))
                elif "text/plain" in data:
                    counts.output_words += count_words("".join(data["text/plain"]))
    return counts


def report(path: Path | str) -> str:
    """One line per notebook: the counts and the minutes."""
    c = count(path)
    return (f"{Path(path).name}: {c.words} words of prose, {c.output_words} words of output, "
            f"{c.code_lines} code lines, {c.figures} figures, {c.tables} tables "
            f"-> {c.minutes:.1f} min")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python scripts/reading_time.py [--sections] NOTEBOOK.ipynb ...")
    per_section = "--sections" in sys.argv
    for name in (a for a in sys.argv[1:] if a != "--sections"):
        print(report(name))
        if per_section:
            for heading, c in sections(name).items():
                print(f"  {c.minutes:5.1f} min  {heading or '(before the first section)'}")
