"""The page furniture of furniture.yml: `FURNITURE[language][key]`, the same keys in every language."""

from __future__ import annotations

from pathlib import Path

import yaml

from catalog import LANGUAGES

FURNITURE_FILE = Path(__file__).with_suffix(".yml")


def load(path: Path = FURNITURE_FILE) -> dict[str, dict[str, str]]:
    strings = yaml.safe_load(path.read_text(encoding="utf-8"))
    if set(strings) != set(LANGUAGES):
        raise ValueError(f"{path}: give the furniture in exactly {', '.join(LANGUAGES)}, not {', '.join(strings)}")
    keys = set(strings[LANGUAGES[0]])
    for language in LANGUAGES[1:]:
        if set(strings[language]) != keys:
            raise ValueError(f"{path}: {language} has {sorted(set(strings[language]) ^ keys)} where {LANGUAGES[0]} differs")
    return strings


FURNITURE = load()
