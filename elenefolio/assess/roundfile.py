"""Writing round files: the same YAML a learner could write by hand, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from elenefolio.assess.model import DONT_KNOW, Round
from elenefolio.load.items import make_slug
from elenefolio.model import Framework


def file_name(round_: Round) -> str:
    """``YYYY-MM-DD.yaml`` or ``YYYY-MM-DD-label.yaml``."""
    label = make_slug(round_.label) if round_.label else ""
    return f"{round_.date.isoformat()}{'-' + label if label else ''}.yaml"


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML string


def _answer(value) -> str:
    if value is None:
        return "null"
    return DONT_KNOW if value == DONT_KNOW else str(value)


def dump_round(round_: Round, framework: Framework) -> str:
    """The YAML text of a round file."""
    scale = ", ".join(f"{p.value} {p.label}" for p in framework.scale)
    lines = [
        f"# Self-assessment round ({framework.name}).",
        f"# answers: one per statement, in the framework's order; {scale};",
        "# dk = don't know (left out of the score); null = not answered.",
        "# importance: 1-5, how important the skill is for me now.",
        "# confidence: 1-3, how sure I am of this rating; example: when I last did this.",
        f"date: {round_.date.isoformat()}",
    ]
    if round_.label:
        lines.append(f"label: {_text(round_.label)}")
    lines.append(f"framework: {framework.id}")
    if round_.visibility:
        lines.append(f"visibility: {round_.visibility}")
    if round_.notes:
        lines.append(f"notes: {_text(round_.notes)}")
    written = [s for s in framework.skills if s.id in round_.skills]
    if not written:
        lines.append("skills: {}")
    else:
        lines.append("skills:")
    for skill in written:
        answers = round_.skills[skill.id]
        lines.append(f"  {skill.id}:")
        lines.append(f"    answers: [{', '.join(_answer(a) for a in answers.answers)}]")
        if answers.importance is not None:
            lines.append(f"    importance: {answers.importance}")
        if answers.confidence is not None:
            lines.append(f"    confidence: {answers.confidence}")
        if answers.example:
            lines.append(f"    example: {_text(answers.example)}")
        if answers.notes:
            lines.append(f"    notes: {_text(answers.notes)}")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that it is either complete or absent, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
