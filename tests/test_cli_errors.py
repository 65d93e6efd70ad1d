"""predict and evaluate on bad input: exit code 2, one line naming the file and what is wrong, no traceback,
and nothing written (an existing --output file is left as it was, no temporary file is left behind)."""
import json
import shutil

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.cli import bundle
from rnn_lesson.models.archive import read_members, write_atomically

from conftest import DATA
from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)
from test_cli_predict import TEMPERATURE, saved  # noqa: F401 (saved: the models fixture)

KEPT = "id,t,temp_next_predicted\nan,0,1.5\n"  # what --output held before the failed run


def temperature_lines(edit=None):
    """data/temperature.csv as text, its header and first data row passed through ``edit(header, row)``."""
    lines = TEMPERATURE.read_text().splitlines(keepends=True)
    if edit is not None:
        lines[0], lines[1] = edit(lines[0], lines[1])
    return "".join(lines)


def rewritten_meta(model, folder, **changes):
    """``model`` copied to folder/changed.npz, with its meta's JSON fields changed as given."""
    target = shutil.copy(model, folder / "changed.npz")
    arrays = read_members(bundle.meta_path(model), bundle.MEMBERS)
    state = {**json.loads(arrays["meta"].tobytes()), **changes}
    arrays["meta"] = np.frombuffer(json.dumps(state).encode(), dtype=np.uint8)
    write_atomically(bundle.meta_path(target), arrays)
    return target


def copy_pair(model, folder, name="copy"):
    """``model`` and its meta copied to folder/name.npz and name.meta.npz; returns the model's copy."""
    shutil.copy(bundle.meta_path(model), folder / f"{name}.meta.npz")
    return shutil.copy(model, folder / f"{name}.npz")


def make_case(case, saved, folder):  # noqa: F811 (saved is the fixture's value)
    """(model, csv, the message's words) for one broken input, its files made in ``folder``."""
    model, cards = saved / "temperature.npz", saved / "cards.npz"
    csv = folder / "data.csv"
    if case == "missing model":
        return folder / "none.npz", TEMPERATURE, f"no model file at {folder / 'none.npz'}"
    if case == "corrupted model":
        (folder / "cut.npz").write_bytes(model.read_bytes()[:700])
        return folder / "cut.npz", TEMPERATURE, f"{folder / 'cut.npz'} is not a model saved by RNN.save"
    if case == "foreign npz as model":
        np.savez(folder / "weights.npz", W=np.eye(2))
        return folder / "weights.npz", TEMPERATURE, "holds a member 'W.npy' that a saved model does not have"
    if case == "a CSV as model":
        return TEMPERATURE, TEMPERATURE, f"{TEMPERATURE} is not a model saved by RNN.save (not a readable .npz"
    if case == "the meta file as model":
        return bundle.meta_path(model), TEMPERATURE, "holds what prediction needs beside a model, not the model: " \
                                                     "give the model file (temperature.npz)"
    if case == "model without meta (RNN.save, an older train --save)":
        shutil.copy(model, folder / "old.npz")
        return folder / "old.npz", TEMPERATURE, "old.npz has no old.meta.npz beside it, so the scaling, columns " \
                                                "and task it was trained with are unknown"
    if case == "meta of another model":
        shutil.copy(model, folder / "mixed.npz")
        shutil.copy(bundle.meta_path(cards), folder / "mixed.meta.npz")
        return folder / "mixed.npz", TEMPERATURE, "mixed.meta.npz was written for another model than"
    if case == "corrupted meta":
        copy = copy_pair(model, folder)
        (folder / "copy.meta.npz").write_bytes(b"PK\x03\x04 not really")
        return copy, TEMPERATURE, "copy.meta.npz is not a readable rnn_lesson.cli.meta file"
    if case == "meta of a newer version":
        return (rewritten_meta(model, folder, version=2), TEMPERATURE,
                "changed.meta.npz has format version 2, written by a newer rnn_lesson (this one reads version 1): "
                "upgrade rnn_lesson, or train it again with `python -m rnn_lesson train CSV ... --save")
    if case == "meta with an invalid field":
        return rewritten_meta(model, folder, task="ranking"), TEMPERATURE, "the field 'task' is missing or invalid"
    if case == "a renamed column":
        csv.write_text(temperature_lines(lambda h, r: (h.replace("doy_sin", "sin"), r)))
        return model, csv, f"{csv}, line 1, column 4 'sin': {model} was trained on the columns id, t, temp, " \
                           "doy_sin, doy_cos, temp_next: here 'doy_sin' is expected"
    if case == "no label column":
        csv.write_text("id,t,temp,doy_sin,doy_cos\na,0,1.0,0.5,0.5\n")
        return model, csv, f"{csv}, line 1: the header has 5 columns; {model} was trained on the columns id, t, " \
                           "temp, doy_sin, doy_cos, temp_next (6)"
    if case == "a credit-card file for a course-format model":
        return model, DATA / "creditcard_synthetic.csv", "column 1 'Time': "
    if case == "a course-format file for a credit-card model":
        return cards, TEMPERATURE, f"{TEMPERATURE}, line 1: {cards} was trained on the Kaggle credit-card schema"
    if case == "a bad row":
        csv.write_text(temperature_lines(lambda h, r: (h, r.replace(",8.9,", ",oops,"))))
        return model, csv, f"{csv}, line 2, column 3 'temp': 'oops' is not a number"
    if case == "a missing CSV":
        return model, folder / "none.csv", "no such file"
    raise AssertionError(case)


