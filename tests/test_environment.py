"""environment.yml (conda, Binder) must install what pyproject.toml (pip) installs."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the check needs to run on one version only

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"torch": "pytorch"}


def split(spec: str) -> tuple[str, str]:
    name, rest = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(.*)", spec).groups()
    return name.lower(), rest.split("#")[0].replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(split(s) for s in specs)


def conda_requirements() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text()
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    deps = [ln.strip()[2:] for ln in lines if re.match(r"^  - [a-z]", ln)]
    pairs = (split(d) for d in deps)
    return {name: version for name, version in pairs if name not in ("python", "pip")}


def test_conda_and_pip_install_the_same_set():
    expected = {CONDA_NAMES.get(n, n): v for n, v in pip_requirements().items()}
    assert conda_requirements() == expected


def test_faker_is_pinned_exactly_and_torch_has_a_floor():
    reqs = pip_requirements()
    assert re.fullmatch(r"==\d+\.\d+\.\d+", reqs["faker"])
    floor = re.fullmatch(r">=(\d+)\.(\d+)", reqs["torch"])
    assert floor and (int(floor[1]), int(floor[2])) >= (2, 6)


def test_python_range_admits_colab():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"
