"""What hooks_speed.py remembers, and where: plain classes that replace nothing (the replacing is
all in hooks_speed.py). Files live in .cache/speed/ at the project root."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from pathlib import Path

import jinja2

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "speed"


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=repr, ensure_ascii=False).encode()).hexdigest()


def toc_tree(item) -> list:
    return [item.title, item.url, item.level, [toc_tree(child) for child in item.children]]


def nav_tree(items) -> list:
    return [[type(i).__name__, i.title, getattr(i, "url", None), nav_tree(getattr(i, "children", None) or [])] for i in items]


class Store:
    """Values by slot (what: a page's render, in a language) and key (a digest of all it read), one
    pickle per key; in memory too under serve. Entries a build did not use are deleted after it."""

    def __init__(self, in_memory: bool):
        self.memory = {} if in_memory else None
        self.used: set[str] = set()

    def recall(self, slot, key):
        path = CACHE_DIR / f"{key[:32]}.pickle"
        self.used.add(path.name)
        if self.memory is not None and slot in self.memory and self.memory[slot][0] == key:
            return self.memory[slot][1]
        if not path.is_file():
            return None
        value = pickle.loads(path.read_bytes())  # written by `remember`, in this project's own cache
        if self.memory is not None:
            self.memory[slot] = (key, value)
        return value

    def remember(self, slot, key, value) -> None:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        (CACHE_DIR / f"{key[:32]}.pickle").write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if self.memory is not None:
            self.memory[slot] = (key, value)

    def forget_unused(self) -> None:
        for path in CACHE_DIR.glob("*.pickle"):
            if path.name not in self.used:
                path.unlink()
        self.used = set()


class CountWarnings(logging.Handler):
    """Counts the warnings MkDocs logs inside a `with` block."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1

    def __enter__(self):
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("mkdocs").removeHandler(self)


class JiebaMemo:
    """Stands in for the `jieba` module in Material's search plugin: `cut` of a run it has seen is
    read from .cache/speed/jieba-*.json (keyed by jieba's version and dictionary); anything else
    (`set_dictionary`, `load_userdict`, a `cut` with options) goes to jieba itself."""

    def __init__(self, jieba):
        self.jieba, self.used, self.bypass = jieba, {}, False
        self._load()

    def _load(self) -> None:
        self.target = CACHE_DIR / f"jieba-{digest(self.jieba.__version__, self.jieba.dt.dictionary)[:16]}.json"
        self.words = json.loads(self.target.read_text(encoding="utf-8")) if self.target.is_file() else {}

    def __getattr__(self, name):
        return getattr(self.jieba, name)

    def set_dictionary(self, path) -> None:  # search.jieba_dict: another dictionary, other words
        self.jieba.set_dictionary(path)
        self._load()

    def load_userdict(self, path) -> None:  # search.jieba_dict_user: words added in place; no memo
        self.bypass = True
        self.jieba.load_userdict(path)

    def cut(self, sentence, *args, **kwargs):
        if args or kwargs or self.bypass:
            return self.jieba.cut(sentence, *args, **kwargs)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        if text not in self.words:
            self.words[text] = list(self.jieba.cut(sentence))
        self.used[text] = self.words[text]
        return iter(self.words[text])

    def save(self) -> None:
        """Keep the runs this build used (both languages), when they differ from what is on disk."""
        if not self.used:
            return
        used, self.used = dict(sorted(self.used.items())), {}
        if not self.target.is_file() or json.loads(self.target.read_text(encoding="utf-8")) != used:
            for stale in CACHE_DIR.glob("jieba-*.json"):
                stale.unlink()
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            self.target.write_text(json.dumps(used, ensure_ascii=False, indent=0), encoding="utf-8")


class TemplateMemo(jinja2.BytecodeCache):
    """A jinja2 bytecode cache in memory, for `mkdocs serve`: MkDocs makes a new jinja environment on
    each build, which compiles the theme's templates again (67 of them, a sixth of a page rebuild).
    jinja keys each template by its name and file and checks its source's checksum; every build
    configures the environment the same way, so the compiled code is the same."""

    def __init__(self):
        self.codes = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.bytecode_to_string()


def same_bytes(path: str, content: bytes) -> bool:
    """Whether `path` holds `content` already; then its time is set to now (what a write would do),
    as rewriting an unchanged file costs more here than reading it."""
    try:
        if os.path.getsize(path) != len(content):
            return False
        with open(path, "rb") as existing:
            if existing.read() != content:
                return False
    except OSError:
        return False
    os.utime(path)
    return True
