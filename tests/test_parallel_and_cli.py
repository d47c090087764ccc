"""Parallel rendering gives the same output; the build command's feedback; light start-up."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import unsealed

from elenefolio.cli import main
from elenefolio.pipeline import BuildOptions, build
from elenefolio.render.parallel import available

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    return root


@pytest.mark.slow  # three builds of the example, compared byte for byte
@pytest.mark.skipif(not available(), reason="needs fork and two processors")
def test_parallel_cold_build_is_identical_and_its_records_work(portfolio: Path, tmp_path: Path):
    parallel = build(BuildOptions(portfolio, jobs=2))
    serial = build(BuildOptions(portfolio, output=tmp_path / "serial", jobs=1))
    clean = build(BuildOptions(portfolio, output=tmp_path / "clean", incremental=False))
    assert (
        unsealed(tree(parallel.destination))
        == unsealed(tree(serial.destination))
        == unsealed(tree(clean.destination))
    )
    assert parallel.rendered == parallel.pages
    # the dependency records made in the worker processes are used by the next build
    again = build(BuildOptions(portfolio))
    assert (again.written, again.rendered) == (0, 0)
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    entry.write_text(entry.read_text() + "\nOne more line.\n")
    edited = build(BuildOptions(portfolio))
    # besides the pages that call self-assessment methods, which are always rendered again
    rendered = {u for u in edited.rendered_urls if not u.startswith(("skills/", "self-assessment/"))}
    assert rendered == {"journal/2026-03-19-defending-the-scenario/"}
    shutil.rmtree(tmp_path / "clean")
    build(BuildOptions(portfolio, output=tmp_path / "clean", incremental=False))
    assert unsealed(tree(edited.destination)) == unsealed(tree(tmp_path / "clean"))


def test_template_errors_in_parallel_workers_are_reported(portfolio: Path):
    (portfolio / "templates").mkdir()
    (portfolio / "templates" / "tag.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ tag.no_such_field }}{% endblock %}"
    )
    from elenefolio.problems import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(portfolio, jobs=2))
    assert any("no_such_field" in p.message and p.path.endswith("tag.html") for p in failed.value.problems)
    assert not (portfolio / "_site").exists()


@pytest.mark.slow  # three builds: seconds
def test_summary_line_quiet_and_verbose(portfolio: Path, capsys):
    assert main(["build", str(portfolio)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "files written, 0 unchanged" in out[0] and "pages" in out[0]
    assert main(["build", str(portfolio), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "0 files written" in out and "stages: scan" in out
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    entry.write_text(entry.read_text() + "\nOne more line.\n")
    assert main(["build", str(portfolio), "-v"]) == 0
    out = capsys.readouterr().out
    assert "rendered /journal/2026-03-19-defending-the-scenario/" in out
    assert main(["build", str(portfolio), "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_progress_bar_appears_only_after_a_second():
    import io

    from elenefolio.util.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quick = Terminal()
    bar = ProgressBar(stream=quick)
    bar(1, 10)
    bar.close()
    assert quick.getvalue() == "" and bar.bar is None
    slow = Terminal()
    bar = ProgressBar(stream=slow)
    bar.start -= 2  # as if the build had started two seconds ago
    bar(5, 10)
    assert bar.bar is not None
    bar.close()
    assert "rendering" in slow.getvalue()
    logged = io.StringIO()  # not a terminal: never drawn
    bar = ProgressBar(stream=logged)
    bar.start -= 2
    bar(5, 10)
    assert logged.getvalue() == "" and bar.bar is None


def test_start_up_does_not_import_heavy_libraries():
    code = (
        "import sys; from elenefolio.cli import main; "
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'markdown_it', 'pygments', 'rich', "
        "'watchdog', 'yaml', 'multiprocessing') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_change_build_imports_no_rendering_library(portfolio: Path):
    assert main(["build", str(portfolio), "-q"]) == 0
    code = (
        "import sys; from elenefolio.cli import main\n"
        f"assert main(['build', {str(portfolio)!r}, '-q']) == 0\n"
        "heavy = [m for m in ('jinja2', 'markdown_it', 'pygments', 'yaml', 'weasyprint') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
