"""Tidy executed notebooks for readers on the web: no timing metadata, no progress bars (tqdm's
carriage returns are for the live run), an intended error shows only its last line (a full
traceback names files on the machine that ran it), and the prints of one cell are one stream
(the kernel splits them by timing, so without this a re-run would change the file at random).

    python scripts/clean_notebooks.py notebooks/*.ipynb      (make notebooks runs it)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PROGRESS = re.compile(r"\d+%\|")  # a tqdm bar: "40%|████      | 6/15"


def is_progress(output: dict) -> bool:
    """A stderr stream that holds nothing but progress bars and blank space."""
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return False
    pieces = re.split(r"[\r\n]", "".join(output.get("text", "")))
    return all(not p.strip() or PROGRESS.search(p) for p in pieces)


def merge_streams(outputs: list[dict]) -> list[dict]:
    """Consecutive stdout (or stderr) outputs joined into one, as a reader sees them."""
    merged: list[dict] = []
    for o in outputs:
        last = merged[-1] if merged else None
        if (last and o.get("output_type") == "stream" and last.get("output_type") == "stream"
                and o.get("name") == last.get("name")):
            text = "".join(last["text"]) + "".join(o["text"])
            last["text"] = text.splitlines(keepends=True)
        else:
            merged.append(o)
    return merged


def clean(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = merge_streams([o for o in cell["outputs"] if not is_progress(o)])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"\x1b[31m{output['ename']}\x1b[0m: {output['evalue']}"]
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        clean(Path(name))
