"""The build: load → site → render → write, each stage named and timed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from elenefolio.load import load_portfolio
from elenefolio.problems import Problem, Problems
from elenefolio.render import Renderer
from elenefolio.site import build_site
from elenefolio.site.audience import Audience
from elenefolio.write import SiteWriter, UnsafeOutput, check_output_folder
from elenefolio.write.search import SearchIndex, SearchIndexError

PUBLIC_OUTPUT = "_site"
PRIVATE_OUTPUT = "_private"


@dataclass
class BuildOptions:
    root: Path
    output: Path | None = None
    drafts: bool = False
    private: bool = False
    base_url: str | None = None
    strict: bool = False
    pdf: bool = False  # also write the education passport (or 'passport: true')

    @property
    def destination(self) -> Path:
        if self.output is not None:
            return self.output
        return self.root / (PRIVATE_OUTPUT if self.private else PUBLIC_OUTPUT)


@dataclass
class BuildResult:
    destination: Path
    pages: int
    files: int
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    passport: object | None = None  # a PassportResult when the passport was made

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when it cannot."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    root = options.root.resolve()
    problems = Problems(root)
    destination = options.destination.resolve()
    try:
        check_output_folder(destination, root)
    except UnsafeOutput as exc:
        problems.error(destination, 1, str(exc))
        problems.raise_if_errors()
    portfolio = load_portfolio(root, problems, options.base_url)
    problems.raise_if_errors(options.strict)
    lap("load")
    site = build_site(portfolio, Audience(private=options.private, drafts=options.drafts), problems)
    problems.raise_if_errors(options.strict)
    with_passport = options.pdf or portfolio.config.passport
    if with_passport:
        from elenefolio.passport import PASSPORT_FILE

        site.passport_url = PASSPORT_FILE
        for asset in site.assets:
            if asset.url == PASSPORT_FILE:
                problems.error(asset.source, 1, f"this file would replace the generated "
                                                f"'{PASSPORT_FILE}'; rename or move it")
        problems.raise_if_errors(options.strict)
    lap("site")
    passport = None
    writer = SiteWriter(destination)
    try:
        renderer = Renderer(site, problems)
        index = SearchIndex()
        for output in renderer.outputs():
            writer.add(output)
            if output.searchable and output.data is not None:
                index.add(output.path.removesuffix("index.html"), output.data)
        problems.raise_if_errors(options.strict)
        lap("render")
        try:
            writer.count += index.write(writer.tmp)
        except SearchIndexError as exc:
            problems.error(root / "portfolio.yaml", None, str(exc))
            problems.raise_if_errors()
        lap("search")
        if with_passport:
            passport = _passport(site, renderer, writer)
            lap("passport")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    lap("write")
    return BuildResult(destination, len(site.pages), writer.count, problems.warnings, timings,
                       passport)


def _passport(site, renderer, writer):
    """Add passport.pdf to the site (reused from the cache when nothing changed)."""
    from elenefolio.passport import make_passport
    from elenefolio.render import Output

    result = make_passport(site, paper=site.config.passport_paper, theme=renderer.theme)
    writer.add(Output(site.passport_url, source=result.path))
    return result


def check(root: Path, base_url: str | None = None) -> list[Problem]:
    """Every validation of a build, without writing anything: the problems found."""
    root = root.resolve()
    problems = Problems(root)
    portfolio = load_portfolio(root, problems, base_url)
    if portfolio is not None and not problems.errors:
        site = build_site(portfolio, Audience(), problems)
        if not problems.errors:
            for _output in Renderer(site, problems).outputs():
                pass  # rendering reports template problems; nothing is written
    return problems.sorted()
