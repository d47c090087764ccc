"""Themes: where templates and theme assets come from.

Lookup order, first match wins: the portfolio's ``templates/`` folder (to
override single templates), the portfolio's ``themes/<name>/``, the
built-in theme ``<name>``, then the built-in ``default`` theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elenefolio.problems import Problems, did_you_mean
from elenefolio.util.confine import walk_files

DEFAULT_THEME = "default"


def builtin_themes_dir() -> Path:
    """The folder of built-in themes (inside the installed package, or the checkout)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "themes", package.parent / "themes"):
        if (candidate / DEFAULT_THEME / "templates").is_dir():
            return candidate
    raise RuntimeError("the built-in themes are missing from this installation of elenefolio")


@dataclass
class Theme:
    name: str
    layers: list[Path]  # theme folders, most specific first
    overrides: Path | None  # the portfolio's templates/ folder
    root: Path | None = None  # the portfolio: its files never lead outside it

    @property
    def template_dirs(self) -> list[str]:
        dirs = [self.overrides] if self.overrides else []
        dirs += [layer / "templates" for layer in self.layers]
        return [str(d) for d in dirs if d.is_dir()]

    def assets(self) -> dict[str, Path]:
        """Theme files to copy under ``assets/``, the most specific layer winning."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            static = layer / "static"
            confine = self.root if self.root is not None and layer.is_relative_to(self.root) else layer
            for path in walk_files(confine, static):
                found[path.relative_to(static).as_posix()] = path
        return found


def available_themes(root: Path) -> list[str]:
    """The built-in themes and the portfolio's own (``themes/<name>/``)."""
    builtin = builtin_themes_dir()
    choices = [p.name for p in builtin.iterdir() if p.is_dir()]
    if (root / "themes").is_dir():
        choices += [p.name for p in (root / "themes").iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(set(choices))


def _own_folder(root: Path, folder: Path, problems: Problems) -> Path | None:
    """``folder`` of the portfolio (``templates/``, ``themes/<name>/``) when it exists and no
    file in it is a symbolic link leading outside the portfolio (those are reported)."""
    if not folder.is_dir():
        return None
    before = len(problems.errors)
    walk_files(root, folder, problems)
    return folder if len(problems.errors) == before else None


def find_theme(root: Path, name: str, problems: Problems, line: int = 1) -> Theme:
    """The theme ``name`` (from ``portfolio.yaml``, its line ``line``) for the portfolio at the
    resolved ``root``; the built-in default theme stands in when it is unusable."""
    builtin = builtin_themes_dir()
    layers: list[Path] = []
    if name in ("", ".", "..") or "/" in name or "\\" in name or Path(name).is_absolute():
        problems.error(
            root / "portfolio.yaml",
            line,
            f"'theme' is the name of a folder in themes/ or of a built-in theme, not a "
            f"path: '{name}'{did_you_mean(Path(name).name, available_themes(root))}",
        )
        name = DEFAULT_THEME
    local = _own_folder(root, root / "themes" / name, problems)
    if local is not None:
        layers.append(local)
    if (builtin / name).is_dir() and name != DEFAULT_THEME:
        layers.append(builtin / name)
    if not layers and name != DEFAULT_THEME and not (root / "themes" / name).is_dir():
        choices = available_themes(root)
        problems.error(
            root / "portfolio.yaml",
            line,
            f"unknown theme '{name}'{did_you_mean(name, choices)}; available: {', '.join(choices)}",
        )
    layers.append(builtin / DEFAULT_THEME)
    return Theme(name, layers, _own_folder(root, root / "templates", problems), root)
