"""The shipped texts and checkpoint of lesson 13: what data/README.md says about them holds."""
import re

import rnn_lesson as rl

from conftest import DATA


def test_names_are_unique_lowercase_words():
    names = (DATA / "names.txt").read_text(encoding="ascii").split("\n")
    assert names[-1] == "" and len(names) - 1 == 29_910 == len(set(names[:-1]))
    assert all(re.fullmatch("[a-z]+", name) for name in names[:-1])
    assert names[:3] == ["emma", "liam", "olivia"]  # most frequent first


def test_the_held_out_plays_use_only_characters_of_the_training_plays():
    train = (DATA / "shakespeare.txt").read_text(encoding="ascii")
    heldout = (DATA / "shakespeare_heldout.txt").read_text(encoding="ascii")
    assert 900_000 < len(train) < 1_100_000 and 150_000 < len(heldout) < 300_000
    assert set(heldout) <= set(train)
    assert "MACBETH" in heldout and "MACBETH" not in train


def test_the_checkpoint_is_small_and_loads():
    path = DATA / "shakespeare_lstm.npz"
    assert path.stat().st_size < 5_000_000
    model = rl.CharLM.load(path)
    assert model.cell == "lstm" and model.vocab_.chars == "".join(sorted(set((DATA / "shakespeare.txt").read_text())))
    assert 1.0 < model.history_[-1]["heldout_loss"] < 2.5
    assert len(model.sample(20, seed=0)) == 20
