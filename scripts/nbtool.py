"""Run lessons in a fresh kernel and store them clean.

    python scripts/nbtool.py refresh notebooks/03_forward_pass.ipynb [...]
        Executes each notebook top to bottom in a fresh kernel (from the
        notebook's folder), keeps the outputs of cells tagged
        `nbval-check-output` (the golden outputs nbval compares), strips every
        other output and execution count and any widget state, writes it back and
        prints the run time.
    python scripts/nbtool.py strip notebooks/*.ipynb
        Only strips (no execution): outputs of untagged cells, counts, widget state.

Run it with the course's environment (.venv/bin/python). `make test` checks
the result: tests/test_notebooks.py fails on a notebook that is not clean.
"""
import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

GOLDEN = "nbval-check-output"


def strip(notebook):
    """Keep only the golden cells' outputs; drop other outputs and counts and any widget state, in place.

    Golden cells keep an execution count (numbered 1, 2, ... in order): nbval
    refuses a stored output on a cell that looks unrun.
    """
    notebook.metadata.pop("widgets", None)
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if GOLDEN in cell.metadata.get("tags", []) and cell.outputs:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = count
        else:
            cell.execution_count = None
            cell.outputs = []
    return notebook


def refresh(path, timeout=120, attempts=3):
    """Execute ``path`` in a fresh kernel, strip it, write it back; return the seconds it ran.

    A cell that displays a widget now and then never reports completion to
    nbclient (nbclient issue #312; nbval is not affected): such a run times
    out after ``timeout`` seconds for that cell and is started again, up to
    ``attempts`` times in all.
    """
    for attempt in range(1, attempts + 1):
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except CellTimeoutError:
            if attempt == attempts:
                raise
            print(f"{path}: a cell timed out (attempt {attempt} of {attempts}); running again", flush=True)
            continue
        seconds = time.perf_counter() - start
        nbformat.write(strip(notebook), path)
        return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["refresh", "strip"])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        if args.command == "refresh":
            print(f"{path}: ran in {refresh(path):.1f} s", flush=True)
        else:
            nbformat.write(strip(nbformat.read(path, as_version=4)), path)
            print(f"{path}: stripped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
