"""``elenefolio serve``'s machinery: build, watch, rebuild, serve, reload.

- The site is built as ``elenefolio build`` builds it (same folder, same
  incremental cache) and served over HTTP under the path of ``base_url``.
- watchdog watches the portfolio, the built-in theme and frameworks; a
  change (including editors that save to a temporary file and rename it)
  starts an incremental rebuild after a short quiet period.
- Open pages hold a server-sent events connection; after each build they
  get an event and reload. The small script that does this is added to
  HTML responses as they are served: the files on disk never contain it.
- When a build fails the last good site stays in place and every served
  page shows the problems in a panel (they are printed in the terminal too).
"""

from __future__ import annotations

import dataclasses
import html
import mimetypes
import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from elenefolio.build import PRIVATE_OUTPUT, PUBLIC_OUTPUT, BuildOptions
from elenefolio.incremental import CACHE_DIR

EVENTS = "__elenefolio__/events"
QUIET_SECONDS = 0.15  # wait for a burst of file events to settle before building
KEEPALIVE_SECONDS = 10.0
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "4913")

RELOAD_SCRIPT = """<script>(function () {
  var version = %(version)d;
  var source = new EventSource(%(events)s);
  source.addEventListener("build", function (event) {
    if (Number(event.data) !== version) { source.close(); location.reload(); }
  });
})();</script>"""

ERROR_PANEL = """<div id="elenefolio-build-error" role="alert" style="position:fixed;inset:auto 1rem 1rem 1rem;\
z-index:2147483647;max-height:50vh;overflow:auto;background:#fff4f2;color:#5c1a0f;border:2px solid #c4442a;\
border-radius:8px;padding:1rem 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;\
box-shadow:0 6px 24px rgba(0,0,0,.2)"><strong style="font-family:system-ui,sans-serif">The last change \
could not be built</strong> <span style="font-family:system-ui,sans-serif">— this is the last good \
version of the site. Fix the problem and save: the page reloads by itself.</span><pre \
style="white-space:pre-wrap;margin:.75rem 0 0">%(problems)s</pre></div>"""


class LiveState:
    """The build version and the last build's problems, shared with the request threads."""

    def __init__(self) -> None:
        self.version = 0
        self.problems: list[str] = []
        self.stopping = False
        self.changed = threading.Condition()

    def publish(self, problems: list[str]) -> None:
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def base_path_of(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class Handler(BaseHTTPRequestHandler):
    server_version = "elenefolio"
    protocol_version = "HTTP/1.1"

    # set on the subclass made by ``make_server``
    root: Path
    base_path: str
    state: LiveState

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == self.base_path + EVENTS:
            self._events()
            return
        if not path.startswith(self.base_path):
            if path in ("/", self.base_path.rstrip("/")):
                self._redirect(self.base_path)
            else:
                self._not_found(head)
            return
        rel = path[len(self.base_path):]
        target = self._safe(rel)
        if target is None:
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden\n", "text/plain; charset=utf-8", head)
            return
        if target.is_dir():
            if rel and not rel.endswith("/"):
                self._redirect(path + "/")
                return
            target = target / "index.html"
        if not target.is_file():
            self._not_found(head)
            return
        self._file(target, HTTPStatus.OK, head)

    def _safe(self, rel: str) -> Path | None:
        """The file for a request path, or None when it would leave the output folder."""
        if "\x00" in rel or "\\" in rel:
            return None
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            return None
        root = self.root.resolve()
        target = root.joinpath(*parts) if parts else root
        try:
            resolved = target.resolve()
        except OSError:
            return None
        if resolved != root and root not in resolved.parents:
            return None
        return resolved

    def _file(self, target: Path, status: HTTPStatus, head: bool) -> None:
        try:
            data = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", head)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self._inject(data)
            kind = "text/html; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/xml", "application/atom+xml"):
            kind += "; charset=utf-8"
        self._send(status, data, kind, head)

    def _inject(self, data: bytes) -> bytes:
        """Add the reload script (and the problems of a failed build) to a served page."""
        with self.state.changed:
            version, problems = self.state.version, list(self.state.problems)
        import json

        extra = RELOAD_SCRIPT % {"version": version, "events": json.dumps(self.base_path + EVENTS)}
        if problems:
            extra = ERROR_PANEL % {"problems": html.escape("\n".join(problems))} + extra
        encoded = extra.encode("utf-8")
        at = data.rfind(b"</body>")
        return data[:at] + encoded + data[at:] if at != -1 else data + encoded

    def _not_found(self, head: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            self._file(page, HTTPStatus.NOT_FOUND, head)
        else:
            body = self._inject(b"<!doctype html><title>Not found</title><h1>Not found</h1></body>")
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, data: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the build version now, then after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.state
        try:
            with state.changed:
                seen = state.version
            self.wfile.write(f"retry: 1000\nevent: build\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.version != seen or state.stopping,
                                           timeout=KEEPALIVE_SECONDS)
                    if state.stopping:
                        return
                    version = state.version
                if version != seen:
                    seen = version
                    self.wfile.write(f"event: build\ndata: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def make_server(host: str, port: int, output: Path, base_path: str, state: LiveState,
                verbose: bool = False) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"root": output, "base_path": base_path,
                                               "state": state})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


