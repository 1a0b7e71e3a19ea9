"""Long text cut into chat messages, for every channel: both LINE and Telegram count UTF-16 code units.

Cuts fall at line breaks where possible, else at spaces, else between characters — never between a Thai
consonant and its vowel or tone mark, nor inside an emoji sequence.
"""

from __future__ import annotations

import unicodedata


def utf16_len(text: str) -> int:
    """Length as the chat platforms count it: UTF-16 code units (an emoji beyond the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` units, cut at line breaks, else at spaces, else between characters.

    Blank text has no parts: nothing is sent for it.
    """
    if not text.strip():
        return []
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        for piece in _fit_line(line, limit):
            joined = piece if current is None else f"{current}\n{piece}"
            if utf16_len(joined) <= limit:
                current = joined
            else:
                parts.append(current or "")
                current = piece
    parts.append(current or "")
    return [part.strip("\n") for part in parts if part.strip()]


def attached(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (a Thai vowel or tone mark, a joiner, a selector)."""
    return unicodedata.category(char) in {"Mn", "Mc", "Me"} or char in {"\u200d", "\ufe0f", "\ufe0e"}


def _fit_line(line: str, limit: int) -> list[str]:
    if utf16_len(line) <= limit:
        return [line]
    pieces: list[str] = []
    current = ""
    for word in line.split(" "):
        joined = f"{current} {word}" if current else word
        if utf16_len(joined) <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        while utf16_len(word) > limit:
            cut = _cut_point(word, limit)
            pieces.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        pieces.append(current)
    return pieces


def _cut_point(word: str, limit: int) -> int:
    """The largest cut within ``limit`` units that does not tear a vowel, tone mark or modifier off its base."""
    units = 0
    cut = 0
    for index, char in enumerate(word):
        units += utf16_len(char)
        if units > limit:
            break
        cut = index + 1
    while 1 < cut < len(word) and attached(word[cut]):
        cut -= 1
    return max(cut, 1)
