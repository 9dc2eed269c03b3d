"""The import graph inside helpers: no module imports itself through others, and inference
(decoding, predict, the API) never imports training code.

The graph is read from the source with ast, so it counts every import: at the top of a module,
inside a function, and under `if TYPE_CHECKING:` (a cycle there is still a cycle to a reader).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import helpers

PACKAGE = Path(helpers.__file__).parent
MODULES = {f"helpers.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
TRAINING = {"helpers.training", "helpers.decoder_training"}
INFERENCE = ["helpers.decoding", "helpers.predict", "helpers.api"]


def imports_of(path: Path) -> set[str]:
    """The helpers modules that the file at `path` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from helpers import predict` imports the module helpers.predict
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & MODULES


def import_graph() -> dict[str, set[str]]:
    """module -> the helpers modules it imports (helpers/__init__ imports lazily: left out)."""
    return {f"helpers.{p.stem}": imports_of(p) for p in PACKAGE.glob("*.py")
            if p.stem != "__init__"}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as [a, b, ..., a], or None: depth-first search, colouring nodes."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [node, nxt] if nxt in path else [node, nxt]
            if nxt not in state and (cycle := visit(nxt, path + [node])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [])):
            return cycle
    return None


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_cycle_finder_finds_a_cycle():
    # the circle this project once had, and a graph without one
    circle = {"generators": {"contacts", "identifiers"}, "contacts": {"identifiers", "generators"},
              "identifiers": {"generators"}}
    cycle = find_cycle(circle)
    assert cycle is not None and cycle[0] == cycle[-1] and len(cycle) >= 3
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_is_read():
    graph = import_graph()
    assert len(graph) > 30
    assert "helpers.draws" in graph["helpers.generators"]
    assert "helpers.predict" in graph["helpers.checks_model"]  # `from helpers import predict`


def test_no_cycle_among_helpers_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "helpers modules import each other in a circle: " + " -> ".join(cycle)


def test_the_generation_registry_sits_above_contacts_and_identifiers():
    graph = import_graph()
    for module in ("helpers.contacts", "helpers.identifiers", "helpers.draws"):
        assert "helpers.generators" not in reachable(graph, module), module


@pytest.mark.parametrize("module", INFERENCE)
def test_inference_does_not_import_training_code(module):
    found = TRAINING & reachable(import_graph(), module)
    assert not found, f"{module} imports training code: {sorted(found)}"


@pytest.mark.parametrize("module", INFERENCE)
def test_inference_does_not_load_training_code_when_run(module):
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not TRAINING & set(out.stdout.split())


def test_names_stay_importable_from_where_they_were():
    from helpers import draws
    from helpers.contacts import pick, source
    from helpers.decoder_training import (
        PROMPT_TOKENS,
        build_decoder_vocab,
        encode_sequences,
        prompt_tokens,
        read_decoder,
        sequence,
        to_record,
    )
    from helpers.generators import GENERATORS, Context
    from helpers.identifiers import DIGITS
    assert (pick, source, Context) == (draws.pick, draws.source, draws.Context)
    assert callable(GENERATORS["uuid"]) and len(DIGITS) == 10 and PROMPT_TOKENS == 40
    assert all(map(callable, (build_decoder_vocab, encode_sequences, prompt_tokens,
                              read_decoder, sequence, to_record)))


@pytest.mark.parametrize(("module", "kept_out"), [
    ("helpers.draws", "torch"), ("helpers.decoder_data", "faker"),
    ("helpers.decoder_data", "pandas"), ("helpers.decoder_checkpoint", "pandas"),
])
def test_the_new_modules_keep_their_side(module, kept_out):
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert kept_out not in {name.split(".")[0] for name in out.stdout.split()}


def test_a_function_named_like_its_module_stays_the_function():
    # helpers.tagged_pairs is a function in helpers/tagged_pairs.py: importing the module
    # first (as test_reading does) must not leave the name pointing at the module
    code = ("import helpers.tagged_pairs\nfrom helpers import tagged_pairs\nimport helpers\n"
            "print(callable(tagged_pairs), callable(helpers.tagged_pairs), "
            "len(helpers.tagged_pairs(0)) > 100)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["True", "True", "True"]
