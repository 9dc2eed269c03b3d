"""The prompt explorer of notebook 09: the plain function, and the widgets driven from code."""

import sys

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers import load_catalog, load_model  # noqa: E402
from helpers.explorer import explore, explorer, explorer_controls  # noqa: E402

widgets = pytest.importorskip("ipywidgets")


@pytest.fixture
def drawn(monkeypatch):
    """The figures explore() shows, instead of showing them."""
    figures = []
    monkeypatch.setattr(plt, "show", lambda: figures.append(plt.gcf()))
    yield figures
    plt.close("all")


def test_explore_draws_probabilities_and_attention_and_returns_rows(drawn):
    table = explore("generate a hospital dataset", rows=3, locale="de_DE", layer=0, head=1)
    assert list(table.columns) == load_catalog()["hospital"] and len(table) == 3
    probabilities, attention = drawn[0].axes[:2]
    assert len(probabilities.patches) == 12  # the top columns' bars
    assert attention.get_title() == "layer 0, head 1: what [CLS] looks at"
    assert attention.get_xticklabels()[0].get_text() == "[CLS]"


def test_explore_says_why_a_prompt_gets_no_table(drawn, capsys):
    assert explore("tell me a joke") is None
    assert "does not look like a request" in capsys.readouterr().out
    assert len(drawn) == 1  # the chart still shows how unsure the model is


def test_explore_says_whose_chart_it_is_with_the_decoder(drawn, capsys):
    table = explore("a bank table", rows=2, model="decoder")
    assert "chart shows the classifier" in capsys.readouterr().out and len(table) == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"prompt": "   "}, "prompt is empty"),
    ({"prompt": "a bank table", "layer": 7}, "layer must be between 0 and"),
    ({"prompt": "a bank table", "head": -1}, "head must be between 0 and"),
])
def test_explore_names_bad_input(kwargs, message, drawn):
    with pytest.raises(ValueError, match=message):
        explore(**kwargs)
    assert drawn == []  # refused before drawing anything


def test_the_widgets_rerun_when_a_control_changes():
    calls = []
    controls = explorer_controls()
    box = explorer(controls, render=lambda **values: calls.append(values))
    assert calls == [{name: c.value for name, c in controls.items()}]  # drawn once at the start
    controls["prompt"].value = "hotel bookings"
    controls["head"].value = 2
    controls["locale"].value = "fr_FR"
    assert [c["prompt"] for c in calls] == ["a gym with members and their plans"] + [
        "hotel bookings"] * 3
    assert calls[-1] == {**calls[0], "prompt": "hotel bookings", "head": 2, "locale": "fr_FR"}
    shown = [w for row in box.children[:3] for w in row.children]
    assert set(shown) == set(controls.values()) and isinstance(box.children[3], widgets.Output)


def test_every_control_is_an_argument_of_explore():
    import inspect

    controls, cfg = explorer_controls(), load_model().model.cfg
    assert set(controls) <= set(inspect.signature(explore).parameters)
    assert (controls["layer"].min, controls["layer"].max) == (0, cfg.num_layers - 1)
    assert (controls["head"].min, controls["head"].max) == (0, cfg.num_heads - 1)


def test_bad_input_in_the_widget_is_a_line_not_a_traceback(capsys, drawn):
    controls = explorer_controls()
    explorer(controls)
    controls["prompt"].value = ""
    assert "prompt is empty" in capsys.readouterr().out


def test_without_ipywidgets_the_error_names_the_fallback(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now fails
    with pytest.raises(ImportError, match="explore"):
        explorer()
