"""The standard scales, in words a patient understands."""

from __future__ import annotations

BORG_WORDS = {
    6: "no effort at all",
    7: "extremely light",
    8: "extremely light",
    9: "very light",
    10: "very light",
    11: "light",
    12: "moderate",
    13: "somewhat hard",
    14: "hard",
    15: "hard",
    16: "hard",
    17: "very hard",
    18: "very hard",
    19: "extremely hard",
    20: "maximal effort",
}


def borg_words(value: int | None) -> str:
    return BORG_WORDS.get(value, "") if value is not None else ""
