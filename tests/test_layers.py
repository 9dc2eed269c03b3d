"""Dependencies run one way: the model side never imports Faker or pandas, the generation
side never imports torch."""

import subprocess
import sys

import pytest


def imported_after(modules: list[str]) -> set[str]:
    code = f"import sys; import {', '.join(modules)}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", ["helpers.tokenizer", "helpers.attention", "helpers.model",
                                    "helpers.training", "helpers.checkpoint", "helpers.predict",
                                    "helpers.decoder", "helpers.decoder_training",
                                    "helpers.decoding", "helpers.slots",
                                    "helpers.slot_columns", "helpers.slot_counts"])
def test_model_side_does_not_load_faker_or_pandas(module):
    assert not {"faker", "pandas"} & imported_after([module])


GENERATION = ["helpers.generate", "helpers.export", "helpers.catalog", "helpers.spec",
              "helpers.spec_checks", "helpers.spec_sql", "helpers.spec_sql_parse",
              "helpers.spec_jsonschema", "helpers.spec_csv", "helpers.linked",
              "helpers.linked_out", "helpers.linked_check", "helpers.linked_cli",
              "helpers.plausibility", "helpers.plausibility_cells", "helpers.plausibility_rows",
              "helpers.ordering", "helpers.streams", "helpers.locale_cities"]


def test_generation_side_does_not_load_torch():
    # one process for all: any one of them importing torch would show it here
    assert "torch" not in imported_after(GENERATION)


TOP = {"helpers.api", "helpers.api_contract", "helpers.api_encoding", "helpers.api_generate",
       "helpers.api_readings", "helpers.api_tables", "helpers.linked_cli", "helpers.explorer",
       "helpers.__main__", "helpers.doctor", "helpers.exercises"}  # the tools on top of helpers


def test_nothing_in_helpers_imports_the_tools_on_top():
    from pathlib import Path

    import helpers

    below = [f"helpers.{p.stem}" for p in sorted(Path(helpers.__file__).parent.glob("*.py"))
             if f"helpers.{p.stem}" not in TOP and p.stem != "__init__"]
    code = f"import sys; import {', '.join(below)}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(below) > 15 and not TOP & set(out.stdout.split())
