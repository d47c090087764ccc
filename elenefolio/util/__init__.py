"""Helpers shared by several parts of elenefolio."""
