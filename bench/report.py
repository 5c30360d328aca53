"""bench/results.md from the measurements (bench/results.json): the stamp, the goals, then each part."""

from __future__ import annotations

from common import GOALS, KB
from serve import EDITED_FIGURE, EDITED_PAGE, EDITED_PAGE_SOURCE, EDITED_SCRIPT, POLL_SECONDS
from weight import EXAMPLE_PAGES, WEIGHED_PAGES


def seconds_cell(value: dict) -> str:
    if value.get("median") is None:
        return f"not visible within {value['timeout_s']:.0f} s"
    return f"{value['median']:.2f} s (min {value['min']:.2f}, max {value['max']:.2f}, n={value['n']})"


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def loads(values) -> str:
    return ", ".join(f"{x:.2f}" for x in values)


def report(results: dict) -> str:
    m, b, s, w, site, t = (results[k] for k in ("machine", "builds", "serve", "weight", "site", "suite"))
    counts = results.get("site_counts", {})
    lines = [
        "# Benchmark results",
        "",
        *(["**A quick run (`--quick`): it proves the harness works; its numbers measure nothing.**", ""] if results["quick"] else []),
        f"- Commit: `{results['commit']}`; the site: {counts.get('pages', '?')} pages (both languages, 404 pages apart) "
        f"from {counts.get('scripts', '?')} gallery scripts",
        f"- Made by `bench/run.py --runs {results['runs']} --suite-runs {results['suite_runs']}` on {m['date']}: medians of "
        "whole-process wall-clock times, in a scratch copy of the project; ratios are taken within each run, then their median.",
        f"- Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, {m['platform']}, Python {m['python']}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in m["versions"].items() if version) + f"; {m['chromium']}",
        f"- Load average (1, 5, 15 min) at start {loads(results['load_average']['start'])}, at end {loads(results['load_average']['end'])}; "
        "1 min after each part: " + ", ".join(f"{n} {v[0]:.2f}" for n, v in results["load_average"].items() if n not in ("start", "end")),
        "",
        "## Against the goals",
        "",
        "| Goal | Measured | Goal | Met |",
        "|---|---|---|---|",
    ]
    for target, label in (("test", "`make test`"), ("check", "`make check`")):
        run = t[target]
        busy = max(run["load_before"]) >= GOALS["load_below"]
        where = f"load before {loads(run['load_before'])}" + (f", **not below {GOALS['load_below']:g}**: slower than the goal's conditions" if busy else "")
        lines.append(f"| {label} at a load below {GOALS['load_below']:g} | {run['median']:.0f} s (n={run['n']}; {where}) | ≤ {run['goal_s']} s | {met(run['median'] <= run['goal_s'])} |")
    ratio = b["cold_over_plain_floor"]["median"]
    lines.append(f"| Cold build within 1.5x the plain floor | {ratio:.2f}x (cold {b['cold_build_s']['median']:.2f} s / plain floor {b['plain_floor_s']['median']:.2f} s) | ≤ {GOALS['cold_over_plain_floor']}x | {met(ratio <= GOALS['cold_over_plain_floor'])} |")
    ratio = b["nochange_over_cold"]["median"]
    lines.append(f"| No-change rebuild at most 1/4 of the cold build | {ratio:.2f}x ({b['nochange_rebuild_s']['median']:.2f} s) | ≤ {GOALS['nochange_over_cold']}x | {met(ratio <= GOALS['nochange_over_cold'])} |")
    for value, label, goal in (
        (s["script_edit_s"], "Saved gallery script visible, figure and page in both languages (`make serve`)", "serve_script_s"),
        (s["markdown_edit_s"], "Saved Markdown page visible (`make serve`)", "serve_markdown_s"),
    ):
        ok = value["median"] is not None and value["median"] <= GOALS[goal]
        lines.append(f"| {label} | {seconds_cell(value)} | ≤ {GOALS[goal]} s | {met(ok)} |")
    for path in WEIGHED_PAGES:
        if path in EXAMPLE_PAGES:
            size, gzipped = w[path]["bytes"] / KB, w[path]["gzip_bytes"] / KB
            lines.append(f"| First visit of /{path} | {size:.0f} kB uncompressed in {w[path]['requests']} requests (≈ {gzipped:.0f} kB gzipped) | < {GOALS['example_page_kb']} kB | {met(size < GOALS['example_page_kb'])} |")
    largest_name, largest = site["largest_figures"][0]
    lines.append(f"| Every figure under 40 kB | largest {largest / KB:.1f} kB ({largest_name}); {len(site['figures_over_goal'])} of {site['figures']} over | < {GOALS['figure_kb']} kB | {met(not site['figures_over_goal'])} |")

    lines += ["", "## Test suite", "", "| Make target | Command | Runs (s) | Load before each |", "|---|---|---|---|"]
    lines += [f"| `make {target}` | `{run['command']}` | {', '.join(f'{x:.0f}' for x in run['seconds'])} | {loads(run['load_before'])} |" for target, run in t.items()]
    lines += ["", "## Builds", "", "| Measurement | Median | Min | Max | n | Runs |", "|---|---|---|---|---|---|"]
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
    differences = [f"{what}: {', '.join(check[key])}" for key, what in (("different", "different"), ("only_in_site", "only in the site"), ("only_in_floor", "only in the floor")) if check[key]]
    lines += [
        "",
        f"The plain floor saves as many figures as the site publishes ({b['figures_published']} SVG files), each 7.2 x 3.6 in "
        "with one 32-point line with markers. The figure floor drew "
        f"{check['figures_drawn']} SVG files of the site's {check['figures_published']}, {check['identical']} byte-identical"
        + "".join(f"; {d}" for d in differences) + ": the same figure work as the build, minus MkDocs. Where its time goes (medians, s):",
        "",
        "| Figure floor step | s |",
        "|---|---|",
        *(f"| {name.replace('  ', '&nbsp;&nbsp;')} | {seconds:.2f} |" for name, seconds in b["figure_floor_timings"].items()),
        "",
        "## Edit under `mkdocs serve`",
        "",
        f"`mkdocs serve {' '.join(s['args'])}` (what `make serve` runs, on a free port) served its first page {s['startup_s']:.1f} s "
        f"after start, watching {s['watched']}. Each edit: the file is written, then the served resource is fetched every "
        f"{POLL_SECONDS * 1000:.0f} ms until it shows the change (the livereload server holds a request while it rebuilds). "
        "The file is restored, and the server left idle, between runs.",
        "",
        "| Edit | Polled | Time to visible |",
        "|---|---|---|",
        f"| {EDITED_SCRIPT}: another `gamma` | /{EDITED_FIGURE} | {seconds_cell(s['script_edit_s'])} |",
        f"| {EDITED_PAGE_SOURCE}: one sentence appended | /{EDITED_PAGE} | {seconds_cell(s['markdown_edit_s'])} |",
        "",
        "## Page weight (first visit) and site size",
        "",
        "Headless Chromium, empty cache, 1280x720, against a server that does not compress: kB are uncompressed body "
        "bytes; GitHub Pages gzips text, estimated by gzip -6 of each body.",
        "",
        "| Page | kB | ≈ kB gzipped | Requests | Largest resources (kB) |",
        "|---|---|---|---|---|",
    ]
    for path in WEIGHED_PAGES:
        page = w[path or "/"]
        largest = ", ".join(f"{r['url'] or '/'} {r['bytes'] / KB:.0f}" for r in page["resources"][:5])
        errors = "".join(f" Error: {r['status']} {r['url']}" for r in page["errors"])
        lines.append(f"| /{path} | {page['bytes'] / KB:.0f} | {page['gzip_bytes'] / KB:.0f} | {page['requests']} | {largest}{errors} |")
    lines += [
        "",
        f"site/: {site['bytes'] / KB:.0f} kB in {site['files']} files; by type (kB): "
        + ", ".join(f"{suffix} {size / KB:.0f}" for suffix, size in list(site["bytes_by_type"].items())[:8])
        + f". Figures (SVG under site/generated/): {site['figures']}, {site['figure_bytes'] / KB:.0f} kB in all; largest (kB): "
        + ", ".join(f"{name} {size / KB:.1f}" for name, size in site["largest_figures"]) + ".",
    ]
    if "profile" in results:
        lines += profile_section(results["profile"])
    lines += [
        "",
        "## How to rerun",
        "",
        "`make bench`, or `.venv/bin/python bench/run.py --runs 3 --suite-runs 1` (`--profile` adds py-spy profiles; "
        "see `--help`). Measure on a quiet machine: the goals hold at a load below 2.",
        "",
    ]
    return "\n".join(lines)


def profile_section(p: dict) -> list[str]:
    cold, nochange = p["cold"], p["nochange"]
    lines = [
        "",
        "## Where the time goes (py-spy, `--profile`)",
        "",
        f"One cold build ({cold['wall_s']:.1f} s while sampled) and one no-change rebuild ({nochange['wall_s']:.1f} s). Each "
        "function's share of the samples (counted once per sample, wherever it sits in the stack) times the unprofiled median.",
        "",
        "| Function (inclusive) | Cold build s | No-change rebuild s |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {seconds:.2f} | {nochange['functions'].get(name, 0.0):.2f} |" for name, seconds in cold["functions"].items()]
    lines += ["", "| Package (innermost frame) | Cold build s | No-change rebuild s |", "|---|---|---|"]
    lines += [f"| {name} | {seconds:.2f} | {nochange['self_by_package'].get(name, 0.0):.2f} |" for name, seconds in cold["self_by_package"].items()]
    return lines
