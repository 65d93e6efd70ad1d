"""Make data/creditcard_synthetic.csv: synthetic transactions in the Kaggle credit-card schema.

    python scripts/make_creditcard.py

20,000 rows from ``rnn_lesson.generate_creditcard`` with seed 0 and the real
fraud rate (0.17 %, so 34 frauds), written like the Kaggle file (quoted
header and Class). ``rnn_lesson.load_creditcard`` turns it into 2,000
sequences of 10 transactions.
"""
from pathlib import Path

import rnn_lesson as rl

N_ROWS = 20_000
FRAUD_RATE = 0.0017
SEED = 0
OUT = Path(__file__).resolve().parents[1] / "data" / "creditcard_synthetic.csv"


def main():
    rl.write_creditcard(OUT, N_ROWS, fraud_rate=FRAUD_RATE, seed=SEED)
    print(f"wrote {OUT.name}: {N_ROWS} transactions, {rl.load_creditcard(OUT)}")


if __name__ == "__main__":
    main()
