"""The lessons are committed clean and are real lessons (nbval executes them separately)."""
import json
import re

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GOLDEN = "nbval-check-output"


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _words(notebook):
    text = " ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)  # LaTeX is not prose
    return len(re.findall(r"[A-Za-z][A-Za-z'-]+", text))


def test_there_are_lessons():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_clean(path):
    notebook = _load(path)
    assert not notebook["metadata"].get("widgets"), f"{path.name}: stored widget state (run scripts/nbtool.py strip)"
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        where = f"{path.name} cell {index}"
        assert not any(o.get("output_type") == "error" for o in cell["outputs"]), f"{where}: stored error"
        if GOLDEN not in tags:
            assert cell["outputs"] == [], f"{where}: output kept but the cell is not tagged {GOLDEN}"
            assert cell.get("execution_count") is None, f"{where}: execution count stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_is_a_real_lesson(path):
    notebook = _load(path)
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).lstrip().startswith("# "), \
        f"{path.name}: must open with a markdown title"
    assert _words(notebook) >= 300, f"{path.name}: only {_words(notebook)} words of teaching text"
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    golden = [c for c in cells if GOLDEN in c.get("metadata", {}).get("tags", [])]
    assert golden and all(c["outputs"] for c in golden), f"{path.name}: needs golden cells with stored outputs"
    if not path.name.startswith("00_"):
        asserts = [c for c in code if re.search(r"\bassert\b|assert_allclose|assert_array_equal", c)]
        assert len(asserts) >= 2, f"{path.name}: needs at least 2 assertion cells tying it to rnn_lesson"
    assert any("savefig" in c or "plt." in c or "ax." in c or "draw" in c for c in code), f"{path.name}: no figure"
    last = "".join(cells[-1]["source"]).lower() if cells[-1]["cell_type"] == "markdown" else ""
    assert "next" in last, f"{path.name}: must end with a markdown cell pointing to the next step"


CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # every C0 control but the newline: TAB, BEL (\a from "\approx")...


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_control_characters(path):
    """A LaTeX command written in a Python string without r"" ("\\times", "\\approx") becomes TAB or BEL."""
    for index, cell in enumerate(_load(path)["cells"]):
        source = "".join(cell["source"])
        found = CONTROL.search(source)
        assert found is None, (f"{path.name} cell {index}: control character {found.group()!r} in "
                               f"{source[max(0, found.start() - 30):found.end() + 10]!r}")


def test_the_control_character_check_can_fail():
    assert CONTROL.search("about $8 \approx 0.56$") and CONTROL.search("7 \times 0.5")
    assert not CONTROL.search("about $8 \\approx 0.56$\nnext line")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_lesson_says_coming(path):
    """A lesson that exists is linked, not promised."""
    for index, cell in enumerate(_load(path)["cells"]):
        text = "".join(cell["source"])
        assert "(coming)" not in text.lower(), f"{path.name} cell {index}: says '(coming)'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_next_is_a_link_to_a_lesson_that_exists(path):
    last = "".join(_load(path)["cells"][-1]["source"])
    links = re.findall(r"\]\(([0-9][0-9]_[a-z0-9_]+\.ipynb)\)", last[last.find("**Next"):])
    assert links, f"{path.name}: its last cell's Next names no lesson as a markdown link [..](NN_name.ipynb)"
    missing = [link for link in links if not (path.parent / link).is_file()]
    assert not missing, f"{path.name}: Next links to lessons that do not exist: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_lesson_states_a_study_time_that_includes_its_exercises(path):
    opening = "".join(_load(path)["cells"][0]["source"])
    found = re.search(r"(about|time:)[^.]{0,40}\b(\d+ ?h|\d+ min|hour|minutes)[^.]*", opening, flags=re.I)
    assert found, f"{path.name}: the opening cell states no study time"
    assert "exercise" in opening[found.start():found.end() + 200].lower(), \
        f"{path.name}: the study time ({found.group(0)!r}) does not say that it includes the exercises"
