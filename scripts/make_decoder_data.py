"""Write data/decoder_pairs.json, the decoder's training data, from the catalog and templates.

    python scripts/make_decoder_data.py

Deterministic: the file in the repository is exactly what this writes (a test checks it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.decoder_training import to_record  # noqa: E402
from helpers.pairs import decoder_pairs  # noqa: E402


def document(seed: int = 0) -> str:
    """The JSON text of data/decoder_pairs.json."""
    records = [to_record(p, c) for p, c in decoder_pairs(seed)]
    return json.dumps({
        "description": "Training data of the decoder (notebook 08), made by "
                       "scripts/make_decoder_data.py from catalog.json and prompt_templates.json. "
                       "input: a prompt; output: its column names, then <end>. An output of only "
                       "<end> means: not a dataset request.",
        "seed": seed,
        "records": records,
    }, indent=0, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = ROOT / "data" / "decoder_pairs.json"
    target.write_text(document(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