class Rebuilder:
    """Watches the sources and rebuilds after each burst of changes."""

    def __init__(self, options: BuildOptions, state: LiveState, report):
        if options.warm is None and options.incremental:
            from elenefolio.fastbuild import Warm

            options.warm = Warm()  # the site is kept from one build to the next
        self.options = options
        self.search_behind = False  # the last build left the search index out of date
        self.state = state
        self.report = report  # called with (BuildResult | None, problems, seconds)
        self.pending = threading.Event()
        self.thread = threading.Thread(target=self._run, name="elenefolio-rebuild", daemon=True)
        root = options.root.resolve()
        self.ignored = [options.destination.resolve(), root / PUBLIC_OUTPUT, root / PRIVATE_OUTPUT,
                        root / CACHE_DIR]
        self.observer = None

    def relevant(self, path: str) -> bool:
        p = Path(path)
        if any(p == d or d in p.parents for d in self.ignored):
            return False
        root = self.options.root.resolve()
        if root in p.parents and any(part.startswith(".") for part in p.relative_to(root).parts):
            return False  # hidden files, version control, the build's own staging folders
        name = p.name
        return not (name.startswith((".#", "#")) or name.endswith(IGNORED_SUFFIXES)
                    or (name.startswith(".") and name.endswith((".swp", ".tmp"))))

    def start(self, watched: list[Path]) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        rebuilder = self

        class Events(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    return  # a folder's entries changed: they have events of their own (and the
                    # build's staging folder beside the output must not start another build)
                paths = [event.src_path, getattr(event, "dest_path", "") or ""]
                if any(p and rebuilder.relevant(os.fsdecode(p)) for p in paths):
                    rebuilder.pending.set()

        self.observer = Observer()
        for folder in watched:
            if folder.is_dir():
                self.observer.schedule(Events(), str(folder), recursive=True)
        self.observer.start()
        self.thread.start()

    def _run(self) -> None:
        while not self.state.stopping:
            if not self.pending.wait(timeout=0.5):
                continue
            while True:  # let a burst of events (a save through a temporary file) settle
                self.pending.clear()
                time.sleep(QUIET_SECONDS)
                if not self.pending.is_set():
                    break
            if self.state.stopping:
                return
            self.build(first=False)
            if not self.pending.is_set():
                self.catch_up()

    def build(self, first: bool = True) -> bool:
        """Build, then tell the open pages to reload. After a save (not ``first``) the
        pages come first: search shards that changed are brought up to date by
        ``catch_up`` right after the reload."""
        start = time.perf_counter()
        result = self._attempt(dataclasses.replace(self.options, defer_search=not first), start)
        if result is None:
            return False
        self.search_behind = result.search_deferred
        self.state.publish([])
        self.report(result, result.warnings, time.perf_counter() - start)
        return True

    def catch_up(self) -> bool:
        """Bring the search index up to date after a build that left it behind (the pages
        are already served: the open pages are not reloaded again)."""
        if not self.search_behind:
            return True
        if self._attempt(self.options, time.perf_counter()) is None:
            return False
        self.search_behind = False
        return True

    def _attempt(self, options: BuildOptions, start: float):
        """The build's result, or None when it failed (its problems are then shown on the
        open pages and in the terminal, and the last good site stays served)."""
        from elenefolio.build import build
        from elenefolio.problems import BuildFailed

        try:
            return build(options)
        except BuildFailed as failed:
            self.state.publish([str(p) for p in failed.problems])
            self.report(None, failed.problems, time.perf_counter() - start)
        except Exception as exc:  # keep serving the last good site whatever happens
            line = f"{self.options.root}:1: the build stopped: {exc.__class__.__name__}: {exc}"
            self.state.publish([line])
            self.report(None, [line], time.perf_counter() - start)
        return None

    def stop(self) -> None:
        self.state.stop()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        if self.thread.is_alive():
            self.thread.join(timeout=5)


def watched_folders(root: Path) -> list[Path]:
    """The portfolio, and the built-in themes and frameworks (for theme authors)."""
    from elenefolio.render.theme import builtin_themes_dir

    package = Path(__file__).resolve().parent
    return [root.resolve(), builtin_themes_dir(), package / "frameworks"]


def site_base_path(options: BuildOptions) -> str:
    """The path part of the site's base_url (``/portfolio/``), read from the config."""
    if options.base_url:
        return base_path_of(options.base_url)
    from elenefolio.load.config import load_config
    from elenefolio.problems import Problems

    config = load_config(options.root.resolve(), Problems(options.root.resolve()))
    return base_path_of(config.base_url) if config is not None else "/"


def print_line(text: str, stream=None) -> None:
    print(text, file=stream or sys.stdout, flush=True)
