"""Exercise solutions live in collapsed markdown blocks, never in code cells Run All would execute over a
learner's attempt; this test runs each one through its checker.

Convention: a markdown cell holding ``<details>`` and a fenced ``python`` block. The block imports
what it needs, defines the solution and ends with the checker call, whose Feedback must pass.
"""
import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
BLOCK = re.compile(r"<details>.*?```python\n(.*?)```", re.S)


def solution_blocks():
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                for number, code in enumerate(BLOCK.findall(cell.source)):
                    yield pytest.param(code, id=f"{path.stem}-cell{index}-{number}")


@pytest.mark.parametrize("code", list(solution_blocks()))
def test_each_solution_passes_its_checker(code):
    tree = ast.parse(code)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "a solution block ends with the checker call"
    namespace = {}
    exec(compile(tree, "<solution>", "exec"), namespace)
    feedback = eval(compile(ast.Expression(last.value), "<checker>", "eval"), namespace)
    assert feedback.passed, feedback.message
