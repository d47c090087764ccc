"""Who a build is for, and so which items it may show.

A public build shows ``public`` items everywhere and ``unlisted`` items
only on their own page; ``private`` and draft items do not exist in it.
A private build (the owner's own copy) shows everything but drafts,
and drafts too when asked. Collections follow the same rules (they have
no drafts).
"""

from __future__ import annotations

from dataclasses import dataclass

from elenefolio.model import Collection, Item


@dataclass(frozen=True)
class Audience:
    private: bool = False  # the owner's personal copy
    drafts: bool = False  # include drafts (for previewing)

    def published(self, item: Item | Collection) -> bool:
        """The item (or collection) has a page of its own."""
        if item.draft and not self.drafts:
            return False
        return self.private or item.visibility in ("public", "unlisted")

    def listed(self, item: Item | Collection) -> bool:
        """The item appears in lists, counts, feeds, tags, skills and the sitemap (a collection:
        on the home page, in the sitemap and in search; never in feeds)."""
        if not self.published(item):
            return False
        return self.private or item.visibility == "public"