CASES = ["missing model", "corrupted model", "foreign npz as model", "a CSV as model", "the meta file as model",
         "model without meta (RNN.save, an older train --save)", "meta of another model", "corrupted meta",
         "meta of a newer version", "meta with an invalid field", "a renamed column", "no label column",
         "a credit-card file for a course-format model", "a course-format file for a credit-card model",
         "a bad row", "a missing CSV"]


def check_failed(code, out, err, message):
    assert code == 2, err
    error_lines = [line for line in err.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and message in error_lines[0], err
    assert "Traceback" not in err
    return out


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_and_leaves_the_output_untouched(capsys, saved, tmp_path, case):  # noqa: F811
    model, csv, message = make_case(case, saved, tmp_path)
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    (out_folder / "predictions.csv").write_text(KEPT)
    out = check_failed(*run(capsys, "predict", model, csv, "--output", out_folder / "predictions.csv"), message)
    assert out == "" and [p.name for p in out_folder.iterdir()] == ["predictions.csv"]
    assert (out_folder / "predictions.csv").read_text() == KEPT
    assert check_failed(*run(capsys, "predict", model, csv), message) == ""  # nothing half-printed either
    assert check_failed(*run(capsys, "evaluate", model, csv), message) == ""


def test_evaluate_needs_0_1_labels_for_a_classifier_and_predict_does_not_read_them(capsys, tmp_path):
    X = np.random.default_rng(3).uniform(-1, 1, (10, 4, 2))
    rl.Dataset.from_arrays(X, (X[:, :, :1] > 0).astype(float)).to_csv(tmp_path / "train.csv")
    assert run(capsys, "train", tmp_path / "train.csv", "--epochs", 1, "--save", tmp_path / "model")[0] == 0
    rl.Dataset.from_arrays(X, np.full((10, 4, 1), 2.5)).to_csv(tmp_path / "new.csv")
    out = check_failed(*run(capsys, "evaluate", tmp_path / "model.npz", tmp_path / "new.csv"),
                       f"{tmp_path / 'new.csv'}: sequence '0' labels must be 0 or 1, found 2.5 (they are class "
                       f"labels); {tmp_path / 'model.npz'} is a classifier: evaluate it on 0/1 labels")
    assert out == ""
    code, out, _ = run(capsys, "predict", tmp_path / "model.npz", tmp_path / "new.csv")
    assert code == 0 and len(out.splitlines()) == 41


@pytest.mark.parametrize("where, message", [
    ("{tmp}/missing/p.csv", "--output {tmp}/missing/p.csv: the folder {tmp}/missing does not exist"),
    ("{tmp}", "--output {tmp}: that is a folder; give a file name"),
    ("{tmp}/data.csv", "--output {tmp}/data.csv is the input file {tmp}/data.csv; write to another file"),
    ("{models}/temperature.npz", "--output {models}/temperature.npz is the input file {models}/temperature.npz"),
])
def test_output_path_is_checked_before_any_work(capsys, saved, tmp_path, where, message):  # noqa: F811
    shutil.copy(TEMPERATURE, tmp_path / "data.csv")
    paths = {"tmp": tmp_path, "models": saved}
    before = {p: p.read_bytes() for p in [tmp_path / "data.csv", *saved.iterdir()]}
    code, out, err = run(capsys, "predict", saved / "temperature.npz", tmp_path / "data.csv",
                         "--output", where.format(**paths))
    check_failed(code, out, err, message.format(**paths))
    assert "loaded" not in err
    assert {p: p.read_bytes() for p in before} == before and sorted(tmp_path.iterdir()) == [tmp_path / "data.csv"]


def test_a_model_saved_without_train_is_refused_with_what_to_do(capsys, tmp_path):
    model = rl.RNN(hidden_size=2, epochs=1).fit((np.zeros((2, 3, 3)), np.zeros((2, 3, 1))))
    path = model.save(tmp_path / "plain")
    check_failed(*run(capsys, "evaluate", path, TEMPERATURE),
                 f"(it was saved by RNN.save, or by an older `train --save`): train it again with "
                 f"`python -m rnn_lesson train CSV ... --save {path}`")
