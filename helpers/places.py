"""The words around a place a prompt names: 'based in Munich', 'the city of Munich'.

Both halves read them here, from data/reading.json's place_rules: the words of its
'before_place' phrases and its 'fillers'. helpers.contacts finds the city a span names
('from Berlin' -> Berlin), helpers.pipeline says which place no locale serves ('in Peru' ->
Peru). Neither torch, Faker nor pandas is loaded here, so either side may import it.
"""

from __future__ import annotations

from functools import lru_cache

from helpers.catalog import read_json
from helpers.paths import data_file


@lru_cache(maxsize=1)
def place_fillers() -> frozenset[str]:
    """Lowercase words that come before a place but are not part of its name: 'based', 'in',
    'from', ... (place_rules' before_place, word by word) and 'the', 'city', 'of' (its fillers)."""
    rules = read_json(data_file("reading.json"))["place_rules"]
    phrases = [*rules["before_place"], *rules["fillers"]]
    return frozenset(word for phrase in phrases for word in phrase.lower().split())


def strip_place_fillers(text: str) -> str:
    """The place alone: 'based in Munich', 'the city of Munich' -> 'Munich'. Only the words
    before it go, so 'Quebec City' keeps its 'City' ('in', 'the' alone: '')."""
    words = text.split()
    while words and words[0].lower() in place_fillers():
        words = words[1:]
    return " ".join(words)
