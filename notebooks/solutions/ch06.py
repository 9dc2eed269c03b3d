"""Solutions to the exercises of 06 · Faker generation. Try them yourself first.

Exercise 1 is done in data/, not here: add to data/values.json

    "loyalty_tier": {"bronze": 70, "silver": 25, "gold": 5}

and to the "columns" of data/generators.json

    "loyalty_tier": {"kind": "choice"}

`tier_shares` below then checks the shares.
"""

from __future__ import annotations

import helpers
from helpers.generate import ascii_fold


def tier_shares(rows: int = 10_000) -> dict[str, float]:
    """Exercise 1: shares of each value of loyalty_tier (after the data/ edits above)."""
    column = helpers.generate_dataframe(["loyalty_tier"], rows=rows, seed=0)["loyalty_tier"]
    return column.value_counts(normalize=True).to_dict()


def is_valid_luhn(number: str) -> bool:
    """Exercise 2: the Luhn test, digit by digit from the right."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def folded_last_names_in_emails(rows: int = 1_000) -> float:
    """Exercise 3: share of de_DE e-mails containing the ASCII-folded last name."""
    t = helpers.generate_dataframe(["name", "email"], rows=rows, seed=0, locale="de_DE")
    lasts = [ascii_fold(name.split()[-1]) for name in t["name"]]
    return sum(last in email for last, email in zip(lasts, t["email"], strict=True)) / rows


if __name__ == "__main__":
    cards = helpers.generate_dataframe(["card_number"], rows=1_000)["card_number"]
    print("valid Luhn:", all(is_valid_luhn(c) for c in cards))
    print("de_DE e-mails with the last name:", folded_last_names_in_emails())
