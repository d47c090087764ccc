"""Open Badges: reading baked badges and checking what can be checked offline.

``baking`` takes the assertion or credential out of a baked PNG or SVG (and
makes a clean copy of the image to publish); ``assertion`` reads Open Badges
2.0 assertions and 3.0 credentials into one shape and checks the recipient,
the expiry and the required fields.
"""

from elenefolio.badges.assertion import BadgeData, BadgeError, Check, read_badge_document
from elenefolio.badges.baking import extract_png, extract_svg, strip_png, strip_svg

__all__ = [
    "BadgeData",
    "BadgeError",
    "Check",
    "extract_png",
    "extract_svg",
    "read_badge_document",
    "strip_png",
    "strip_svg",
]
