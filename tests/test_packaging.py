"""Packaging: every file the program needs at run time is installed with it.

setuptools installs the files of a folder only when the folder is listed in
``[tool.setuptools] packages`` and the file matches its ``package-data``: a
translation or template folder left out would be missing from an installed
copy (and only warned about while building it).
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

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
