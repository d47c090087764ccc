"""``portfolio.json``: the portfolio's machine-readable data.

The same data the passport embeds: the profile (never the email address),
the skills, the evidence with absolute addresses, the self-assessment
rounds and the badges.
"""

from __future__ import annotations

import datetime as dt

from elenefolio import __version__
from elenefolio.export.common import (assessment_history, badge_entries, evidence_entries,
                                      profile, skill_entries)


def build_manifest(site) -> dict:
    framework = site.portfolio.framework
    return {
        "generator": f"elenefolio {__version__}",
        "generated": dt.date.today().isoformat(),
        "title": site.config.title,
        "url": site.config.base_url,
        "private": site.audience.private,
        "profile": profile(site),
        "framework": {"id": framework.id, "name": framework.name},
        "skills": skill_entries(site),
        "evidence": evidence_entries(site),
        "assessments": assessment_history(site),
        "badges": badge_entries(site),
    }
