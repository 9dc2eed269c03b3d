"""Solutions to the exercises of 10 · Reading the whole prompt. Try them yourself first."""

from __future__ import annotations

import re

import helpers

NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
           "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000}


def bio_to_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """Exercise 1: B-X starts a span of X, I-X continues the X span right before it."""
    spans: list[tuple[str, int, int]] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        edge, slot = tag.split("-", 1)
        if edge == "I" and spans and spans[-1][0] == slot and spans[-1][2] == i:
            spans[-1] = (slot, spans[-1][1], i + 1)
        else:
            spans.append((slot, i, i + 1))
    return spans


def count_words(text: str) -> int | None:
    """Exercise 2: '1,500' -> 1500, 'two hundred' -> 200, 'a dozen' -> 12, 'some' -> None."""
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits)
    total, current = 0, 0
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in NUMBERS:
            current += NUMBERS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:  # 'three thousand two hundred': bank the thousands
                total, current = total + current, 0
        else:
            return None
    value = total + current
    return value if value else None


def disagreements(half: str = "dev") -> dict[str, list[str]]:
    """Exercise 3: the prompts exactly one reader reads right, by the reader that does."""
    prompts = helpers.load_reading_prompts(half)
    model = helpers.reading_report(helpers.read_prompt, prompts)["prompts"]
    rules = helpers.reading_report(helpers.read_by_rules, prompts)["prompts"]
    return {"tag head only": [m["prompt"] for m, r in zip(model, rules, strict=True)
                              if m["exact"] and not r["exact"]],
            "rules only": [r["prompt"] for m, r in zip(model, rules, strict=True)
                           if r["exact"] and not m["exact"]]}


if __name__ == "__main__":
    helpers.check("10.1", bio_to_spans)
    helpers.check("10.2", count_words)
    for who, found in disagreements("dev").items():
        print(who, found)
