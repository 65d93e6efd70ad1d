"""The vocabulary of a character-level model: every distinct character, numbered.

V is the vocabulary's size. A character is fed to the network as its id, an
integer in [0, V); the network's first matrix product with a one-hot vector,
``onehot(id) @ W_xh``, is the row ``W_xh[id]`` (an embedding lookup), so the
ids are all a model needs.

    vocab = Vocabulary.from_text("hello")      chars "ehlo": e=0, h=1, l=2, o=3
    vocab.encode("hole")  -> array([1, 3, 2, 0])
    vocab.decode([1, 0, 2, 2, 3]) -> "hello"
"""
import numpy as np

from ..budget import check_bytes
from ..shapes import MAX_IDS, check_ids, check_positive_int

MAX_VOCABULARY = 1000  # bounds the output layer a text can ask for (a character model, not a word model)


def check_text(text, name="text", min_length=1):
    """``text`` itself, or TypeError/ValueError unless it is a str of at least ``min_length`` characters."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    if len(text) < min_length:
        what = "is empty" if not text else f"has {len(text)} character(s)"
        raise ValueError(f"{name} {what}; it needs at least {min_length} characters")
    return text


def describe(char):
    """A character as a reader can see it: 'a', '\\n' (newline), '\\t', ' ' (space), U+00E9 'é'."""
    names = {"\n": "'\\n' (newline)", "\t": "'\\t' (tab)", " ": "' ' (space)", "\r": "'\\r' (carriage return)"}
    if char in names:
        return names[char]
    return repr(char) if char.isascii() else f"U+{ord(char):04X} {char!r}"


class Vocabulary:
    """The characters of a text in sorted order; ``chars[i]`` has id i."""

    def __init__(self, chars):
        check_text(chars, "chars")
        if len(set(chars)) != len(chars):
            raise ValueError("the vocabulary's characters must be distinct")
        if len(chars) > MAX_VOCABULARY:
            raise ValueError(f"{len(chars)} distinct characters: a character model here allows at most "
                             f"{MAX_VOCABULARY}")
        self.chars = "".join(sorted(chars))
        self.ids = {char: i for i, char in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text):
        """The vocabulary of every distinct character in ``text`` (a non-empty str)."""
        return cls("".join(set(check_text(text))))

    def __len__(self):
        return len(self.chars)

    def __eq__(self, other):
        return isinstance(other, Vocabulary) and other.chars == self.chars

    def __repr__(self):
        return f"Vocabulary({self.chars!r})"

    def encode(self, text, name="text"):
        """The ids (L,) int64 of the characters of ``text``; ValueError naming the first one not in the vocabulary.

        ``name`` says what the text is in the message ("prompt", "the held-out text").
        """
        check_text(text, name, min_length=0)
        try:
            return np.fromiter((self.ids[char] for char in text), dtype=np.int64, count=len(text))
        except KeyError:
            position = next(i for i, char in enumerate(text) if char not in self.ids)
            raise ValueError(f"{name} has the character {describe(text[position])} at position {position} "
                             f"(line {text.count(chr(10), 0, position) + 1}), which is not in the model's "
                             f"vocabulary of {len(self)} characters: {self.chars!r}") from None

    def decode(self, ids):
        """The text of the ids ``ids`` (any shape, flattened); ValueError for an id outside [0, V)."""
        ids = np.asarray(ids).ravel()
        if ids.size and (not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must be integers from 0 to {len(self) - 1}, got {ids[:10]}...")
        return "".join(self.chars[i] for i in ids)


def onehot(ids, size):
    """One-hot rows: integer ids (...,) -> (..., size) float64 with a single 1 at each id.

    ``onehot(ids, V) @ W`` equals ``W[ids]``: the product only picks rows.
    """
    size = check_positive_int(size, "size", most=MAX_IDS)
    ids = check_ids(ids, "ids", size, allow_empty=True)
    check_bytes(8 * ids.size * size, f"one-hot rows for {ids.size:,} ids over {size:,} characters",
                "use a shorter text or a smaller vocabulary")
    out = np.zeros(ids.shape + (size,))
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)
    return out
