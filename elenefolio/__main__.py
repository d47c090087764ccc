"""Allow ``python -m elenefolio``."""

from elenefolio.cli import main

raise SystemExit(main())
