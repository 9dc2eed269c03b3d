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
