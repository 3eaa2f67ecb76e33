"""Normalising names and other text for matching (never for storing)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = re.compile(r"[\s\u00a0\u200b-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff·•・.．]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # loaded lazily: only matching needs it

    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """NFKC (full-width to half-width) and no invisible characters at the ends."""
    return _INVISIBLE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """A person's name as compared: simplified characters, no spaces or dots, NFKC."""
    s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return _t2s().convert(s)
