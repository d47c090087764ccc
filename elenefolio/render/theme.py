"""Themes: where templates and theme assets come from.

Lookup order, first match wins: the portfolio's ``templates/`` folder (to
override single templates), the portfolio's ``themes/<name>/``, the
built-in theme ``<name>``, then the built-in ``default`` theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elenefolio.problems import Problems, did_you_mean

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
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and not any(p.startswith(".") for p in path.relative_to(static).parts):
                        found[path.relative_to(static).as_posix()] = path
        return found


def find_theme(root: Path, name: str, problems: Problems) -> Theme:
    builtin = builtin_themes_dir()
    layers: list[Path] = []
    local = root / "themes" / name
    if local.is_dir():
        layers.append(local)
    if (builtin / name).is_dir() and name != DEFAULT_THEME:
        layers.append(builtin / name)
    if not layers and name != DEFAULT_THEME:
        choices = sorted(p.name for p in builtin.iterdir() if p.is_dir())
        if (root / "themes").is_dir():
            choices += sorted(p.name for p in (root / "themes").iterdir() if p.is_dir())
        problems.error(root / "portfolio.yaml", 1,
                       f"unknown theme '{name}'{did_you_mean(name, choices)}; "
                       f"available: {', '.join(sorted(set(choices)))}")
    layers.append(builtin / DEFAULT_THEME)
    overrides = root / "templates"
    return Theme(name, layers, overrides if overrides.is_dir() else None)
