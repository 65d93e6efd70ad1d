"""The package docstring's lesson -> module map names only modules (or attributes) that exist, and every lesson."""
import importlib
import re

import rnn_lesson
from conftest import ROOT


def _rows():
    """The map's rows: {lesson number: the text of its row, continuation lines included}."""
    lines = rnn_lesson.__doc__.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("====  ")]
    rows, current = {}, None
    for line in lines[rules[1] + 1:rules[2]]:
        match = re.match(r" (\d\d) ", line)
        current = match.group(1) if match else current
        rows[current] = rows.get(current, "") + " " + line
    return rows


def _resolves(name, parents=("",)):
    """``a.b`` is a module rnn_lesson.[parent.]a.b or an attribute of one (``fast`` (``jit``) means fast.jit)."""
    for parent in parents:
        full = f"{parent}.{name}".strip(".")
        try:
            importlib.import_module(f"rnn_lesson.{full}")
            return True
        except ModuleNotFoundError:
            owner, _, attribute = full.rpartition(".")
            try:
                module = importlib.import_module(f"rnn_lesson.{owner}") if owner else rnn_lesson
            except ModuleNotFoundError:
                continue
            if hasattr(module, attribute):
                return True
    return False


def _names(text):
    return [n for n in re.findall(r"``([A-Za-z_][\w.]*)``", text) if not n.startswith("rl.")]


def test_every_module_the_map_names_exists():
    rows = _rows()
    missing = []
    for lesson, text in rows.items():
        names = _names(text)
        packages = [""] + [n for n in names if _is_package(n)]
        missing += [f"{lesson}: {n}" for n in names if not _resolves(n, packages)]
    rest = rnn_lesson.__doc__.split("====  ")[-1]
    missing += [f"beside: {n}" for n in _names(rest) if not _resolves(n)]
    assert sum(len(_names(text)) for text in rows.values()) > 40
    assert not missing, f"the package docstring names modules that do not exist: {missing}"


def _is_package(name):
    try:
        return hasattr(importlib.import_module(f"rnn_lesson.{name}"), "__path__")
    except ModuleNotFoundError:
        return False


def test_the_map_has_a_row_for_every_lesson_after_00():
    rows = set(_rows())
    lessons = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")} - {"00"}
    assert rows == lessons, f"lessons without a row: {sorted(lessons - rows)}; rows without a lesson: {sorted(rows - lessons)}"


def test_the_check_can_fail():
    assert not _resolves("cells.lstmm") and not _resolves("nonexistent") and _resolves("cells.lstm")
    assert _resolves("jit", ("", "fast")) and not _resolves("jit")
