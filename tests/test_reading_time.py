"""scripts/reading_time.py counts a notebook's main part by its stated rule, and notebook 07's
main part reads in at most 35 minutes by it (the README's class plan gives it 35)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rt():
    spec = importlib.util.spec_from_file_location("reading_time",
                                                  ROOT / "scripts" / "reading_time.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def md(text: str) -> dict:
    return {"cell_type": "markdown", "source": text}


def code(text: str, outputs: list | None = None) -> dict:
    return {"cell_type": "code", "source": text, "outputs": outputs or []}


def write(tmp_path: Path, cells: list[dict]) -> Path:
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return path


def test_counts_words_code_figures_tables_and_output(rt, tmp_path):
    cells = [
        md("# Title\n\nOne two three."),
        code("# NBVAL_CHECK_OUTPUT\nx = 1\n\ny = 2\n", [
            {"output_type": "stream", "name": "stdout", "text": "four five\n"},
            {"output_type": "display_data", "data": {"image/png": "...", "text/plain": "fig"}},
            {"output_type": "execute_result",
             "data": {"text/html": "<table/>", "text/plain": "a b c d e f g"}}]),
    ]
    c = rt.count(write(tmp_path, cells))
    assert (c.words, c.output_words, c.code_lines, c.figures, c.tables) == (4, 2, 2, 1, 1)
    # 6 words at 200 a minute, 2 lines at 10 s, one figure and one table at 1 minute each
    assert c.minutes == pytest.approx(6 / 200 + 20 / 60 + 2)


def test_the_appendix_is_left_out_up_to_the_summary(rt, tmp_path):
    cells = [md("## 1. Main\n\nword"), code("a = 1"),
             md("## Appendix: history\n\nmany many words here"), code("b = 2\nc = 3"),
             md("### A.1 still appendix"), md("## Summary\n\nlast words")]
    c = rt.count(write(tmp_path, cells))
    assert (c.words, c.code_lines) == (3 + 3, 1)  # "1 Main word" + "Summary last words"


def test_not_a_notebook_is_a_clear_error(rt, tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a notebook"):
        rt.count(path)


def test_notebook_07_main_part_reads_in_35_minutes_at_most(rt):
    c = rt.count(ROOT / "notebooks" / "07_evaluation.ipynb")
    assert c.figures and c.tables and c.code_lines, "07 ships executed, with outputs"
    assert c.minutes <= 35, rt.report(ROOT / "notebooks" / "07_evaluation.ipynb")


def test_notebook_07_outline_names_its_sections(rt):
    """The numbered outline in the first cell has one line per numbered section."""
    import re

    cells = json.loads((ROOT / "notebooks" / "07_evaluation.ipynb").read_text("utf-8"))["cells"]
    outline = re.findall(r"^(\d)\. ", rt.source(cells[0]), flags=re.M)
    sections = [m.group(1) for cell in cells if cell["cell_type"] == "markdown"
                for m in re.finditer(r"^## (\d)\. ", rt.source(cell), flags=re.M)]
    assert outline == sections and len(sections) >= 5


def test_readme_states_notebook_07_reading_times_as_counted(rt):
    """The README's minutes for 07 (the whole main part, and the class plan's split) are the
    script's, to the nearest minute or two; the part taken in class fits its 30-minute slot."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    path = ROOT / "notebooks" / "07_evaluation.ipynb"
    whole = int(re.search(r"main part of notebook 07 alone\s+reads in about (\d+) minutes",
                          readme).group(1))
    assert abs(whole - rt.count(path).minutes) <= 1.5
    plan = next(line for line in readme.splitlines() if line.startswith("| 60-90 | 07 |"))
    in_class = re.search(r"sections 1-(\d) in class \(.*?about (\d+) minutes", plan)
    last, minutes = int(in_class.group(1)), int(in_class.group(2))
    counted = sum(c.minutes for heading, c in rt.sections(path).items()
                  if not heading or heading[0].isdigit() and int(heading[0]) <= last)
    assert abs(minutes - counted) <= 1.5 and counted <= 30
