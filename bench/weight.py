"""Page weight and site size: the bytes a first visit fetches in headless Chromium, and what site/ holds."""

from __future__ import annotations

import gzip
from pathlib import Path

from common import CHROMIUM, CHROMIUM_ARGS, GOALS, KB, static_server

# Pages whose first visit is weighed; the example pages are the ones the goal is about.
WEIGHED_PAGES = ["", "schedulers/steplr/", "zh/", "zh/schedulers/steplr/", "gallery/", "summary/"]
EXAMPLE_PAGES = {"schedulers/steplr/", "zh/schedulers/steplr/"}


def measure_weight(site: Path) -> dict:
    """First visits in headless Chromium (fresh context: empty cache) against a server that does not
    compress: the sums are uncompressed body bytes, what GitHub Pages would send before gzip."""
    from playwright.sync_api import sync_playwright

    pages = {}
    with static_server(site) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in WEIGHED_PAGES:
                context = browser.new_context()
                page = context.new_page()
                responses = []
                page.on("response", lambda response: responses.append(response))
                page.goto(base + path, wait_until="networkidle")
                resources = []
                for response in responses:
                    try:
                        body = response.body()
                    except Exception:  # a redirect has no body
                        body = b""
                    resources.append(
                        {
                            "url": response.url.removeprefix(base),
                            "bytes": len(body),
                            # What a server that gzips text (GitHub Pages does) would send instead; PNG is not recompressed.
                            "gzip_bytes": len(body) if response.url.endswith(".png") else len(gzip.compress(body, 6)),
                            "type": response.request.resource_type,
                            "status": response.status,
                        }
                    )
                context.close()
                resources.sort(key=lambda resource: -resource["bytes"])
                pages[path or "/"] = {
                    "bytes": sum(resource["bytes"] for resource in resources),
                    "gzip_bytes": sum(resource["gzip_bytes"] for resource in resources),
                    "requests": len(resources),
                    "errors": [resource for resource in resources if resource["status"] >= 400],
                    "resources": resources,
                }
            browser.close()
    return pages


def measure_site(site: Path) -> dict:
    files = [path for path in site.rglob("*") if path.is_file()]
    by_type: dict[str, int] = {}
    for path in files:
        by_type[path.suffix or "(none)"] = by_type.get(path.suffix or "(none)", 0) + path.stat().st_size
    figures = sorted(
        ((path.relative_to(site).as_posix(), path.stat().st_size) for path in (site / "generated").rglob("*.svg")),
        key=lambda item: -item[1],
    )
    limit = GOALS["figure_kb"] * KB
    return {
        "bytes": sum(path.stat().st_size for path in files),
        "files": len(files),
        "bytes_by_type": dict(sorted(by_type.items(), key=lambda item: -item[1])),
        "figures": len(figures),
        "figure_bytes": sum(size for _, size in figures),
        "largest_figures": figures[:8],
        "figures_over_goal": [name for name, size in figures if size >= limit],
    }


