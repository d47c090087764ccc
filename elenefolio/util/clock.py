"""The date of a build: today, or the day that ``SOURCE_DATE_EPOCH`` names.

``SOURCE_DATE_EPOCH`` (seconds since 1970-01-01 UTC, https://reproducible-builds.org/specs/
source-date-epoch/) makes a build reproducible: the same sources then give the same site byte
for byte on any day (the footer's year, which agenda steps are overdue, which badges have
expired, the passport's date of issue). Everything in a build that asks for "today" asks here.
"""

from __future__ import annotations

import datetime as dt
import os

from elenefolio.problems import BuildFailed, Problem

VARIABLE = "SOURCE_DATE_EPOCH"


def today() -> dt.date:
    """The build's date; a malformed ``SOURCE_DATE_EPOCH`` fails the build in one line."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise BuildFailed(
            [
                Problem(
                    VARIABLE,
                    1,
                    f"the environment variable {VARIABLE} must be a whole "
                    f"number of seconds since 1970-01-01 (it is {value!r})",
                )
            ]
        ) from None
