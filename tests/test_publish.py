"""Publishing: the GitHub Pages workflow is valid and least-privilege, and the site works under a
sub-path /REPO/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "pages.yml"
# `uses: owner/repo@<full commit> # v1.2.3`: the commit is what runs, the comment is what a reader checks.
PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
# Any of these would let zizmor call GitHub's API (its online audits); the check must not depend on them.
GITHUB_TOKENS = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")


def check_workflow(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema it vendors (works offline)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True)


def zizmor(workflows: Path) -> subprocess.CompletedProcess:
    """zizmor, the GitHub Actions security linter, on every workflow in a folder, offline: no GitHub
    token, and proxies that refuse every connection, so an audit that reached for the network would
    fail here rather than pass on a machine that has one. The file under audit cannot silence it:
    --no-ignores overrides `# zizmor: ignore[...]` comments and --no-config any zizmor.yml;
    --strict-collection fails on a workflow it cannot parse instead of skipping it."""
    executable = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert executable, "zizmor is not installed: pip install -r requirements-test.txt"
    environment = {name: value for name, value in os.environ.items() if name not in GITHUB_TOKENS}
    refused = "http://127.0.0.1:9"
    environment.update(HTTP_PROXY=refused, HTTPS_PROXY=refused, ALL_PROXY=refused, NO_PROXY="")
    command = [executable, "--offline", "--no-config", "--no-ignores", "--strict-collection"]
    command += ["--persona", "regular", "--format", "plain", "--color", "never", "--no-progress", str(workflows)]
    return subprocess.run(command, capture_output=True, text=True, env=environment)


def test_the_workflow_matches_githubs_schema():
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_caught(tmp_path):
    broken = tmp_path / "pages.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    assert check_workflow(broken).returncode != 0


def test_zizmor_finds_nothing_in_any_workflow():
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def grant_pages_at_the_workflow_level(text: str, keep_job_permissions: bool = False) -> str:
    """The layout this workflow once had: Pages write and the OIDC token granted to the whole workflow
    (and, unless kept, no job narrowing them), so the build job could mint a deployment token."""
    granted = "\npermissions:\n  contents: read\n  pages: write\n  id-token: write\n"
    text = text.replace("\npermissions: {}\n", granted, 1)
    return text if keep_job_permissions else re.sub(r"\n    permissions:\n(?:      .*\n)+", "\n", text)


# Each change undoes one protection of pages.yml; zizmor must name the audit that catches it.
WEAKENED = {
    "unpinned-uses": lambda text: re.sub(r"actions/checkout@[0-9a-f]{40} # (v\d+)\S*", r"actions/checkout@\1", text),
    "excessive-permissions": grant_pages_at_the_workflow_level,
    "artipacked": lambda text: re.sub(r"\n +with:\n +persist-credentials: false", "", text, count=1),
    "template-injection": lambda text: text.replace(
        "run: python -m pytest", "run: echo ${{ github.event.head_commit.message }} && python -m pytest", 1
    ),
}


@pytest.mark.parametrize("audit", sorted(WEAKENED))
def test_zizmor_catches_a_weakened_workflow(tmp_path, audit):
    original = WORKFLOW.read_text()
    weakened = WEAKENED[audit](original)
    assert weakened != original, f"the {audit} change no longer applies to pages.yml: update WEAKENED"
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "pages.yml").write_text(weakened)
    assert check_workflow(folder / "pages.yml").returncode == 0, "the weakened workflow must still be valid"
    result = zizmor(folder)
    assert result.returncode != 0 and audit in result.stdout, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment():
    lines = [line for line in WORKFLOW.read_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines, "no `uses:` found in pages.yml"
    assert [line for line in lines if not PINNED_USES.match(line)] == []


def permission_problems(workflow: dict) -> list[str]:
    """Where a workflow departs from least privilege. zizmor passes a workflow-level grant that every
    job overrides (it is dead), but the next job added without a `permissions:` block would inherit it."""
    problems = []
    if workflow.get("permissions") not in ({}, {"contents": "read"}):
        problems.append(f"workflow level: {workflow.get('permissions')} (at most contents: read)")
    needs = {"build": {"contents": "read"}, "deploy": {"pages": "write", "id-token": "write"}}
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions")
        if granted is None:
            problems.append(f"{name}: no permissions of its own, so it inherits the workflow's")
        elif name in needs and granted != needs[name]:
            problems.append(f"{name}: {granted}, needs exactly {needs[name]}")
        elif name != "deploy" and "write" in granted.values():
            problems.append(f"{name}: {granted}, only deploy may write")
    return problems


def test_only_the_deploy_job_can_publish_and_only_from_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert permission_problems(workflow) == []
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    # The job that can publish runs no code of the repository's: one action, no checkout, no `run:`.
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["concurrency"]["group"]


@pytest.mark.parametrize("keep_job_permissions", [False, True], ids=["inherited", "overridden"])
def test_workflow_level_pages_write_is_caught(keep_job_permissions):
    weakened = grant_pages_at_the_workflow_level(WORKFLOW.read_text(), keep_job_permissions)
    problems = permission_problems(yaml.safe_load(weakened))
    assert any(problem.startswith("workflow level:") for problem in problems), problems


def test_the_build_job_tests_everything_before_it_uploads():
    build_job = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]
    steps = build_job["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    runs = [step.get("run", "") for step in steps]
    assert any("download.pytorch.org/whl/cpu" in run for run in runs)
    assert any("fonts-noto-cjk" in run for run in runs), "without Noto CJK, Chinese renders as boxes"
    build_step = next(index for index, run in enumerate(runs) if "mkdocs build --strict" in run)
    test_step = next(index for index, run in enumerate(runs) if "pytest" in run)
    upload_step = next(i for i, step in enumerate(steps) if "upload-pages-artifact" in step.get("uses", ""))
    assert build_step < test_step < upload_step
    assert runs[test_step].strip() == "python -m pytest", "the whole suite, browser tests included"
    assert steps[test_step]["env"]["CHROMIUM"], "the runner's browser, named for scripts/scratch.py"
    # The published figures come from this run's build: nothing restores docs/generated/ from a cache.
    assert not any(step.get("uses", "").startswith("actions/cache@") for step in steps)


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
    ids = {}  # page -> its ids, each page parsed once (a page is the target of hundreds of anchors)
    for source, page, fragment in anchors:
        if seen.get(page) is not None:
            if page not in ids:
                parsed = Links()
                parsed.feed(seen[page].decode("utf-8", "replace"))
                ids[page] = parsed.ids
            if fragment not in ids[page]:
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
