"""Badges in the site: which are shown, their addresses, links to skills and evidence.

A public build shows the badges whose visibility is ``public``; a private
build shows them all. Only the copy of the image without its baked data is
published, and nothing about the recipient but whether it was confirmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from elenefolio.site.views import ItemView, Page, SkillView, _Wraps
from elenefolio.util import clock
from elenefolio.util.i18n import N_

if TYPE_CHECKING:
    from elenefolio.load.badges import Badge

BADGES = "badges/"
# shown for a badge with no image of its own (a JSON badge without one, an unreadable file)
DEFAULT_IMAGE = "assets/badge-default.svg"


@dataclass(eq=False, repr=False)
class BadgeView(_Wraps):
    """A badge as published: its anchor on /badges/, image, status, skills and evidence."""

    wrapped: Badge
    url: str  # badges/#<slug>
    image_url: str = DEFAULT_IMAGE
    default_image: bool = True
    status: str = ""  # confirmed, expired, not-matched, incomplete, unverifiable, unreadable, ...
    skills: list[SkillView] = field(default_factory=list)
    evidence: list[ItemView] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.wrapped.title

    @property
    def issued(self):
        return self.wrapped.data.issued

    @property
    def expires(self):
        return self.wrapped.data.expires


def badge_url(slug: str) -> str:
    return f"{BADGES}#{slug}"


def shown(badge, private: bool) -> bool:
    return private or badge.visibility == "public"


def attach_badges(site, today: dt.date | None = None) -> None:
    """Add the badges page, the badge images and the badges of each skill to ``site``."""
    today = today or clock.today()
    badges = [b for b in site.portfolio.badges if shown(b, site.audience.private)]
    if not badges:
        return
    skills = {s.id: s for s in site.skills}
    listed = {(v.section, v.slug): v for v in site.items if v.listed}
    for badge in badges:
        view = BadgeView(badge, badge_url(badge.slug))
        view.status = badge.data.status_key(today)
        if badge.image:
            view.image_url = f"{BADGES}{badge.slug}{badge.image_suffix}"
            view.default_image = False
            site.files.append((view.image_url, badge.image, (badge.path, 1, "badge image")))
        for claim in badge.skills:
            skill = skills.get(claim.skill)
            if skill is not None:
                view.skills.append(skill)
                skill.badges.append(view)
        for ref in badge.evidence:
            sections = (ref.section,) if ref.section else ("artefacts", "journal")
            target = next((listed[(s, ref.slug)] for s in sections if (s, ref.slug) in listed), None)
            if target is not None and target not in view.evidence:
                view.evidence.append(target)
        site.badges.append(view)
    site.pages.append(Page(BADGES, "badges.html", N_("Badges"), {"badges": site.badges}, kind="badges"))
    if site.badges:
        site.nav_extra.append((BADGES, N_("Badges"), ["badges"]))


__all__ = ["BadgeView", "attach_badges", "badge_url"]
