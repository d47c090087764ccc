"""What the passport may read: the portfolio's published files, its theme and elenefolio.

Every resource WeasyPrint loads (images, style sheets and their imports, fonts,
pictures inside SVG files) goes through ``PassportFetcher``, a strict allow-list
checked on the real path, symbolic links followed. Of the portfolio it reads only
the files the site of the same audience publishes and the pictures this passport
resized; raw HTML in an entry (``<img src="/home/me/secret.png">``, or a private
artefact's photo), a ``../`` escape or a theme's style sheet therefore cannot put
another file into the PDF, and nothing is requested from the network unless the
learner asked for the artefacts' own media with ``--allow-remote``. Imported only
once WeasyPrint is.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import iri_to_uri

OUTSIDE = "it is outside the portfolio"
NOT_PUBLISHED = "it is not published"
NO_NETWORK = "the passport fetches nothing from the network (--allow-remote lets an artefact's own media in)"
NOT_OWN_MEDIA = "only an artefact's own media is fetched from the network"
NOT_A_FILE = "only files of the portfolio are included"


class Refused(ValueError):
    """A resource outside the allow-list (WeasyPrint leaves it out of the PDF)."""


def local_path(url: str) -> Path | None:
    """The real file a ``file:`` URL names (symbolic links followed), or None."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def normal(url: str) -> str:
    """An address as WeasyPrint asks for it, without its fragment."""
    return iri_to_uri(url.split("#", 1)[0])


class PassportFetcher(weasyprint.URLFetcher):
    """Fetches ``data:`` URLs, the ``files`` (real paths), files inside ``folders`` and the
    addresses of ``remote``; refuses everything else and remembers why (``refused``: URL ->
    reason). ``root``, the portfolio, only tells which reason."""

    def __init__(
        self, root: Path, folders: list[Path], files: frozenset[Path], remote: set[str], allow_remote: bool
    ):
        # No redirects: an allowed address must not lead somewhere else.
        super().__init__(allow_redirects=False)
        self.root = root.resolve()
        self.folders = [folder.resolve() for folder in folders]
        self.files = files
        self.remote = {normal(url) for url in remote} if allow_remote else set()
        self.allow_remote = allow_remote
        self.refused: dict[str, str] = {}

    def fetch(self, url, headers=None):
        checked, reason = self.check(url)
        if checked is None:
            self.refused.setdefault(url, reason)
            raise Refused(f"{url}: {reason}")
        return super().fetch(checked, headers)

    def check(self, url: str) -> tuple[str | None, str]:
        """(the URL to fetch, '') when allowed, else (None, why not)."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return url, ""
        if scheme == "file":
            path = local_path(url)
            if path is None:
                return None, OUTSIDE
            if path in self.files or any(path.is_relative_to(folder) for folder in self.folders):
                return path.as_uri(), ""  # the very file that was checked
            return None, NOT_PUBLISHED if path.is_relative_to(self.root) else OUTSIDE
        if scheme in ("http", "https"):
            if normal(url) in self.remote:
                return url, ""
            return None, NOT_OWN_MEDIA if self.allow_remote else NO_NETWORK
        return None, NOT_A_FILE
