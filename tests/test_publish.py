"""Publishing: the GitHub Pages workflow is valid, and the site works under a sub-path /REPO/."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def check_workflow(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema it vendors (works offline)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True)


def test_the_workflow_matches_githubs_schema():
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_caught(tmp_path):
    broken = tmp_path / "pages.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    assert check_workflow(broken).returncode != 0


def test_the_workflow_has_least_privilege_and_deploys_only_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    assert workflow["jobs"]["deploy"]["if"] == "github.ref == 'refs/heads/main'"
    steps = " ".join(str(step) for step in workflow["jobs"]["build"]["steps"])
    assert "download.pytorch.org/whl/cpu" in steps and "--strict" in steps
    assert "actions/upload-pages-artifact" in steps and "not browser" in steps
    deploy = " ".join(str(step) for step in workflow["jobs"]["deploy"]["steps"])
    assert "actions/deploy-pages" in deploy


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.urls.append(attrs[name])


def crawl(start: str):
    """Every page and asset reachable from `start` on the same server: {url: (status, body)}."""
    seen, queue, broken, anchors = {}, [start], [], []
    host = urlsplit(start).netloc
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urlopen(url) as response:
                body, kind = response.read(), response.headers.get_content_type()
        except HTTPError as error:
            seen[url] = None
            broken.append(f"{error.code} {url}")
            continue
        seen[url] = body
        if kind != "text/html":
            continue
        links = Links()
        links.feed(body.decode("utf-8"))
        for reference in links.urls:
            target = urljoin(url, reference)
            if urlsplit(target).netloc != host or urlsplit(target).scheme not in ("http", "https"):
                continue
            page, fragment = urldefrag(target)
            if fragment and fragment not in ("only-light", "only-dark"):
                anchors.append((url, page, fragment))
            queue.append(page)
    for source, page, fragment in anchors:
        if seen.get(page) is not None:
            ids = Links()
            ids.feed(seen[page].decode("utf-8", "replace"))
            if fragment not in ids.ids:
                broken.append(f"#{fragment} missing in {page} (linked from {source})")
    return seen, broken


def test_the_site_works_under_a_sub_path_in_both_languages(site, site_server):
    root = site_server
    seen, broken = crawl(root)
    assert broken == [], "\n".join(broken)
    pages = {url for url, body in seen.items() if url.endswith("/")}
    assert root + "zh/" in pages and root + "schedulers/steplr/" in pages and root + "zh/schedulers/steplr/" in pages
    html = (site / "zh" / "schedulers" / "steplr" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.github.io/lr-gallery/zh/schedulers/steplr/">' in html
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.github.io/lr-gallery/zh/schedulers/steplr/" in sitemap
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'href="/lr-gallery/assets/stylesheets/main\.[0-9a-f]+\.min\.css"', not_found)
