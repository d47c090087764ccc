"""Exports: the portfolio in formats other systems read.

``jsonresume`` (JSON Resume v1), ``leap2a`` (a Leap2A zip for Mahara and
other e-portfolio systems) and ``manifest`` (portfolio.json). Each works
from a built ``Site``, so the same audience rule decides what is included:
public content only, unless the site was built for a private copy.
"""
