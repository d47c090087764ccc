"""Cohorts: a tutor builds every learner's portfolio of a roster and gets an overview."""
