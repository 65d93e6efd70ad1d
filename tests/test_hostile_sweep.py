"""The systematic hostile sweep (issue 17): every public function and estimator, every argument, every class of
bad value (tests/hostile_sweep.py holds the table and the rules). Each case must end "refused" (a TypeError,
ValueError or OSError naming the problem, quickly) or "ok" (a result with no NaN or inf, no RuntimeWarning);
never a crash (IndexError, KeyError, NumPy's own errors, MemoryError), a silent NaN/inf, or unbounded work.

A few functions pass values through by definition, listed in PASS_THROUGH with the reason: a NaN given to an
elementwise activation comes back as NaN (IEEE arithmetic; every model function refuses NaN at its door), and
check_shape checks the shape only.
"""
import collections

import numpy as np
import pytest

from hostile_sweep import CALLS, assert_handled, cases, klass, run_case, variants

PASS_THROUGH = {
    ("rl.sigmoid", "nan entry"), ("rl.tanh", "nan entry"), ("rl.relu", "nan entry"), ("rl.identity", "nan entry"),
    ("rl.relu", "inf entry"), ("rl.identity", "inf entry"),  # relu(inf) = inf, identity(inf) = inf: right
    ("rl.check_shape", "nan entry"), ("rl.check_shape", "inf entry"),
}

CASES = cases()


@pytest.mark.parametrize("name, argument, label", [pytest.param(*case, id=f"{case[0]}({case[1]}={case[2]})")
                                                   for case in CASES])
def test_every_hostile_input_is_refused_in_words_or_handled(name, argument, label):
    assert_handled(*run_case(name, argument, label), name, label, PASS_THROUGH)


def test_the_sweep_covers_every_class_on_many_functions():
    per_class = collections.Counter(klass(label) for _, _, label in CASES)
    assert len(CALLS) >= 68 and len(CASES) >= 2700
    for name in ("nan entry", "inf entry", "huge values", "empty", "strings", "complex", "ragged", "read-only",
                 "bool dtype", "nan", "inf", "huge", "huge int", "negative", "zero", "bool as int", "None"):
        assert per_class[name] >= 10, name


def test_a_hostile_array_is_built_from_the_working_one():
    found = variants(np.ones((2, 3)))
    assert np.isnan(found["nan entry"][0, 0]) and not found["read-only"].flags.writeable
    assert found["strings"].dtype.kind == "U" and found["empty"].shape == (0, 3)
