"""Publishing: the built site pushed to a branch (``deploy``), and what a public
repository of the portfolio would show that the site does not (``public_repo``)."""
