"""One module per command: each has ``register(subparsers)`` and ``run(args) -> int``.

A new command is a new module listed in ``COMMANDS``.
"""

COMMANDS = [
    "init",
    "new",
    "build",
    "serve",
    "deploy",
    "check",
    "passport",
    "verify",
    "cv",
    "assess",
    "feedback",
    "framework",
    "export",
    "import",
    "badges",
    "cohort",
]
