"""Numbers in a prompt: a row count ('two hundred' -> 200, '10k'), or a limit on values that is
not one ('under $5', 'older than 65', 'in 2024': data/reading.json's limits).

helpers.slots and helpers.rule_reader read counts with these. No model runs here, and no Faker.
"""

from __future__ import annotations

import re

from helpers.slot_columns import load_reading_words


def parse_count(text: str) -> int | None:
    """'50', '1,000', 'two hundred', 'a dozen', 'twenty five', '10k' -> int; None if not a count."""
    numbers = load_reading_words()["numbers"]
    words = re.findall(r"\d[\d,.]*|[a-z]+", text.lower().replace("-", " "))
    total, current, seen = 0, 0, False
    for w in words:
        if w[0].isdigit():
            digits = w.replace(",", "")
            if not digits.isdigit():
                return None
            current, seen = current + int(digits), True
        elif w in ("and", "of", "rows", "row"):
            continue
        elif w in numbers:
            value, seen = numbers[w], True
            if value >= 100 or w in ("dozen", "k"):
                current = max(current, 1) * value
                if value >= 1000:
                    total, current = total + current, 0
            else:
                current += value
        else:
            return None
    return total + current if seen else None


COUNT_ENDS = {"and", "or", "in", "from", "with", "for", "of", "per", "each", "on", "at", "by",
              "to", "but", "who", "that", "which", "please"}  # words after a limit's number


def limit_words(prompt: str, matches: list[re.Match], start: int, end: int) -> str | None:
    """The words of a value limit around the number matches[start:end], as typed ('under $5',
    'older than 65', '50000 a year', 'in 2024'), or None when nothing says it is one
    (data/reading.json's limits)."""
    rules = load_reading_words()["limits"]
    lower = [m.group().lower() for m in matches]
    if lower[end : end + 1] and lower[end] in ("rows", "row", "records", "entries", "lines"):
        return None  # 'at least 50 rows': a count however it is put
    gap_before = prompt[matches[start - 1].end() if start else 0 : matches[start].start()]
    gap_after = prompt[matches[end - 1].end() : matches[end].start() if end < len(matches)
                       else len(prompt)]
    first, last = start, end
    for k in (2, 1):
        if " ".join(lower[end : end + k]) in rules["after"] and len(lower[end : end + k]) == k:
            last = end + k
            break
    sign = gap_before.strip()[-1:] in rules["signs"] or \
        gap_after.strip()[:1] in [s for s in rules["signs"] if s not in "<>=~"] + ["%"]
    counted = last == end and not sign and end < len(lower) and lower[end].isalpha() and \
        lower[end] not in COUNT_ENDS  # 'over 100 customers': a count, not a limit
    for k in (4, 3, 2, 1):  # 'greater than or equal to 5' before 'to 5'
        before = " ".join(lower[start - k : start]) if start >= k else None
        if (before in rules["before"] or before in rules["quantity"] and not counted) and \
                not set(gap_before.strip()) - set("".join(rules["signs"])):
            first = start - k
            break
    year = (end - start == 1 and start and lower[start - 1] in rules["year_before"]
            and re.fullmatch(r"(19|20)\d\d", lower[start]) is not None)
    if first == start and last == end and not sign and not year:
        return None
    first = start - 1 if year and first == start else first
    tail = prompt[matches[last - 1].end() :]
    tail = tail[: len(tail) - len(tail.lstrip("%€£¥₹₩$"))]  # '5%', '5€'
    head = gap_before[len(gap_before.rstrip("$€£¥₹₩<>=~")) :] if first == start else ""
    return (head + prompt[matches[first].start() : matches[last - 1].end()] + tail).strip()
