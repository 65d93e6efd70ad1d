"""rnn_lesson.budget: the memory a size needs, in exact integers, refused beyond MEMORY_LIMIT before any allocation."""
import pytest

from rnn_lesson import budget


def test_the_weight_count_is_the_cell_and_its_output_layer():
    assert budget.weight_count(3, 4) == 3 * 4 + 4 * 4 + 4
    assert budget.weight_count(3, 4, 2, n_gates=4) == 3 * 16 + 4 * 16 + 16 + 4 * 2 + 2  # an LSTM's 4 blocks


def test_training_bytes_follow_the_module_formula_in_python_integers():
    weights = budget.weight_count(29, 10, 1)
    assert budget.training_bytes(29, 10, 1, 1, 10, 64) == 8 * (4 * weights + 2 * 64 * 10 * (29 + 2 + 4 * 10))
    assert budget.training_bytes(10 ** 12, 10 ** 12, 10 ** 12) > 2 ** 64  # no wrap-around


def test_a_size_beyond_the_limit_is_refused_in_words_and_one_within_it_is_returned():
    assert budget.check_bytes(budget.MEMORY_LIMIT, "x") == budget.MEMORY_LIMIT
    with pytest.raises(budget.MemoryLimitError, match=r"weights for I=2, H=1000000 \(1,000,003,000,000 numbers\) "
                                                      r"would need 7.28 TiB of memory, more than the 2 GiB"):
        budget.check_weights(2, 10 ** 6)
    with pytest.raises(budget.MemoryLimitError, match="training a test on sequences of up to 10000 steps .I=2, O=1. would need 3.05 TiB"):
        budget.check_training(2, 512, 1, 4, 10_000, 4096, "a test")
    with pytest.raises(ValueError, match="would need"):
        budget.check_bytes(2.0, "a float")  # only whole numbers of bytes


@pytest.mark.parametrize("n_bytes, text", [(100, "100 bytes"), (3 * 1024 ** 2, "3 MiB"), (1536, "1.5 KiB"),
                                           (5 * 1024 ** 5, "5 PiB"), (2 * 1024 ** 6, "2.05e+03 PiB")])
def test_readable_bytes(n_bytes, text):
    assert budget.readable_bytes(n_bytes) == text
