"""Tidy executed notebooks for readers on the web: no timing metadata, and an intended error
shows only its last line (a full traceback names files on the machine that ran it).

    python scripts/clean_notebooks.py notebooks/*.ipynb      (make notebooks runs it)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def clean(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"\x1b[31m{output['ename']}\x1b[0m: {output['evalue']}"]
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        clean(Path(name))
