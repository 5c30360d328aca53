"""Chinese pages as a Chinese reader gets them: no stray space inside Chinese text, and the script
named in <html lang> (the shared build, and the line joining of scripts/hooks_language.py in-process)."""

from __future__ import annotations

import re

from hooks_language import join_cjk_lines

CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"  # Han characters and full-width punctuation
STRAY_SPACE = re.compile(rf"[{CJK}][ \t\n]+[{CJK}]")
# Text a reader does not read as prose: code, formulas, figures, scripts.
NOT_PROSE = re.compile(r"<(pre|code|script|style|math|svg)\b.*?</\1>", re.S)


def stray_spaces(html: str) -> list[str]:
    """Each space between two Chinese characters or punctuation marks within one text node."""
    found = []
    for node in re.findall(r">([^<]+)<", NOT_PROSE.sub("<x>", html)):
        found += [node[max(0, m.start() - 8) : m.end() + 8] for m in STRAY_SPACE.finditer(node)]
    return found


def test_no_stray_space_between_chinese_characters_on_any_chinese_page(site):
    problems = {}
    for page in sorted((site / "zh").rglob("*.html")):
        found = stray_spaces(page.read_text(encoding="utf-8"))
        if found:
            problems[page.relative_to(site).as_posix()] = found
    assert not problems, problems


def test_the_check_sees_a_stray_space():
    assert stray_spaces("<p>来设定。 浏览器</p>") == ["来设定。 浏览器"]
    assert stray_spaces("<p>降到 约 <code>1e-3</code></p>") == ["降到 约 "]
    assert stray_spaces("<p>学习率 <code>lr</code> 不变</p><pre>中 文</pre>") == []


def test_a_wrapped_list_item_is_joined_without_a_space():
    markdown = "- **试试**：任选调度器和参数来设定。\n  浏览器会算出学习率，\n  ）， 布尔值\n- 下一项\n"
    joined = join_cjk_lines(markdown)
    assert "来设定。浏览器会算出学习率，）， 布尔值" in joined and "\n- 下一项" in joined
    assert join_cjk_lines("```\n中\n  文\n```\n") == "```\n中\n  文\n```\n"  # code stays as written


def test_chinese_pages_name_simplified_chinese(site):
    pages = sorted((site / "zh").rglob("*.html"))
    assert pages
    for page in pages:
        head = page.read_text(encoding="utf-8")[:300]
        assert '<html lang="zh-CN"' in head, f"{page.relative_to(site)}: {head[:120]!r}"
    assert '<html lang="en"' in (site / "index.html").read_text(encoding="utf-8")[:300]
