"""``elenefolio serve``: build, serve on this computer, rebuild and reload on every change."""

from __future__ import annotations

import sys
from pathlib import Path

from elenefolio.commands.common import portfolio_argument, print_problems, shown_path

HELP = "preview the site while you write: rebuilds and reloads on every save"


def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help=HELP,
        description="Build the portfolio at PATH, serve it at http://HOST:PORT/ (under the "
        "path of base_url) and watch its files: every save rebuilds what changed "
        "and reloads the open pages. A failed build is shown on the page while the "
        "last good site stays served. Ctrl-C stops.",
    )
    portfolio_argument(p)
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer only)",
    )
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")
    p.add_argument("--drafts", action="store_true", help="include items marked 'draft: true'")
    p.add_argument(
        "--private", action="store_true", help="serve your personal copy with private and unlisted items too"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("-v", "--verbose", action="store_true", help="also log every request")


def run(args) -> int:
    from elenefolio.load.config import load_config
    from elenefolio.pipeline import BuildOptions
    from elenefolio.problems import Problems
    from elenefolio.serve import (
        LiveState,
        Rebuilder,
        make_server,
        print_line,
        site_base_path,
        watched_folders,
    )
    from elenefolio.util.progress import ProgressBar, summary

    root: Path = args.path
    settings = Problems(root)
    if load_config(root.resolve(), settings) is None:  # missing, empty or unreadable: nothing to serve
        print_problems(settings.errors)
        return 1
    progress = ProgressBar(enabled=not args.quiet)
    options = BuildOptions(root=root, drafts=args.drafts, private=args.private, progress=progress)
    state = LiveState()
    kind = "private copy" if args.private else "site"

    def report(result, problems, seconds) -> None:
        progress.close()
        print_problems(problems)
        if result is None:
            print(
                f"build failed in {seconds:.2f} s; still serving the last good site",
                file=sys.stderr,
                flush=True,
            )
        elif not args.quiet:
            print_line(summary(result, kind, shown_path(result.destination)))

    rebuilder = Rebuilder(options, state, report)
    rebuilder.build()
    options.progress = None
    options.fork = False  # threads are running from now on (later builds are incremental anyway)
    base_path = site_base_path(options)
    try:
        server = make_server(
            args.host, args.port, options.destination.resolve(), base_path, state, verbose=args.verbose
        )
    except OSError as exc:
        print(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror}; try another --port", file=sys.stderr
        )
        return 1
    host, port = server.socket.getsockname()[:2]  # the bound address (a str host, never bytes)
    shown_host = f"[{host}]" if ":" in str(host) else host
    print_line(
        f"serving {kind} at http://{shown_host}:{port}{base_path} "
        f"(watching {shown_path(root)}/; Ctrl-C to stop)"
    )
    rebuilder.start(watched_folders(root))
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop()
        server.server_close()
    print_line("stopped")
    return 0
