"""CONTRIBUTING.md names only commands, files, modules and functions that exist."""
import importlib
import re

import pytest

from conftest import ROOT

TEXT = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_every_make_target_it_names_exists():
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    named = set(re.findall(r"\bmake ([a-z]+)\b", TEXT))
    assert named and named <= targets, f"not in the Makefile: {sorted(named - targets)}"


PATHS = sorted(set(re.findall(r"(?<![\w/.])((?:rnn_lesson|tests|scripts|benchmarks|notebooks|data)/[\w./<>-]*\w)", TEXT)))


@pytest.mark.parametrize("path", [p for p in PATHS if "<" not in p and "NN_" not in p and "NAME" not in p
                                  and p not in ("data/results/x.csv", "benchmarks/bench_x.py")])
def test_every_file_it_names_exists(path):
    assert (ROOT / path).exists(), f"CONTRIBUTING.md names {path}, which does not exist"


def test_its_templates_match_real_files():
    for template in (p for p in PATHS if "<lesson>" in p or "<module>" in p):
        pattern = template.replace("<lesson>", "*").replace("<module>", "*").replace("<name>", "*")
        assert list(ROOT.glob(pattern)), f"no file matches {template}"


@pytest.mark.parametrize("dotted", sorted(set(re.findall(r"`((?:rl|rnn_lesson)\.[\w.]+)", TEXT))))
def test_every_module_or_function_it_names_exists(dotted):
    parts = dotted.replace("rl.", "rnn_lesson.", 1).split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            assert hasattr(thing, attribute), f"CONTRIBUTING.md names {dotted}: no {attribute!r}"
            thing = getattr(thing, attribute)
        return
    pytest.fail(f"CONTRIBUTING.md names {dotted}, which does not import")


def test_the_check_finds_names():
    assert len(PATHS) > 20 and "scripts/nbtool.py" in PATHS and "rnn_lesson/experiments/" in TEXT
