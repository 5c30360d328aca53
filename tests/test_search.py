"""The site's search index, as Material's own search worker reads it (in node, on the shared build),
and what scripts/search_ranking.py adds to it. What readers find in the browser is tested in
tests/test_browser.py (a scheduler's name) and tests/test_troubleshooting.py (a pasted message)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import search_ranking  # noqa: E402
from catalog import LANGUAGES  # noqa: E402

NODE = shutil.which("node")
MATERIAL_JS = next((ROOT / ".venv" / "lib").glob("python3*/site-packages/material/templates/assets/javascripts"), None)


def worker(site: Path, language: str, queries: list[str]) -> dict:
    index = site / ("" if language == LANGUAGES[0] else language) / "search" / "search_index.json"
    result = subprocess.run(
        [NODE, str(ROOT / "tests" / "search_worker.cjs"), str(MATERIAL_JS), str(index)],
        input=json.dumps(queries), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.mark.skipif(NODE is None or MATERIAL_JS is None, reason="needs node and Material's search worker")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_worker_can_look_up_every_word_it_indexed(site, language):
    """lunr 2.3.9 expands each query word against a trie of the index's words (TokenSet). Its
    minimisation keys a node by its edge labels and child ids written one after the other, so with
    digits as labels two different nodes can look equal and be merged: the trie then holds words the
    index lacks, and a query expanded to one throws "Cannot read properties of undefined (reading
    '_index')" in the worker, which answers nothing (the Chinese site did, for any query holding "1").
    The search separator (mkdocs.yml) keeps digits out of words; this holds the trie to the index."""
    answer = worker(site, language, ["1", "ValueError: Expected 1 lr_lambdas, but got 2", "PyTorch 2.13", "1cycle"])
    words, lookup = set(answer["words"]), set(answer["lookup"])
    assert lookup == words, f"words the trie invents: {sorted(lookup - words)[:10]}, loses: {sorted(words - lookup)[:10]}"
    # The one digit a word may hold: the first letter of "1cycle", an edge of the trie's root, which
    # the minimisation never keys.
    numbers = [word for word in words if any(c.isdigit() for c in word) and not word.startswith("1cycle")]
    assert numbers == [], f"a number became a search word: {numbers[:10]}"
    for result in answer["results"]:
        assert result["warning"] is None, f"{result['query']!r}: {result['warning'][:300]}"


@pytest.mark.skipif(NODE is None or MATERIAL_JS is None, reason="needs node and Material's search worker")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_scheduler_known_by_another_name_finds_its_page_first(site, catalog, language):
    """OneCycleLR implements "the 1cycle learning rate policy": both names list one of its pages
    first, not the troubleshooting entry of `cycle_momentum` (digits were separators, so "1cycle"
    was the word "cycle"; search_ranking.ALSO_KNOWN_AS and mkdocs.yml's separator answer it)."""
    pages = {example.page_src().removesuffix(".md") + "/" for example in catalog.examples if "OneCycleLR" in example.classes}
    queries = ["1cycle", "OneCycleLR"]
    for query, result in zip(queries, worker(site, language, queries)["results"]):
        first = result["sections"][0].split("#")[0] if result["sections"] else None
        assert first in pages, f"{language}: {query!r} lists {first} first, not a page of OneCycleLR ({sorted(pages)})"


def test_every_page_has_its_own_entry_in_its_languages_index(site):
    """static-i18n, when it reconfigures search, drops each Chinese entry equal to its English twin:
    the article entry of every page titled by a class name, which Material ranks by its title."""
    for language in LANGUAGES:
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        docs = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        pages = {doc["location"].split("#")[0] for doc in docs}
        articles = {doc["location"] for doc in docs if "#" not in doc["location"]}
        assert pages == articles, f"{prefix}search/search_index.json: pages without their entry: {sorted(pages - articles)[:5]}"


def test_class_pages_weigh_more_and_chinese_pages_carry_their_glossary_term():
    meta = search_ranking.search_meta({}, "schedulers/steplr.md", "en")
    assert meta == {"search": {"boost": search_ranking.CLASS_PAGE_BOOST}}
    assert search_ranking.search_meta({}, "schedulers/timm-step.md", "en") == {}  # timm's, not torch's
    assert search_ranking.search_meta({}, "schedulers/cycliclr-triangular.md", "en")["search"]
    # a boost in the page's front matter is relative to its kind; what else the page has is kept
    meta = search_ranking.search_meta({"search": {"boost": 2}, "tags": ["x"]}, "schedulers/cosineannealinglr.md", "zh")
    assert meta == {"search": {"boost": 2 * search_ranking.CLASS_PAGE_BOOST}, "tags": ["x", "余弦退火"]}
    assert "tags" not in search_ranking.search_meta({}, "schedulers/cosineannealinglr.md", "en")
    # another name of a class is a tag of its pages in every language; the troubleshooting page weighs more
    assert search_ranking.search_meta({}, "schedulers/onecyclelr-linear.md", "en")["tags"] == ["1cycle"]
    assert search_ranking.search_meta({}, "schedulers/onecyclelr-cos.md", "zh")["tags"][0] == "1cycle"
    assert search_ranking.search_meta({}, "troubleshooting.md", "zh") == {"search": {"boost": search_ranking.TROUBLESHOOTING_BOOST}}


def test_glossary_terms_are_read_from_its_linked_rows(tmp_path):
    (tmp_path / "glossary.zh.md").write_text(
        "| 术语 | 英文 | 含义 | 见 |\n|---|---|---|---|\n"
        "| [余弦退火](schedulers/cosineannealinglr.md) | `cosine annealing` | … | … |\n"
        "| 退火 | `annealing` | 见 [余弦退火](schedulers/cosineannealinglr.md) | … |\n",
        encoding="utf-8",
    )
    assert search_ranking.glossary_terms("zh", tmp_path) == {"schedulers/cosineannealinglr.md": ("余弦退火",)}
    # the real glossary links the four terms it links today
    assert {"schedulers/cosineannealinglr.md", "schedulers/exponentiallr.md"} <= set(search_ranking.glossary_terms("zh"))
