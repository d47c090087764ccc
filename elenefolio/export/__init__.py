"""Machine-readable exports of the published portfolio."""
