"""The two floors a cold build is compared with, each run as its own fresh process:

    .venv/bin/python bench/floor.py plain N OUT      # the plain floor (the goal's yardstick)
    .venv/bin/python bench/floor.py figures PROJECT OUT   # the site's own figure work, without MkDocs

* plain: import torch and matplotlib, then save N single-axes figures as SVG (7.2 x 3.6 in, one
  32-point line with markers, matplotlib's defaults otherwise), N being the number of SVG files the
  site publishes. What any build of this site must at least do; the issue's goal is a cold build
  within 1.5x of it.
* figures: what the build itself does to make its figures, minus MkDocs: every gallery script run
  with the house style (figures.reset_style), its figures saved by figures.scrape (light SVG and its
  mapped dark twin, and the run's data), and the summary drawn by summary.render from the manifest
  (manifest.py) in every language and layout, and the other languages' figures mapped by
  figure_text.py, as the build draws them. Its files are
  compared byte for byte with the site's, so it is the same work. It writes where its time went
  (timings.json), which the report shows next to the plain floor's.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path


def plain(count: int, out: Path) -> None:
    import torch  # noqa: F401  (the floor pays for importing it, as every build does)
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    series = [1e-3 * 0.9**step for step in range(32)]
    for number in range(count):
        figure, axes = plt.subplots(figsize=(7.2, 3.6))
        axes.plot(series, marker="o")
        figure.savefig(out / f"plain_{number:03d}.svg", format="svg")
        plt.close(figure)


def figures_floor(project: Path, out: Path) -> None:
    """The same scripts, figures.reset_style before each (as the gallery's reset_modules does), then
    figures.scrape itself, then summary.render; no MkDocs."""
    clock = {"start": time.perf_counter()}
    sys.path.insert(0, str(project / "scripts"))
    from types import SimpleNamespace

    import torch

    clock["import torch"] = time.perf_counter()
    import matplotlib.pyplot as plt

    import figure_text
    import figures
    import manifest
    import summary
    from catalog import LANGUAGES, load_catalog
    from site_files import summary_src

    clock["import matplotlib and the build's modules"] = time.perf_counter()
    # The first optimizer a script makes imports torch._dynamo (torch's optimizers are wrapped in
    # torch._disable_dynamo, which imports it on first use): timed on its own here.
    torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=1e-3)
    clock["first optimizer (imports torch._dynamo)"] = time.perf_counter()

    plt.show = lambda *args, **kwargs: None  # the gallery replaces show() too: figures are scraped, not shown
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    runs, scraping = {}, 0.0
    for example in catalog.examples:
        figures.reset_style(None, None)
        namespace = {"__name__": "__main__"}
        source = example.script_path.read_text(encoding="utf-8")
        exec(compile(source, str(example.script_path), "exec"), namespace)
        # The parts of mkdocs-gallery's GalleryScript that figures.scrape reads, with the gallery's file names.
        names = (out / f"mkd_glr_{example.script_stem}_{number:03d}.png" for number in itertools.count(1))
        script = SimpleNamespace(
            src_py_file=example.script_path,
            script_stem=example.script_stem,
            gallery=SimpleNamespace(generated_dir=out),
            run_vars=SimpleNamespace(example_globals=namespace, image_path_iterator=names),
        )
        started = time.perf_counter()
        figures.scrape(None, script)
        scraping += time.perf_counter() - started
        runs[example.id] = json.loads(figures.data_path(out, example.script_stem).read_text(encoding="utf-8"))
    clock["gallery scripts and figures.scrape"] = time.perf_counter()
    # The other languages' figures: the light figures' words mapped, and their dark twins
    # (figure_text.add_language_figures), as the build adds them.
    table = figure_text.load_table()
    for light in sorted(out.glob("mkd_glr_*.svg")):
        drawn_by = figure_text.LIGHT_FIGURE.search(light.name)  # None for a dark twin
        if drawn_by is None:
            continue
        script = f"gallery/{drawn_by[1]}.py"
        for language in LANGUAGES[1:]:
            text = figure_text.translated(light.read_text(encoding="utf-8"), table[language], script, language)
            target = out / Path(figure_text.language_path(light.name, language, LANGUAGES[0])).name
            target.write_text(text, encoding="utf-8")
            figures.dark_variant_path(target).write_text(figures.dark_svg(text), encoding="utf-8")
    clock["other languages' figures (figure_text)"] = time.perf_counter()
    # The summary reads the manifest's entries (the scheduler each script constructs), as
    # hooks_catalog.py does, once per language and layout, with the build's file names.
    entries = {entry["id"]: entry for entry in json.loads(manifest.manifest(catalog.examples, runs))["examples"]}
    for language in LANGUAGES:
        for layout in summary.LAYOUTS:
            light, dark = summary.render(catalog.examples, entries, language, layout)
            target = out / Path(summary_src(language, layout)).name
            target.write_text(light, encoding="utf-8")
            figures.dark_variant_path(target).write_text(dark, encoding="utf-8")
    clock["manifest and summary.render"] = time.perf_counter()
    steps = list(clock.items())
    timings = {name: round(at - steps[index][1], 3) for index, (name, at) in enumerate(steps[1:])}
    timings["  of which figures.scrape (save light, map dark, data)"] = round(scraping, 3)
    (out / "timings.json").write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")


def matches_site(floor_dir: Path, site: Path) -> dict:
    """Did the figure floor draw the very files the site publishes? Byte for byte, or it is not the same work."""
    built = {path.name: path for path in (site / "generated" / "images").glob("*.svg")}
    built.update({path.name: path for path in (site / "generated").glob("summary*.svg")})
    drawn = {path.name: path for path in floor_dir.glob("*.svg")}
    same = sorted(name for name in drawn if name in built and drawn[name].read_bytes() == built[name].read_bytes())
    return {
        "figures_drawn": len(drawn),
        "figures_published": len(built),
        "identical": len(same),
        "different": sorted(name for name in drawn if name in built and name not in same),
        "only_in_floor": sorted(set(drawn) - set(built)),
        "only_in_site": sorted(set(built) - set(drawn)),
    }


def published_figures(site: Path) -> int:
    return len(list((site / "generated").rglob("*.svg")))


if __name__ == "__main__":
    kind, argument, out = sys.argv[1:4]
    if kind == "plain":
        plain(int(argument), Path(out))
    elif kind == "figures":
        figures_floor(Path(argument), Path(out))
    else:
        sys.exit(f"bench/floor.py: unknown floor {kind!r} (plain or figures)")
