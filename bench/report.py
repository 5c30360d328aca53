"""bench/results.md from the measurements (bench/results.json): the goals first, then each part."""

from __future__ import annotations

from common import GOALS, KB
from profiling import PLACES, SAMPLE_RATE
from serve import EDITED_FIGURE, EDITED_PAGE, EDITED_PAGE_SOURCE, EDITED_SCRIPT, POLL_SECONDS, SCRIPT_EDIT
from weight import EXAMPLE_PAGES, WEIGHED_PAGES


def seconds_cell(value: dict) -> str:
    if value.get("median") is None:
        return f"not visible within {value['timeout_s']:.0f} s"
    return f"{value['median']:.2f} s (min {value['min']:.2f}, max {value['max']:.2f}, n={value['n']})"


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(results: dict) -> str:
    m, b, s, w, site = results["machine"], results["builds"], results["serve"], results["weight"], results["site"]
    lines = [
        "# Benchmark results",
        "",
        f"Made by `make bench` (bench/run.py, --runs {results['runs']}) on {m['date']}. Medians of whole-process "
        "wall-clock times, measured in a scratch copy of the project; ratios are taken within each run, then their median.",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, {m['platform']}, Python {m['python']}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in m["versions"].items() if version),
        f"- Browser: {m['chromium']}",
        "- Load average (1, 5, 15 min) at start: "
        + ", ".join(f"{x:.2f}" for x in results["load_average"]["start"])
        + "; at end: "
        + ", ".join(f"{x:.2f}" for x in results["load_average"]["end"])
        + f" (on {m['nproc']} CPUs: other work on the machine slows every number down)",
        "- Load average (1 min) after each part: "
        + ", ".join(f"{name} {values[0]:.2f}" for name, values in results["load_average"].items() if name not in ("start", "end")),
        "",
        "## Against the goals",
        "",
        "| Goal | Measured | Goal | Met |",
        "|---|---|---|---|",
    ]
    ratio = b["cold_over_plain_floor"]["median"]
    lines.append(f"| Cold build within 1.5x the plain floor | {ratio:.2f}x (cold {b['cold_build_s']['median']:.2f} s / plain floor {b['plain_floor_s']['median']:.2f} s) | ≤ {GOALS['cold_over_plain_floor']}x | {met(ratio <= GOALS['cold_over_plain_floor'])} |")
    ratio = b["nochange_over_cold"]["median"]
    lines.append(f"| No-change rebuild at most 1/4 of the cold build | {ratio:.2f}x ({b['nochange_rebuild_s']['median']:.2f} s) | ≤ {GOALS['nochange_over_cold']}x | {met(ratio <= GOALS['nochange_over_cold'])} |")
    served = s["make_serve"]
    edits = [
        (served["script_edit_s"], "Saved gallery script visible, figure and page in both languages (`make serve`)", "serve_script_s"),
        (served["markdown_edit_s"], "Saved Markdown page visible (`make serve`)", "serve_markdown_s"),
    ]
    if "watch_gallery" in s:
        edits.insert(1, (s["watch_gallery"]["script_edit_s"], "Saved gallery script visible (`make serve` + `--watch gallery`)", "serve_script_s"))
    for value, label, goal in edits:
        ok = value["median"] is not None and value["median"] <= GOALS[goal]
        lines.append(f"| {label} | {seconds_cell(value)} | ≤ {GOALS[goal]} s | {met(ok)} |")
    for path in WEIGHED_PAGES:
        if path in EXAMPLE_PAGES:
            size = w[path]["bytes"] / KB
            gzipped = w[path]["gzip_bytes"] / KB
            lines.append(
                f"| First visit of /{path} | {size:.0f} kB uncompressed in {w[path]['requests']} requests "
                f"(≈ {gzipped:.0f} kB if gzipped) | < {GOALS['example_page_kb']} kB | {met(size < GOALS['example_page_kb'])} |"
            )
    largest_name, largest = site["largest_figures"][0]
    lines.append(f"| Every figure under 40 kB | largest {largest / KB:.1f} kB ({largest_name}); {len(site['figures_over_goal'])} of {site['figures']} over | < {GOALS['figure_kb']} kB | {met(not site['figures_over_goal'])} |")

    lines += [
        "",
        "## Builds",
        "",
        "| Measurement | Median | Min | Max | n | Runs |",
        "|---|---|---|---|---|---|",
    ]
    for key, label, unit in (
        ("cold_build_s", "Cold build: no docs/generated, no site (`mkdocs build --strict`)", "s"),
        ("nochange_rebuild_s", "No-change rebuild, right after", "s"),
        ("plain_floor_s", f"Plain floor: import torch and matplotlib, save {b['figures_published']} single-axes SVG figures", "s"),
        ("figure_floor_s", "Figure floor: the gallery scripts, figures.scrape and the summary, without MkDocs", "s"),
        ("cold_over_plain_floor", "Cold build / plain floor", "x"),
        ("cold_over_figure_floor", "Cold build / figure floor (what MkDocs adds)", "x"),
        ("figure_floor_over_plain_floor", "Figure floor / plain floor (what the site's figure work adds)", "x"),
        ("nochange_over_cold", "No-change rebuild / cold build", "x"),
    ):
        v = b[key]
        lines.append(f"| {label} | {v['median']:.2f} {unit} | {v['min']:.2f} | {v['max']:.2f} | {v['n']} | {', '.join(f'{x:.2f}' for x in v['values'])} |")
    check = b["figure_floor_matches_site"]
    lines += [
        "",
        f"The plain floor saves as many figures as the site publishes ({b['figures_published']} SVG files: each "
        "example's figures light and dark, and the summary light and dark), each 7.2 x 3.6 in with one 32-point line "
        "with markers, matplotlib's defaults otherwise. The figure floor drew "
        f"{check['figures_drawn']} SVG files; the site publishes {check['figures_published']}; "
        f"{check['identical']} are byte-identical"
        + (f"; different: {', '.join(check['different'])}" if check["different"] else "")
        + (f"; only in the site: {', '.join(check['only_in_site'])}" if check["only_in_site"] else "")
        + (f"; only in the floor: {', '.join(check['only_in_floor'])}" if check["only_in_floor"] else "")
        + ". So the figure floor does the same figure work as the build, minus MkDocs. Where its time goes "
        "(medians, seconds, timed inside its process):",
        "",
        "| Figure floor step | s |",
        "|---|---|",
        *(f"| {name.replace('  ', '&nbsp;&nbsp;')} | {seconds:.2f} |" for name, seconds in b["figure_floor_timings"].items()),
        "",
        "## Edit under `mkdocs serve`",
        "",
        f"`mkdocs serve {' '.join(served['args'])}` (what `make serve` runs, on a free port) served its first page "
        f"{served['startup_s']:.1f} s after start, watching {served['watched']}. "
        f"Each edit: the file is written, then the served resource is fetched every {POLL_SECONDS * 1000:.0f} ms until it shows the change "
        "(the livereload server holds a request while it rebuilds, so a changed answer is a finished rebuild). "
        "The file is restored, and the server left idle, between runs.",
        "",
        "| Edit | Polled | Time to visible |",
        "|---|---|---|",
        f"| {EDITED_SCRIPT}: {SCRIPT_EDIT[0]} → {SCRIPT_EDIT[1]} | /{EDITED_FIGURE} | {seconds_cell(served['script_edit_s'])} |",
        *(
            [f"| the same, with `--watch gallery` added | /{EDITED_FIGURE} | {seconds_cell(s['watch_gallery']['script_edit_s'])} |"]
            if "watch_gallery" in s
            else []
        ),
        f"| {EDITED_PAGE_SOURCE}: one sentence appended | /{EDITED_PAGE} | {seconds_cell(served['markdown_edit_s'])} |",
        "",
        "## Page weight (first visit)",
        "",
        "Headless Chromium, empty cache, light colour scheme, 1280x720, against the built site served by Python's "
        "`http.server`, **which does not compress**: kB are uncompressed body bytes. GitHub Pages gzips text, so "
        "HTML, CSS, JS, JSON and SVG travel smaller there: the gzipped column compresses each body with gzip -6 as an estimate.",
        "",
        "| Page | kB | ≈ kB gzipped | Requests | Largest resources (kB) |",
        "|---|---|---|---|---|",
    ]
    for path in WEIGHED_PAGES:
        page = w[path or "/"]
        largest = ", ".join(f"{r['url'] or '/'} {r['bytes'] / KB:.0f}" for r in page["resources"][:5])
        failed = ", ".join(f"{r['status']} {r['url']}" for r in page["errors"])
        errors = f" Errors: {failed}" if failed else ""
        lines.append(f"| /{path} | {page['bytes'] / KB:.0f} | {page['gzip_bytes'] / KB:.0f} | {page['requests']} | {largest}{errors} |")
    lines += [
        "",
        "## Site size",
        "",
        f"site/: {site['bytes'] / KB:.0f} kB in {site['files']} files; by type (kB): "
        + ", ".join(f"{suffix} {size / KB:.0f}" for suffix, size in list(site["bytes_by_type"].items())[:8])
        + ".",
        "",
        f"Figures (SVG under site/generated/): {site['figures']}, {site['figure_bytes'] / KB:.0f} kB in all. Largest (kB): "
        + ", ".join(f"{name} {size / KB:.1f}" for name, size in site["largest_figures"])
        + ".",
    ]
    p = results["profile"]
    markdown = served["markdown_rebuild_profile"]
    # The script edit's rebuild, from whichever session showed it (none if gallery/ was never watched).
    script = served.get("script_rebuild_profile") or s.get("watch_gallery", {}).get("script_rebuild_profile")
    columns = [p["cold"], p["nochange"], markdown, *([script] if script else [])]
    script_header = " Serve: script edit s |" if script else ""
    lines += [
        "",
        "## Where the time goes (py-spy)",
        "",
        f"py-spy sampled, {SAMPLE_RATE} times a second from outside the process: one cold build ({p['cold']['wall_s']:.1f} s "
        f"while sampled), one no-change rebuild ({p['nochange']['wall_s']:.1f} s while sampled) and, attached to "
        f"`mkdocs serve`, the rebuild after one Markdown edit (visible after {markdown['edit_visible_s']:.1f} s) and "
        + (f"the rebuild after one gallery script edit (visible after {script['edit_visible_s']:.1f} s). " if script else "no script edit (it never showed). ")
        + "py-spy pauses the process at each sample, which slows all code alike: so the build columns give each place's "
        "share of the samples times the unprofiled median of that build (the whole-build row); the serve columns give "
        "sampled seconds of the rebuild itself. A row counts every sample whose stack passes through its function, once; "
        "indented rows are part of the row above; the import rows overlap the others.",
        "",
        f"| Place | Cold build s | No-change rebuild s | Serve: Markdown edit s |{script_header}",
        "|---" * len(columns) + "|---|",
        "| whole build | " + " | ".join(f"{column['seconds']:.2f}" for column in columns) + " |",
    ]
    for label, _, _ in PLACES:
        shown = label.replace("  ", "&nbsp;&nbsp;")
        lines.append(f"| {shown} | " + " | ".join(f"{column['places'][label]:.2f}" for column in columns) + " |")
    lines += [
        "",
        "Innermost frame by package, outside the gallery scripts' own cells (seconds): where the rest goes.",
        "",
        f"| Package | Cold build | No-change rebuild | Serve: Markdown edit |{script_header.replace(' s |', ' |')}",
        "|---" * len(columns) + "|---|",
    ]
    packages = list(p["cold"]["self_by_package"])[:12]
    for column in columns[1:]:
        packages += [name for name in list(column["self_by_package"])[:5] if name not in packages]
    for package in packages:
        lines.append(f"| {package} | " + " | ".join(f"{column['self_by_package'].get(package, 0.0):.2f}" for column in columns) + " |")
    lines += [
        "",
        "## How to rerun",
        "",
        "`make bench`, or `.venv/bin/python bench/run.py --runs 5` (see `--help`). It takes several minutes: "
        "each run is a cold build, a no-change rebuild and the two floors; then the browser, `mkdocs serve` as `make serve` runs it (plus `--watch gallery` if a saved script never shows), with one profiled edit of each kind, and two profiled builds.",
        "",
    ]
    return "\n".join(lines)


