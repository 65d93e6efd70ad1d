"""A vocabulary: tokens to integer ids and back, with errors that say which token is at fault.

Three ids are reserved and come first: ``PAD`` (0, fills a short sequence up to
the batch's length), ``BOS`` (1, the decoder's first input, "begin") and ``EOS``
(2, the decoder's last output, "end"). The task's own symbols follow, in the
order given. A text is a ``str`` (each character one token) or a list of tokens.
"""
import numpy as np

from ..shapes import check_ids

PAD, BOS, EOS = "<pad>", "<s>", "</s>"
SPECIALS = (PAD, BOS, EOS)
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2


class Vocabulary:
    """Tokens <-> ids. ``Vocabulary("0123456789")``: ids 0-2 the specials, 3-12 the digits."""

    def __init__(self, symbols):
        if isinstance(symbols, str):
            symbols = list(symbols)
        symbols = list(symbols)
        if not symbols:
            raise ValueError("a vocabulary needs at least one symbol")
        for symbol in symbols:
            if not isinstance(symbol, str) or not symbol:
                raise TypeError(f"every symbol must be a non-empty str, got {symbol!r}")
            if symbol in SPECIALS:
                raise ValueError(f"{symbol!r} is reserved (the special tokens are {', '.join(SPECIALS)})")
        if len(set(symbols)) != len(symbols):
            twice = next(s for s in symbols if symbols.count(s) > 1)
            raise ValueError(f"the symbol {twice!r} is listed twice")
        self.tokens = SPECIALS + tuple(symbols)
        self.ids = {token: index for index, token in enumerate(self.tokens)}

    def __len__(self):
        return len(self.tokens)

    def __repr__(self):
        return f"Vocabulary({''.join(self.tokens[len(SPECIALS):])!r})"

    def __eq__(self, other):
        return isinstance(other, Vocabulary) and other.tokens == self.tokens

    def encode(self, text, name="text"):
        """The ids (L,) int64 of ``text``; ValueError naming ``name``, the token and its position if unknown.

        An empty text is refused: an encoder needs at least one step to read.
        """
        if not isinstance(text, (str, list, tuple)):
            raise TypeError(f"{name} must be a str or a list of tokens, got {type(text).__name__}")
        if len(text) == 0:
            raise ValueError(f"{name} is empty: a sequence needs at least one token")
        ids = []
        for position, token in enumerate(text):
            if not isinstance(token, str):
                raise TypeError(f"{name}: the token at position {position} must be a str, got {type(token).__name__}")
            if token in SPECIALS or token not in self.ids:
                known = "".join(self.tokens[len(SPECIALS):])
                raise ValueError(f"{name}: the token {token!r} at position {position} is not in the vocabulary "
                                 f"(it knows {known!r})")
            ids.append(self.ids[token])
        return np.array(ids, dtype=np.int64)

    def decode(self, ids):
        """The text of ``ids`` up to (not including) the first EOS; PAD and BOS are skipped."""
        tokens = []
        for index in check_ids(ids, "ids", len(self.tokens), allow_empty=True).ravel():
            if index == EOS_ID:
                break
            if not 0 <= index < len(self.tokens):
                raise ValueError(f"id {index} is not in the vocabulary (0 to {len(self.tokens) - 1})")
            if index >= len(SPECIALS):
                tokens.append(self.tokens[index])
        return "".join(tokens)
