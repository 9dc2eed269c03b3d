"""Notebook hygiene: what learners read on the web must be a clean, complete run."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LEAK = re.compile(r"(/home/|/root/|/tmp/|/Users/|/work/|[A-Z]:\\\\|0x[0-9a-fA-F]{8,})")


def cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_in_order_from_a_clean_kernel(nb):
    counts = [c["execution_count"] for c in cells(nb) if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_unexpected_errors_paths_or_addresses(nb):
    for i, cell in enumerate(cells(nb)):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get("tags", []), f"cell {i}"
            shown = json.dumps({k: v for k, v in out.get("data", {}).items() if "image" not in k})
            shown += json.dumps(out.get("text", "")) + json.dumps(out.get("traceback", []))
            assert not LEAK.search(shown), f"cell {i}: {LEAK.search(shown).group(0)}"
            if out["output_type"] != "display_data":  # a shown figure carries its text alt
                assert "<Figure size" not in shown, f"cell {i}: end plot cells with plt.show()"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_goal_prerequisites_and_run_time(nb):
    first = text(cells(nb)[0])
    assert first.startswith("# ")
    for needed in ("What you will build", "Prerequisites", "Run time"):
        assert needed in first, needed


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_ends_with_summary_next_link_and_exercises(nb):
    last = text(cells(nb)[-1])
    assert "## Summary" in last and "## Exercises" in last
    assert "solutions/" in last
    if nb != NOTEBOOKS[-1]:
        assert re.search(r"\]\(\d\d_\w+\.ipynb\)", last), "link to the next notebook"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_block_names_the_exercises_that_grade_themselves(nb):
    from helpers.exercises import CHECKERS

    block = text(cells(nb)[-1]).split("## Exercises")[1]
    chapter = nb.name[:2]
    graded = sorted(e for e in CHECKERS if e.startswith(f"{chapter}."))
    listed = len(re.findall(r"^\d\. ", block, flags=re.M))
    assert graded, f"notebook {chapter} has no self-grading exercise"
    if "All three exercises grade themselves" in block:
        assert listed == len(graded) == 3
    else:  # the ids are spelled out
        said = re.search(r"Exercises? (.*?) grades? (itself|themselves)", block).group(1)
        assert re.findall(r'"(\d\d\.\d)"', said) == graded


def test_the_last_notebook_does_not_send_the_reader_back():
    """The series ends at the last notebook: its 'Next' is no earlier notebook's page."""
    last = text(cells(NOTEBOOKS[-1])[-1])
    following = last.split("**Next:**", 1)[1].split("\n\n", 1)[0]
    assert NOTEBOOKS[-2].name not in following, following


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stderr_stored(nb):
    """Warnings and log lines on stderr are for the live run: capture them or print them."""
    for i, cell in enumerate(cells(nb)):
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", f"cell {i}: {''.join(out.get('text', ''))[:80]}"


SHIPPED_WRITE = re.compile(r"(save\w*|write\w*|to_\w+)\([^)]*data_file\(")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_never_writes_the_shipped_data(nb):
    """A learner who runs a notebook changes nothing under data/ (make checkpoints does that)."""
    for i, cell in enumerate(cells(nb)):
        if cell["cell_type"] == "code":
            assert not SHIPPED_WRITE.search(text(cell)), f"cell {i} writes into data/"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_progress_bars_stored(nb):
    """tqdm bars are for the live run; stored, they are a wall of carriage returns."""
    for i, cell in enumerate(cells(nb)):
        for out in cell.get("outputs", []):
            assert not re.search(r"\d+%\|", "".join(out.get("text", ""))), f"cell {i}"


FIGURE = re.compile(r"(?<![\w.\-/])(\d{1,3}(?:,\d{3})+|\d+\.\d{2,})(?![\w.]*\d)")  # 240,812 0.996
NOT_SHOWN_ON_PURPOSE = {  # figures a notebook quotes from elsewhere, and where they come from
    "07_evaluation.ipynb": {"0.960": "the first recipe's score, from the project's history",
                            "0.001": "the ablation's mean gain from completion, rounded",
                            "0.008": "one wrong prompt out of 130",
                            "0.65": "read off the threshold plot", "0.55": "read off the plot",
                            "0.895": "the fresh-set score of the model shipped before notebook "
                                     "10, from the project's history"},
    "09_serving_and_playing.ipynb": {"10,000": "helpers.api.MAX_ROWS"},
    "10_reading_the_whole_prompt.ipynb": {
        "0.875": "the tag head's first score on the test half, before the naming fix",
        "0.844": "the rules' first score on the test half, before the naming fix"},
}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_in_the_text_appear_in_the_outputs(nb):
    """A figure the prose states (240,812, 0.996) must be one the notebook prints or computes,
    so that re-executing the notebook cannot silently make the text wrong."""
    shown = ""
    for cell in cells(nb):
        if cell["cell_type"] == "code":
            shown += text(cell)
            for out in cell.get("outputs", []):
                shown += "".join(out.get("text", "")) + "".join(
                    out.get("data", {}).get("text/plain", ""))
    allowed = NOT_SHOWN_ON_PURPOSE.get(nb.name, {})
    for i, cell in enumerate(cells(nb)):
        if cell["cell_type"] == "markdown":
            prose = re.sub(r"`[^`]*`", "", text(cell))  # code spans are not claims
            for figure in FIGURE.findall(prose):
                found = figure in shown or figure.replace(",", "") in shown.replace(",", "")
                assert found or figure in allowed, f"cell {i}: {figure} is not in any output"
