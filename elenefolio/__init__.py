"""elenefolio: a static site generator for learners' e-portfolios."""

__version__ = "0.1.0"
