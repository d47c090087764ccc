"""Packaging: every file the program needs at run time is installed with it, and a
release is what PyPI will accept.

setuptools installs the files of a folder only when the folder is listed in
``[tool.setuptools] packages`` and the file matches its ``package-data``: a
translation or template folder left out would be missing from an installed
copy (and only warned about while building it). The slow tests build the sdist and
the wheel for real (in a new virtual environment, with PyPI's build tools), compare
their files with the checkout's, and install the wheel to run ``init`` and ``build``.
"""

from __future__ import annotations

import email
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from elenefolio import __version__

ROOT = Path(__file__).resolve().parent.parent


def setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def folders() -> dict[str, Path]:
    """Every folder of the installed package, by its dotted name."""
    found = {}
    for name, top in (("elenefolio", ROOT / "elenefolio"), ("elenefolio.themes", ROOT / "themes")):
        for folder in [top, *sorted(p for p in top.rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts:
                continue
            found[".".join([name, *folder.relative_to(top).parts])] = folder
    return found


def test_every_folder_is_a_listed_package():
    config = setuptools_config()
    assert set(folders()) == set(config["packages"])
    assert config["package-dir"] == {"elenefolio.themes": "themes"}


def test_every_data_file_matches_a_package_data_pattern():
    data = setuptools_config()["package-data"]
    missing = []
    for package, folder in folders().items():
        patterns = data.get(package, []) + data.get("*", [])
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc") and path.name != ".gitignore":
                if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
                    missing.append(path.relative_to(ROOT).as_posix())
    assert missing == []


# --- one source for the version, the changelog, the release workflow ----------------------


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"] and "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "elenefolio.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog and f"## [{__version__}]" in changelog


def _release_workflow() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8"))


def test_release_workflow_publishes_a_version_tag_with_trusted_publishing():
    workflow = _release_workflow()
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML reads the key 'on' as true
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["publish"]["needs"] == "build"
    tests = [step.get("run", "") for step in jobs["test"]["steps"]]  # every test but the browser ones
    assert any("pytest" in run and '-m "not browser"' in run for run in tests)
    assert any("twine check --strict" in step.get("run", "") for step in jobs["build"]["steps"])
    publish = jobs["publish"]
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    upload = publish["steps"][-1]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in upload  # no token or password: PyPI trusts the workflow itself


@pytest.mark.parametrize(
    "tag, changelog, code",
    [
        (f"v{__version__}", f"## [{__version__}] - 2026-12-01\n", 0),
        ("v99.0.0", f"## [{__version__}] - 2026-12-01\n", 1),  # a tag that is not the version
        (__version__, f"## [{__version__}] - 2026-12-01\n", 1),  # without its v
        (f"v{__version__}", "## [Unreleased]\n", 1),  # notes not moved under the version
    ],
)
def test_release_stops_unless_the_tag_is_the_version(tmp_path, tag, changelog, code):
    step = next(
        s for s in _release_workflow()["jobs"]["build"]["steps"] if "GITHUB_REF_NAME" in s.get("run", "")
    )
    (tmp_path / "elenefolio").mkdir()
    shutil.copy(ROOT / "elenefolio/__init__.py", tmp_path / "elenefolio/__init__.py")
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    bin_dir = tmp_path / "bin"  # 'python' as the workflow calls it: this interpreter
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = dict(os.environ, GITHUB_REF_NAME=tag, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == code, proc.stderr
    assert (proc.stderr.count("\n") == 1) == bool(code), proc.stderr


# --- the real sdist and wheel (slow) ------------------------------------------------------


def _source_files() -> list[str]:
    """The files of the checkout a release is made of: tracked, or new and not ignored."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout")
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    return sorted({name for name in listed if name and (ROOT / name).is_file()})


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A new virtual environment with the build tools, and the sdist and wheel built from a
    copy of the checkout (building writes into the source folder)."""
    base = tmp_path_factory.mktemp("release")
    files = _source_files()
    for name in files:
        (base / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, base / "src" / name)
    venv.create(base / "venv", with_pip=True)
    python = base / "venv/bin/python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*argv, **kw):
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900, **kw)

    for step in (
        [python, "-m", "pip", "install", "-q", "build>=1.2"],
        [python, "-m", "build", "--outdir", base / "dist", base / "src"],
    ):
        proc = run(*step)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {"files": files, "dist": base / "dist", "python": python, "run": run, "base": base}


def _one(folder: Path, pattern: str) -> Path:
    found = list(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.slow
def test_the_wheel_holds_every_file_of_the_package(release):
    wheel = _one(release["dist"], f"elenefolio-{__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        name
        for name in release["files"]
        if name.startswith("elenefolio/") and not name.endswith("/.gitignore")
    }
    expected |= {"elenefolio/" + name for name in release["files"] if name.startswith("themes/")}
    info = f"elenefolio-{__version__}.dist-info/"
    assert {name for name in names if not name.startswith(info)} == expected
    for needed in (
        "locales/fr/LC_MESSAGES/elenefolio.po",
        "frameworks/elene4work.yaml",
        "frameworks/digcomp.yaml",
        "themes/default/templates/base.html",
        "themes/default/static/css/site.css",
    ):
        assert f"elenefolio/{needed}" in names, needed
    assert {info + "licenses/LICENSE", info + "entry_points.txt"} <= names


@pytest.mark.slow
def test_the_sdist_holds_every_file_of_the_repository(release):
    sdist = _one(release["dist"], f"elenefolio-{__version__}.tar.gz")
    prefix = f"elenefolio-{__version__}/"
    with tarfile.open(sdist) as archive:
        names = {m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()}
    expected = {name for name in release["files"] if name.rsplit("/", 1)[-1] != ".gitignore"}
    generated = {"PKG-INFO", "setup.cfg"}
    assert {n for n in names if not n.startswith("elenefolio.egg-info/")} - generated == expected
    assert {
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "tests/conftest.py",
        "example-portfolio/portfolio.yaml",
        "docs/publishing.md",
        ".github/workflows/release.yml",
    } <= names


@pytest.mark.slow
def test_the_metadata_is_what_pypi_shows(release):
    wheel = _one(release["dist"], "*.whl")
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(f"elenefolio-{__version__}.dist-info/METADATA")
    meta = email.message_from_string(raw.decode("utf-8"))
    assert meta["Name"] == "elenefolio" and meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT" and meta["License-File"] == "LICENSE"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta["Requires-Python"] == ">=3.11"
    assert meta.get_payload().strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requires = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert len(requires) == len(project["dependencies"])


@pytest.mark.slow
def test_the_installed_wheel_makes_a_portfolio_and_its_site(release, tmp_path):
    python, run = release["python"], release["run"]
    wheel = _one(release["dist"], "*.whl")
    proc = run(python, "-m", "pip", "install", "-q", wheel)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    command = python.parent / "elenefolio"
    where = run(python, "-c", "import elenefolio; print(elenefolio.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(release["base"] / "venv")), where.stdout  # not this checkout
    assert run(command, "--version").stdout.strip() == f"elenefolio {__version__}"
    assert run(command, "init", "folio", "--name", "Ana Silva", cwd=tmp_path).returncode == 0
    folio = tmp_path / "folio"
    assert f'pip install "elenefolio=={__version__}"' in (folio / ".gitlab-ci.yml").read_text()
    settings = folio / "portfolio.yaml"  # another language: the interface catalogs are installed
    settings.write_text(settings.read_text().replace("\nlanguage: en", "\nlanguage: fr"))
    for argv in (["build"], ["passport"]):
        proc = run(command, *argv, cwd=folio)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    home = (folio / "_site/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home and "Ana Silva" in home
    assert (folio / "_site/assets/css/site.css").stat().st_size > 1000
    assert (folio / "_site/pagefind").is_dir()
    assert (folio / "passport.pdf").read_bytes().startswith(b"%PDF")
