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
- Files are served by a fixed pool of threads, the event streams by one
  thread of their own, so neither many open pages nor idle connections stop
  pages from loading. Only requests for this computer's names are answered
  (against DNS rebinding), and a client's mistakes or hang-ups are never
  printed as tracebacks.
"""

from __future__ import annotations

import dataclasses
import html
import ipaddress
import json
import mimetypes
import os
import queue
import re
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

from elenefolio.incremental import CACHE_DIR, HIDDEN_INPUTS
from elenefolio.pipeline import (
    OFFLINE_OUTPUT,
    PRIVATE_OFFLINE_OUTPUT,
    PRIVATE_OUTPUT,
    PUBLIC_OUTPUT,
    BuildOptions,
)
from elenefolio.site import urls

if TYPE_CHECKING:  # watchdog is imported only when watching starts
    from watchdog.observers.api import BaseObserver

EVENTS = "__elenefolio__/events"
QUIET_SECONDS = 0.15  # wait for a burst of file events to settle before building
KEEPALIVE_SECONDS = 10.0
WORKERS = 16  # threads that serve files (each gets a request that has arrived whole)
MAX_STREAMS = 256  # open live-reload streams (one per open page); more get 503
MAX_WAITING = 512  # connections whose request has not arrived yet; more are closed at once
REQUEST_TIMEOUT = 10.0  # seconds a connection may take to send its request
SEND_TIMEOUT = 30.0  # seconds a client may stop reading a response before it is dropped
PARTIAL_POLL = 0.05  # seconds between looks at requests that arrived in part
MAX_REQUEST_LINE = 65536  # as http.server: a longer request line is answered 414
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
        self.lock = threading.Lock()
        self.watchers: list[Callable[[], None]] = []  # called after each change (the broadcaster)

    def publish(self, problems: list[str]) -> None:
        with self.lock:
            self.version += 1
            self.problems = problems
        self._tell()

    def stop(self) -> None:
        self.stopping = True
        self._tell()

    def _tell(self) -> None:
        for watcher in self.watchers:
            watcher()


def host_name(authority: str) -> str | None:
    """The host name of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), lower
    case and without brackets; None when it is not one of those forms."""
    match = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]@/\\\s]+)(:[0-9]*)?", authority)
    return match.group(1).strip("[]").lower() if match else None


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Handler(BaseHTTPRequestHandler):
    server_version = "elenefolio"
    # One request per connection: a connection is handed to a worker thread once its whole
    # request has arrived (see ``LiveServer``), so no worker waits on an idle keep-alive
    # connection. On this computer a new connection per file costs nothing.
    protocol_version = "HTTP/1.0"
    timeout = SEND_TIMEOUT  # a client that stops reading a response is dropped after this
    detached = False  # True once an event stream is handed to the broadcaster

    # set on the subclass made by ``make_server``
    root: Path
    base_path: str
    state: LiveState
    server: LiveServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        if not self._for_this_computer():
            self._send(
                HTTPStatus.MISDIRECTED_REQUEST,
                b"This preview only answers addresses of this computer, such as localhost or 127.0.0.1.\n",
                "text/plain; charset=utf-8",
                head,
            )
            return
        try:
            path = unquote(urlsplit(self.path).path)
        except ValueError:  # an address such as "http://[..." that is not one
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request\n", "text/plain; charset=utf-8", head)
            return
        if path == self.base_path + EVENTS:
            self._events(head)
            return
        if not path.startswith(self.base_path):
            if path in ("/", self.base_path.rstrip("/")):
                self._redirect(self.base_path)
            else:
                self._not_found(head)
            return
        rel = path[len(self.base_path) :]
        target = self._safe(rel)
        if target is None:
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden\n", "text/plain; charset=utf-8", head)
            return
        try:
            is_dir = target.is_dir()
            if is_dir:
                target = target / "index.html"
            found = target.is_file()
        except OSError:  # a name too long for the system, say
            is_dir = found = False
        if is_dir and rel and not rel.endswith("/"):
            self._redirect(path + "/")
        elif found:
            self._file(target, HTTPStatus.OK, head)
        else:
            self._not_found(head)

    def _for_this_computer(self) -> bool:
        """Whether the ``Host`` header names this computer. A web page that rebinds its own
        domain name to 127.0.0.1 (DNS rebinding) sends that domain name here, so it is
        refused. A request without Host is answered: browsers always send one."""
        hosts = self.headers.get_all("Host") or []
        return not hosts or (len(hosts) == 1 and self.server.allows(hosts[0]))

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
        with self.state.lock:
            version, problems = self.state.version, list(self.state.problems)
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

    def _events(self, head: bool) -> None:
        """Hand the connection to the broadcaster, which sends the build version now and
        after every build; this worker is free at once. Another site's page may not open
        one (it would only use up the streams)."""
        origin = self.headers.get("Origin")  # "scheme://host:port", or "null"
        if origin is not None and not self.server.allows(origin.partition("://")[2]):
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden\n", "text/plain; charset=utf-8", head)
            return
        reply = (
            f"{self.protocol_version} 200 OK\r\nContent-Type: text/event-stream\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        ).encode("latin-1")
        if head:
            self._send(HTTPStatus.OK, b"", "text/event-stream", head)
        elif self.server.streams.adopt(self.connection, reply):
            self.detached = True
            self.log_request(HTTPStatus.OK)
        else:
            self._send(
                HTTPStatus.SERVICE_UNAVAILABLE, b"Too many open pages\n", "text/plain; charset=utf-8", head
            )


class Broadcaster:
    """Holds every open live-reload stream on one thread, so that open pages never hold the
    threads that serve files. A stream gets the build version when it opens, each new
    version, and a comment every KEEPALIVE_SECONDS; a stream whose page is gone, or that
    stops reading, is closed (the page's EventSource opens a new one by itself)."""

    def __init__(self, state: LiveState, limit: int = MAX_STREAMS):
        self.state = state
        self.limit = limit
        self.lock = threading.Lock()
        self.count = 0  # streams held or arriving, for the limit
        self.arriving: list[tuple[socket.socket, bytes]] = []
        self.streams: dict[socket.socket, int] = {}  # stream -> version sent (this thread only)
        self.wake_up, self.waker = socket.socketpair()
        self.waker.setblocking(False)
        self.thread = threading.Thread(target=self._run, name="elenefolio-reload", daemon=True)
        state.watchers.append(self.wake)

    def adopt(self, connection: socket.socket, reply: bytes) -> bool:
        """Take over ``connection`` and send it ``reply`` first; False when full."""
        with self.lock:
            if self.count >= self.limit:
                return False
            self.count += 1
            self.arriving.append((connection, reply))
        self.wake()
        return True

    def wake(self) -> None:
        try:
            self.waker.send(b"\0")
        except OSError:
            pass  # already woken (the socket's buffer is full) or closed

    def _run(self) -> None:
        beat = time.monotonic()
        with selectors.DefaultSelector() as selector:
            selector.register(self.wake_up, selectors.EVENT_READ)
            while not self.state.stopping:
                for key, _ in selector.select(max(0.0, beat + KEEPALIVE_SECONDS - time.monotonic())):
                    if key.fileobj is self.wake_up:
                        self.wake_up.recv(4096)
                    else:  # the page is gone (an EventSource never sends anything)
                        self._drop(key.fileobj, selector)
                self._admit(selector)
                keepalive = time.monotonic() - beat >= KEEPALIVE_SECONDS
                if keepalive:
                    beat = time.monotonic()
                self._send_all(selector, keepalive)
            for stream in list(self.streams):
                self._drop(stream, selector)

    def _admit(self, selector: selectors.BaseSelector) -> None:
        with self.lock:
            arriving, self.arriving = self.arriving, []
        for stream, reply in arriving:
            stream.setblocking(False)
            selector.register(stream, selectors.EVENT_READ)
            self.streams[stream] = -1
            self._write(stream, reply + b"retry: 1000\n\n", selector)

    def _send_all(self, selector: selectors.BaseSelector, keepalive: bool) -> None:
        version = self.state.version
        for stream, sent in list(self.streams.items()):
            if sent != version:
                if self._write(stream, f"event: build\ndata: {version}\n\n".encode(), selector):
                    self.streams[stream] = version
            elif keepalive:
                self._write(stream, b": keep-alive\n\n", selector)

    def _write(self, stream: socket.socket, data: bytes, selector: selectors.BaseSelector) -> bool:
        """Send ``data`` without waiting: a stream that cannot take a few bytes at once is
        not being read, and is closed."""
        if stream not in self.streams:
            return False  # closed by an earlier write
        try:
            sent = stream.send(data)
        except OSError:
            sent = 0
        if sent == len(data):
            return True
        self._drop(stream, selector)
        return False

    def _drop(self, stream, selector: selectors.BaseSelector) -> None:
        selector.unregister(stream)
        del self.streams[stream]
        stream.close()
        with self.lock:
            self.count -= 1


class LiveServer(HTTPServer):
    """Serves files from a fixed pool of worker threads. A new connection waits on the
    server's own thread until its whole request has arrived (or it is closed after
    REQUEST_TIMEOUT), so idle or half-sent connections hold no worker; the live-reload
    streams are held by the broadcaster's thread. Neither can starve the page requests."""

    request_queue_size = 128  # a page asks for its files at once; a short backlog drops them
    RequestHandlerClass: type[Handler]  # as given to __init__

    def __init__(
        self, address: tuple[str, int], handler: type[Handler], streams: Broadcaster, verbose: bool = False
    ):
        super().__init__(address, handler)
        self.streams = streams
        self.verbose = verbose
        requested = address[0].strip("[]").lower()
        bound = str(self.server_address[0]).lower()
        self.hosts = {"localhost", "127.0.0.1", "::1", requested, bound}
        # listening on every address: any address of this computer is fine as a Host
        self.any_address = bound in ("0.0.0.0", "::", "")
        self.ready: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self.waiting: dict[socket.socket, tuple[float, Any]] = {}  # -> (deadline, client address)
        self.partial: set[socket.socket] = set()  # part of a request arrived: looked at each tick
        for n in range(WORKERS):
            threading.Thread(target=self._work, name=f"elenefolio-http-{n}", daemon=True).start()

    def allows(self, authority: str) -> bool:
        """Whether a ``Host`` (or an Origin's ``host:port``) names this computer."""
        name = host_name(authority)
        return name is not None and (name in self.hosts or (self.any_address and is_ip(name)))

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.streams.thread.start()
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select(PARTIAL_POLL if self.partial else poll_interval):
                    if key.fileobj is self.socket:
                        self._accept(selector)
                    else:
                        selector.unregister(key.fileobj)
                        self._look(cast(socket.socket, key.fileobj))  # only sockets are registered
                for connection in list(self.partial):
                    self._look(connection)
                self._expire(selector)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            connection, address = self.socket.accept()
        except OSError:
            return  # the client gave up before it was accepted
        if len(self.waiting) >= MAX_WAITING:
            connection.close()
            return
        connection.setblocking(False)
        self.waiting[connection] = (time.monotonic() + REQUEST_TIMEOUT, address)
        selector.register(connection, selectors.EVENT_READ)

    def _look(self, connection: socket.socket) -> None:
        """Hand ``connection`` to a worker when its request has arrived whole (or is already
        too long to be valid); close it if the client hung up."""
        try:
            data = connection.recv(MAX_REQUEST_LINE + 1, socket.MSG_PEEK)
        except BlockingIOError:
            return  # nothing new yet
        except OSError:
            data = b""
        if data and b"\r\n\r\n" not in data and b"\n\n" not in data and len(data) <= MAX_REQUEST_LINE:
            self.partial.add(connection)  # the rest is on its way (or never comes: see _expire)
            return
        self.partial.discard(connection)
        _, address = self.waiting.pop(connection)
        if data:
            self.ready.put((connection, address))
        else:
            connection.close()

    def _expire(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        for connection, (deadline, _) in list(self.waiting.items()):
            if now > deadline:
                if connection in self.partial:
                    self.partial.discard(connection)
                else:
                    selector.unregister(connection)
                del self.waiting[connection]
                connection.close()

    def _work(self) -> None:
        while True:
            connection, address = self.ready.get()
            self._serve(connection, address)

    def _serve(self, connection: socket.socket, address) -> None:
        handler = None
        try:
            handler = self.RequestHandlerClass(connection, address, self)
        except OSError:
            pass  # the client hung up or stopped reading: nothing to tell anyone
        except Exception as exc:  # a bug: one line in the terminal, and the server goes on
            print(f"serve: a request failed: {exc.__class__.__name__}: {exc}", file=sys.stderr, flush=True)
        if handler is None or not handler.detached:
            self.shutdown_request(connection)

    def server_close(self) -> None:
        super().server_close()
        for connection in self.waiting:
            connection.close()


def make_server(
    host: str, port: int, output: Path, base_path: str, state: LiveState, verbose: bool = False
) -> LiveServer:
    handler = type("SiteHandler", (Handler,), {"root": output, "base_path": base_path, "state": state})
    return LiveServer((host, port), handler, Broadcaster(state), verbose)


class Rebuilder:
    """Watches the sources and rebuilds after each burst of changes."""

    def __init__(self, options: BuildOptions, state: LiveState, report):
        if options.warm is None and options.incremental:
            from elenefolio.incremental.fastbuild import Warm

            options.warm = Warm()  # the site is kept from one build to the next
        self.options = options
        self.full_due = True  # the next save writes a complete new tree (see write.incremental)
        self.saves = 0  # saves written in place since the last complete tree
        self.search_behind = False  # the last build left the search index out of date
        self.state = state
        self.report = report  # called with (BuildResult | None, problems, seconds)
        self.pending = threading.Event()
        self.thread = threading.Thread(target=self._run, name="elenefolio-rebuild", daemon=True)
        root = options.root.resolve()
        self.ignored = [
            options.destination.resolve(),
            root / PUBLIC_OUTPUT,
            root / PRIVATE_OUTPUT,
            root / OFFLINE_OUTPUT,
            root / PRIVATE_OFFLINE_OUTPUT,
            root / CACHE_DIR,
        ]
        self.observer: BaseObserver | None = None

    def relevant(self, path: str) -> bool:
        p = Path(path)
        if any(p == d or d in p.parents for d in self.ignored):
            return False
        root = self.options.root.resolve()
        if (
            root in p.parents
            and str(p.relative_to(root)) not in HIDDEN_INPUTS
            and any(part.startswith(".") for part in p.relative_to(root).parts)
        ):
            return False  # hidden files, version control, the build's own staging folders
        name = p.name
        return not (
            name.startswith((".#", "#"))
            or name.endswith(IGNORED_SUFFIXES)
            or (name.startswith(".") and name.endswith((".swp", ".tmp")))
        )

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
                paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
                rebuilder.noticed(paths, event.is_directory)

        self.watch_inputs()
        self.observer = Observer()
        for folder in watched:
            if folder.is_dir():
                self.observer.schedule(Events(), str(folder), recursive=True)
        self.observer.start()
        self.thread.start()

    def watch_inputs(self) -> None:
        """From now on, builds take the changed files from ``noticed`` instead of scanning the
        portfolio (``incremental.InputWatch``; the first one scans it all)."""
        if self.options.incremental and self.options.inputs is None:
            from elenefolio.incremental import InputWatch

            self.options.inputs = InputWatch()

    def noticed(self, paths: list[str], folder: bool = False) -> None:
        """A file event (of a folder when ``folder``) on ``paths``: a build is due if any is
        relevant; the input files are told about every path, as a scan would see them all."""
        inputs = self.options.inputs
        if inputs is not None:
            for path in paths:
                if not folder:
                    inputs.changed(path)
                elif self.relevant(path):
                    inputs.doubt()  # a folder came, went or moved: the next build scans them all
        if any(self.relevant(p) for p in paths):
            self.pending.set()

    def _run(self) -> None:
        self.catch_up()  # (after the first build: the copy of the site for the first save)
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
        result = self._attempt(
            dataclasses.replace(self.options, defer_search=not first, in_place=self._in_place(first)), start
        )
        if result is None:
            self.full_due = True  # (a failed build may have stopped anywhere)
            return False
        self._written(first)
        self.search_behind = result.search_deferred
        self.state.publish([])
        self.report(result, result.warnings, time.perf_counter() - start)
        return True

    def catch_up(self) -> bool:
        """What follows a save once its pages are served (the open pages are not reloaded
        again): bring the search index up to date after a build that left it behind, then
        copy the kept site for the next save (``Warm.prepare``)."""
        if self.search_behind:
            in_place = self._in_place(first=False)
            if (
                self._attempt(dataclasses.replace(self.options, in_place=in_place), time.perf_counter())
                is None
            ):
                self.full_due = True
                return False
            self._written(first=False)
            self.search_behind = False
        warm = self.options.warm
        if warm is not None:
            warm.prepare()
        return True

    FULL_EVERY = 50  # saves written in place between two complete trees

    def _in_place(self, first: bool) -> bool:
        """Whether the next build writes its changed files in place (``write.incremental``):
        saves do, but not the first build, not after a failed one and not every
        ``FULL_EVERY`` saves, which make a complete new tree (and so remove whatever else
        is in the output folder)."""
        return not first and not self.full_due and self.saves < self.FULL_EVERY

    def _written(self, first: bool) -> None:
        if self._in_place(first):
            self.saves += 1
        else:
            self.full_due, self.saves = False, 0

    def _attempt(self, options: BuildOptions, start: float):
        """The build's result, or None when it failed (its problems are then shown on the
        open pages and in the terminal, and the last good site stays served)."""
        from elenefolio.pipeline import build
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

    package = Path(__file__).resolve().parents[1]  # the elenefolio package
    return [root.resolve(), builtin_themes_dir(), package / "frameworks"]


def site_base_path(options: BuildOptions) -> str:
    """The path part of the site's base_url (``/portfolio/``), read from the config."""
    if options.base_url:
        return urls.base_path(options.base_url)
    from elenefolio.load.config import load_config
    from elenefolio.problems import Problems

    config = load_config(options.root.resolve(), Problems(options.root.resolve()))
    return urls.base_path(config.base_url) if config is not None else "/"


def print_line(text: str, stream=None) -> None:
    print(text, file=stream or sys.stdout, flush=True)
