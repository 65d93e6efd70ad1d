"""The hostile sweep over the models merged after the first one (issue 17): the language model, sequence to
sequence, the stacking/dropout/bidirectional/masking layers, schedules, monitor, SequenceClassifier, the
estimator's deep options and the fast gated engine (tests/hostile_sweep_models.py holds the table; the rules are
tests/hostile_sweep.py's). Every case ends "refused" in words or "ok" without NaN/inf; never a crash, a silent
NaN/inf, or unbounded work.

PASS_THROUGH: ``layers.bidirectional.reverse`` only reorders the steps of whatever it is given (every model
function refuses NaN at its door), so a NaN it is given comes back, moved.
"""
import collections

import numpy as np
import pytest

from hostile_sweep import assert_handled, klass
from hostile_sweep_models import CALLS, cases, id_variants, run_case, text_variants

PASS_THROUGH = {("layers.bidirectional.reverse", "nan entry"), ("layers.bidirectional.reverse", "inf entry")}

CASES = cases()


@pytest.mark.parametrize("name, argument, label", [pytest.param(*case, id=f"{case[0]}({case[1]}={case[2]})")
                                                   for case in CASES])
def test_every_hostile_input_to_the_new_models_is_refused_in_words_or_handled(name, argument, label):
    assert_handled(*run_case(name, argument, label), name, label, PASS_THROUGH)


def test_the_second_table_covers_every_new_entry_point_and_class():
    per_class = collections.Counter(klass(label) for _, _, label in CASES)
    assert len(CALLS) >= 95 and len(CASES) >= 3600
    for prefix in ("CharLM.", "language.", "fast.lm_loss_and_grads", "Seq2Seq.", "seq2seq.", "layers.stack",
                   "layers.dropout", "layers.bidirectional", "layers.masking", "schedules.", "monitor.",
                   "SequenceClassifier", "fast.CellWorkspace", "fast.cell_minibatch_epoch", "fast.Adam"):
        assert any(name.startswith(prefix) for name in CALLS), prefix
    for name in ("nan entry", "inf entry", "huge values", "empty", "strings", "complex", "ragged", "read-only",
                 "nan", "inf", "huge int", "negative", "zero", "subnormal", "bool as int", "None",
                 "negative id", "id past vocab", "float dtype", "unseen char", "lone surrogate", "missing file"):
        assert per_class[name] >= 3, name


def test_hostile_ids_and_texts_are_built_from_the_working_ones():
    ids = id_variants(np.arange(6).reshape(2, 3))
    assert ids["negative id"][0, 0] == -1 and ids["float dtype"].dtype == float and not ids["read-only"].flags.writeable
    assert ids["empty"].shape == (0, 3) and ids["wrong ndim"].shape == (2, 3, 1)
    assert text_variants("ab")["unseen char"] == "ab\x00Z"
