"""The load stage: reading and validating portfolio.yaml, skills.yaml,
journal entries and artefacts. Each mistake must be reported with its
message, at its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import JPEG, MP4, PNG, config_yaml, entry, load_problems, write_portfolio

from elenefolio.load import load_portfolio
from elenefolio.problems import Problem, Problems


def make(root: Path, files: dict, config: str | None = None) -> Path:
    return write_portfolio(root, {"portfolio.yaml": config if config is not None else config_yaml(), **files})


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` where ``needle`` first appears."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def the_problem(problems: list[Problem], path: str, fragment: str) -> Problem:
    found = [p for p in problems if p.path == path and fragment in p.message]
    assert len(found) == 1, f"expected one problem in {path} with {fragment!r}, got:\n" + "\n".join(
        map(str, problems)
    )
    return found[0]


def only_problem(root: Path, path: str, fragment: str) -> Problem:
    problems = load_problems(root)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return the_problem(problems, path, fragment)


GOOD_ENTRY = entry(
    "A good entry",
    "2024-03-14",
    "Hello.",
    kind="plan",
    skills="[teamwork, communication]",
    tags="[group, Week 1]",
    visibility="public",
)


# --- a portfolio without mistakes --------------------------------------------


def test_valid_portfolio_loads_without_problems(tmp_path):
    make(
        tmp_path,
        {
            "journal/2024-03-14-good.md": GOOD_ENTRY,
            "journal/2024-03-15-default.md": entry("Default visibility", "2024-03-15 09:30"),
            "artefacts/poster/index.md": entry(
                "A poster",
                "2024-03-16",
                "Why.",
                type="image",
                media="[{src: poster.png, alt: The poster}]",
                skills="[{skill: creativity, evidence: I drew it}]",
            ),
            "artefacts/poster/poster.png": PNG,
        },
    )
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert problems.sorted() == []
    by_slug = {i.slug: i for i in portfolio.items}
    good = by_slug["2024-03-14-good"]
    assert good.title == "A good entry"
    assert good.date == dt.date(2024, 3, 14)
    assert good.kind == "plan"
    assert good.skill_ids == ["teamwork", "communication"]
    assert good.tags == ["group", "Week 1"]
    assert good.visibility == "public"
    # visibility defaults to the portfolio's default_visibility (private here)
    assert by_slug["2024-03-15-default"].visibility == "private"
    assert by_slug["2024-03-15-default"].date == dt.datetime(2024, 3, 15, 9, 30)
    poster = by_slug["poster"]  # artefacts/<slug>/index.md takes the folder's name
    assert poster.type == "image"
    assert [(m.kind, m.alt) for m in poster.media] == [("image", "The poster")]
    assert poster.media[0].path == (tmp_path / "artefacts/poster/poster.png").resolve()
    assert [(c.skill, c.evidence) for c in poster.skills] == [("creativity", "I drew it")]


def test_problem_lines_are_formatted_path_line_message():
    assert str(Problem("journal/a.md", 3, "something is wrong")) == "journal/a.md:3: something is wrong"
    assert str(Problem("journal/a.md", 4, "look", "warning")) == "journal/a.md:4: warning: look"


# --- journal entries and artefacts --------------------------------------------


def test_missing_title(tmp_path):
    text = "---\ndate: 2024-01-02\nvisibility: public\n---\nBody.\n"
    make(tmp_path, {"journal/no-title.md": text})
    problem = only_problem(tmp_path, "journal/no-title.md", "missing required field 'title'")
    assert problem.severity == "error"
    assert problem.line == 2  # the front matter's first line


def test_missing_date(tmp_path):
    make(tmp_path, {"journal/no-date.md": "---\ntitle: No date\n---\nBody.\n"})
    problem = only_problem(tmp_path, "journal/no-date.md", "missing required field 'date'")
    assert problem.line == 2


@pytest.mark.parametrize("bad", ["14/03/2026", "2024-02-30", "next tuesday", "2024-13-01"])
def test_bad_date(tmp_path, bad):
    text = entry("Bad date", bad, kind="plan")
    make(tmp_path, {"journal/bad-date.md": text})
    problem = only_problem(
        tmp_path,
        "journal/bad-date.md",
        f"'date' must be a date such as 2026-03-14 (or 2026-03-14 09:30), not '{bad}'",
    )
    assert problem.line == line_of(text, "date:")


def test_dates_with_and_without_time_zone_sort_together(tmp_path):
    make(
        tmp_path,
        {
            "journal/a.md": entry("Naive", "2024-03-01 10:00"),
            "journal/b.md": entry("Aware", "2024-03-01T10:30:00+02:00"),  # 08:30 UTC
            "journal/c.md": entry("Day", "2024-03-02"),
        },
    )
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert problems.sorted() == []
    ordered = sorted(portfolio.journal, key=lambda i: i.sort_key)
    assert [i.title for i in ordered] == ["Aware", "Naive", "Day"]


def test_a_date_in_the_future_is_a_warning(tmp_path):
    soon = dt.date.today() + dt.timedelta(days=30)
    text = entry("Later", soon.isoformat())
    make(tmp_path, {"journal/later.md": text, "journal/before.md": entry("Before", "2020-01-01")})
    problem = only_problem(tmp_path, "journal/later.md", f"the date {soon.isoformat()} is in the future")
    assert problem.severity == "warning"
    assert problem.line == line_of(text, "date:")


def test_unknown_kind_with_did_you_mean(tmp_path):
    text = entry("Kind", "2024-01-02", kind="reflexion")
    make(tmp_path, {"journal/kind.md": text})
    problem = only_problem(tmp_path, "journal/kind.md", "'kind' must be one of question, plan, ")
    assert problem.message.endswith("not 'reflexion' (did you mean 'reflection'?)")
    assert problem.line == line_of(text, "kind:")


def test_unknown_visibility_with_did_you_mean(tmp_path):
    text = entry("Vis", "2024-01-02", visibility="pubilc")
    make(tmp_path, {"journal/vis.md": text})
    problem = only_problem(
        tmp_path, "journal/vis.md", "'visibility' must be one of public, unlisted, shared, private"
    )
    assert "(did you mean 'public'?)" in problem.message
    assert problem.line == line_of(text, "visibility:")


def test_unknown_skill_at_its_list_item_line(tmp_path):
    text = "---\ntitle: Skills\ndate: 2024-01-02\nskills:\n  - teamwork\n  - comunication\n---\nBody.\n"
    make(tmp_path, {"journal/skills.md": text})
    problem = only_problem(
        tmp_path, "journal/skills.md", "unknown skill 'comunication' (did you mean 'communication'?)"
    )
    assert problem.line == line_of(text, "- comunication")


def test_unknown_skill_in_artefact_evidence(tmp_path):
    text = (
        "---\ntitle: Art\ndate: 2024-01-02\nskills:\n  - skill: teamwork\n    evidence: ok\n"
        "  - skill: leadrship\n    evidence: led\n---\nBody.\n"
    )
    make(tmp_path, {"artefacts/art.md": text})
    problem = only_problem(
        tmp_path, "artefacts/art.md", "unknown skill 'leadrship' (did you mean 'leadership'?)"
    )
    assert problem.line == line_of(text, "- skill: leadrship")


def test_unknown_field_with_did_you_mean(tmp_path):
    text = entry("Typo", "2024-01-02", skils="[teamwork]")
    make(tmp_path, {"journal/typo.md": text})
    problem = only_problem(tmp_path, "journal/typo.md", "unknown field 'skils' (did you mean 'skills'?)")
    assert problem.line == line_of(text, "skils:")


def test_invalid_yaml_reports_the_line_in_the_file(tmp_path):
    # line 1 is '---', so YAML line 2 of the front matter is line 3 of the file
    text = "---\ntitle: Broken\n  date: 2024-01-02\n---\nBody.\n"
    make(tmp_path, {"journal/broken.md": text})
    problem = only_problem(tmp_path, "journal/broken.md", "invalid YAML:")
    assert problem.line == 3


def test_duplicate_key_in_front_matter(tmp_path):
    text = "---\ntitle: One\ndate: 2024-01-02\ntitle: Two\n---\n"
    make(tmp_path, {"journal/dup.md": text})
    problem = only_problem(tmp_path, "journal/dup.md", "duplicate key 'title'")
    assert problem.line == 4


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("Just some text, no fields.\n", "missing front matter"),
        (
            "---\ntitle: Open\ndate: 2024-01-02\nBody without the closing line.\n",
            "the front matter is not closed",
        ),
        ("--- title: x\n---\n", "the first line must be '---' alone"),
        ("---\n- a\n- b\n---\n", "the front matter must be fields such as 'title: My entry'"),
    ],
)
def test_malformed_front_matter(tmp_path, text, fragment):
    make(tmp_path, {"journal/front.md": text})
    problem = only_problem(tmp_path, "journal/front.md", fragment)
    assert problem.line in (1, 2)


def test_duplicate_slugs(tmp_path):
    make(
        tmp_path,
        {
            "journal/2024-01-01-first.md": entry("First", "2024-01-01", slug="same-address"),
            "journal/2024-01-02-second.md": entry("Second", "2024-01-02", slug="same-address"),
        },
    )
    problem = only_problem(
        tmp_path, "journal/2024-01-02-second.md", "two items would have the same address 'same-address/'"
    )
    assert "journal/2024-01-01-first.md" in problem.message


def test_duplicate_slugs_from_file_names_in_subfolders(tmp_path):
    make(
        tmp_path,
        {
            "journal/2025/notes.md": entry("A", "2023-01-01"),
            "journal/2026/notes.md": entry("B", "2024-01-01"),
        },
    )
    only_problem(tmp_path, "journal/2026/notes.md", "two items would have the same address 'notes/'")


def test_same_slug_in_journal_and_artefacts_is_fine(tmp_path):
    make(
        tmp_path, {"journal/work.md": entry("A", "2024-01-01"), "artefacts/work.md": entry("B", "2024-01-01")}
    )
    assert load_problems(tmp_path) == []


def test_media_file_not_found(tmp_path):
    text = (
        "---\ntitle: Video\ndate: 2024-01-02\ntype: video\nmedia:\n  - src: clip.mp4\n"
        "  - src: missing.mp4\n---\nBody.\n"
    )
    make(tmp_path, {"artefacts/video/index.md": text, "artefacts/video/clip.mp4": MP4})
    problem = only_problem(tmp_path, "artefacts/video/index.md", "media file not found: missing.mp4")
    assert problem.line == line_of(text, "- src: missing.mp4")


def test_poster_not_found_and_poster_address_refused(tmp_path):
    text = (
        "---\ntitle: Video\ndate: 2024-01-02\nmedia:\n  - src: clip.mp4\n    poster: nope.jpg\n"
        "  - src: clip.mp4\n    poster: https://cdn.example.com/p.jpg\n---\n"
    )
    make(tmp_path, {"artefacts/video/index.md": text, "artefacts/video/clip.mp4": MP4})
    problems = load_problems(tmp_path)
    missing = the_problem(problems, "artefacts/video/index.md", "poster file not found: nope.jpg")
    assert missing.line == line_of(text, "- src: clip.mp4")
    remote = the_problem(problems, "artefacts/video/index.md", "'poster' must be an image file")
    assert remote.line == line_of(text, "poster: https") - 1


def test_image_without_alt_text_is_a_warning(tmp_path):
    text = "---\ntitle: Pic\ndate: 2024-01-02\nmedia:\n  - photo.jpg\n---\n\n![](photo.jpg)\n"
    make(tmp_path, {"artefacts/pic/index.md": text, "artefacts/pic/photo.jpg": JPEG})
    problems = load_problems(tmp_path)
    assert {p.severity for p in problems} == {"warning"}
    media = the_problem(problems, "artefacts/pic/index.md", "image 'photo.jpg' has no alt text: add 'alt:")
    assert media.line == line_of(text, "- photo.jpg")
    body = the_problem(problems, "artefacts/pic/index.md", "describe it in the brackets")
    assert body.line == line_of(text, "![](photo.jpg)")


def test_link_target_not_found(tmp_path):
    text = entry(
        "Links",
        "2024-01-02",
        "First paragraph.\n\nSee [the plan](2024-01-01-plan.md) and\n[nothing](nope.md).\n",
    )
    make(tmp_path, {"journal/links.md": text, "journal/2024-01-01-plan.md": entry("Plan", "2024-01-01")})
    problem = only_problem(tmp_path, "journal/links.md", "link target not found: nope.md")
    assert problem.line == line_of(text, "[the plan]")  # the paragraph's first line


def test_image_target_not_found(tmp_path):
    text = entry("Img", "2024-01-02", "Intro.\n\n![A graph](graph.png)\n")
    make(tmp_path, {"journal/img.md": text})
    problem = only_problem(tmp_path, "journal/img.md", "image target not found: graph.png")
    assert problem.line == line_of(text, "![A graph]")


@pytest.mark.parametrize(
    "target", ["../../etc/passwd", "../../../../../../../etc/passwd", "../../outside.md"]
)
def test_link_outside_the_portfolio_is_an_error(tmp_path, target):
    # the targets exist (tmp_path/etc/passwd, tmp_path/outside.md, /etc/passwd):
    # existing or not, a file outside the portfolio folder is refused
    write_portfolio(tmp_path, {"etc/passwd": "root:x:0:0\n", "outside.md": entry("Out", "2024-01-01")})
    text = entry("Escape", "2024-01-02", f"Text.\n\nRead [this]({target}).\n")
    root = make(tmp_path / "portfolio", {"journal/escape.md": text})
    problem = only_problem(root, "journal/escape.md", f"link '{target}' points outside the portfolio folder")
    assert problem.line == line_of(text, "Read [this]")


def test_link_outside_through_a_symlink_is_an_error(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    text = entry("Escape", "2024-01-02", "Read [this](peek.txt).\n")
    root = make(tmp_path / "portfolio", {"journal/escape.md": text})
    (root / "journal" / "peek.txt").symlink_to(secret)
    problem = only_problem(root, "journal/escape.md", "link 'peek.txt' points outside the portfolio folder")
    assert problem.line == line_of(text, "Read [this]")


def test_media_outside_the_portfolio_is_an_error(tmp_path):
    (tmp_path / "outside.mp4").write_bytes(MP4)
    text = "---\ntitle: Escape\ndate: 2024-01-02\nmedia:\n  - ../../../outside.mp4\n---\n"
    root = make(tmp_path / "portfolio", {"artefacts/escape/index.md": text})
    problem = only_problem(
        root, "artefacts/escape/index.md", "media '../../../outside.mp4' points outside the portfolio folder"
    )
    assert problem.line == line_of(text, "- ../../../outside.mp4")


def test_javascript_media_is_an_error(tmp_path):
    text = '---\ntitle: JS\ndate: 2024-01-02\nmedia:\n  - "javascript:alert(1)"\n---\n'
    make(tmp_path, {"artefacts/js.md": text})
    problem = only_problem(tmp_path, "artefacts/js.md", "javascript: addresses are not allowed")
    assert problem.line == line_of(text, '- "javascript')


def test_javascript_link_in_a_body_is_not_a_link(tmp_path):
    # Markdown itself refuses javascript: targets; the text stays plain text
    text = entry("JS", "2024-01-02", "Click [here](javascript:alert(1)).\n")
    make(tmp_path, {"journal/js.md": text})
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert problems.sorted() == []
    assert portfolio.journal[0].body.references == []


def test_binary_file_where_markdown_is_expected(tmp_path):
    make(tmp_path, {"journal/photo.md": PNG})
    problem = only_problem(tmp_path, "journal/photo.md", "this is a binary file, not Markdown or YAML text")
    assert problem.line == 1


def test_non_utf8_file_reports_the_line_of_the_first_bad_byte(tmp_path):
    text = entry("Accents", "2024-01-02", "First line.\n\nCaf\u00e9 in Latin-1.\n")
    make(tmp_path, {"journal/latin.md": text.encode("latin-1")})
    problem = only_problem(tmp_path, "journal/latin.md", "the file is not UTF-8 text; save it as UTF-8")
    assert problem.line == line_of(text, "Caf\u00e9")


def test_utf8_with_bom_and_crlf_is_fine(tmp_path):
    text = entry("Windows", "2024-01-02", "Line.\n", kind="plan").replace("\n", "\r\n")
    make(tmp_path, {"journal/win.md": b"\xef\xbb\xbf" + text.encode()})
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert problems.sorted() == []
    assert portfolio.journal[0].kind == "plan"


def test_every_problem_is_reported_at_once(tmp_path):
    make(
        tmp_path,
        {
            "journal/a.md": entry("A", "2024-01-02", kind="reflexion"),
            "journal/b.md": entry("B", "not a date"),
            "artefacts/c.md": entry("C", "2024-01-02", skils="[teamwork]"),
        },
    )
    problems = load_problems(tmp_path)
    assert sorted({p.path for p in problems}) == ["artefacts/c.md", "journal/a.md", "journal/b.md"]


# --- portfolio.yaml ------------------------------------------------------------


def test_missing_portfolio_yaml(tmp_path):
    (tmp_path / "journal").mkdir()
    problem = only_problem(tmp_path, "portfolio.yaml", "no portfolio.yaml here")
    assert problem.line == 1


def test_missing_author_name(tmp_path):
    config = config_yaml().replace('  name: "Ada Tester"\n', "")
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "missing required field 'author.name'")
    assert problem.line == line_of(config, "  headline:")  # the author mapping starts there


def test_missing_author(tmp_path):
    config = 'title: "T"\nbase_url: "https://example.org/"\n'
    make(tmp_path, {}, config)
    only_problem(tmp_path, "portfolio.yaml", "missing required field 'author'")


def test_bad_default_visibility(tmp_path):
    config = config_yaml(default_visibility="publc")
    make(tmp_path, {}, config)
    problem = only_problem(
        tmp_path,
        "portfolio.yaml",
        "'default_visibility' must be one of public, unlisted, private, not 'publc'",
    )
    assert problem.message.endswith("(did you mean 'public'?)")
    assert problem.line == line_of(config, "default_visibility:")


def test_mailto_in_author_links_is_refused(tmp_path):
    config = config_yaml() + '    email: "mailto:ada@example.org"\n'
    make(tmp_path, {}, config)
    problem = only_problem(
        tmp_path, "portfolio.yaml", "'author.links.email': email addresses are never published"
    )
    assert problem.line == line_of(config, '    email: "mailto:')


def test_bare_email_in_author_links_is_refused(tmp_path):
    config = config_yaml() + "    contact: ada@example.org\n"
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "'author.links.contact': email addresses")
    assert problem.line == line_of(config, "    contact:")


def test_non_web_author_link_is_refused(tmp_path):
    config = config_yaml() + '    blog: "ftp://ada.example.org/"\n'
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "'author.links.blog' must be a web address")
    assert problem.line == line_of(config, "    blog:")


def test_bad_author_email(tmp_path):
    config = config_yaml().replace("email: ada@example.org", "email: not-an-address")
    make(tmp_path, {}, config)
    problem = only_problem(
        tmp_path, "portfolio.yaml", "'author.email' is not an email address: 'not-an-address'"
    )
    assert problem.line == line_of(config, "email: not-an-address")


def test_unknown_config_field_with_did_you_mean(tmp_path):
    config = config_yaml() + "default_visiblity: public\n"
    make(tmp_path, {}, config)
    problem = only_problem(
        tmp_path, "portfolio.yaml", "unknown field 'default_visiblity' (did you mean 'default_visibility'?)"
    )
    assert problem.line == line_of(config, "default_visiblity:")


def test_bad_base_url(tmp_path):
    config = config_yaml(base_url="example.org/portfolio")
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "'base_url' must start with http:// or https://")
    assert problem.line == line_of(config, "base_url:")


def test_unknown_framework(tmp_path):
    config = config_yaml().replace("framework: elene4work", "framework: elene4wrok")
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "unknown framework 'elene4wrok'")
    assert "(did you mean 'elene4work'?)" in problem.message
    assert problem.line == line_of(config, "framework:")


def test_author_photo_missing(tmp_path):
    config = config_yaml().replace("  headline:", "  photo: static/me.png\n  headline:")
    make(tmp_path, {}, config)
    problem = only_problem(tmp_path, "portfolio.yaml", "'author.photo': file not found: static/me.png")
    assert problem.line == line_of(config, "photo:")


def test_author_photo_outside_the_portfolio(tmp_path):
    (tmp_path / "me.png").write_bytes(PNG)
    config = config_yaml().replace("  headline:", "  photo: ../me.png\n  headline:")
    root = make(tmp_path / "portfolio", {}, config)
    problem = only_problem(
        root, "portfolio.yaml", "'author.photo' must be a file inside the portfolio folder"
    )
    assert problem.line == line_of(config, "photo:")


# --- skills.yaml -----------------------------------------------------------------

SKILLS_YAML = """\
areas:
  - id: research
    name: Research skills
skills:
  - id: public-speaking
    area: social
    name: Public speaking
    description: Speaking to an audience with confidence.
  - id: lab-safety
    area: research
    name: Lab safety
"""


def test_skills_yaml_extends_the_framework(tmp_path):
    make(
        tmp_path,
        {
            "skills.yaml": SKILLS_YAML,
            "journal/talk.md": entry("Talk", "2024-01-02", skills="[public-speaking, teamwork, lab-safety]"),
        },
    )
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert problems.sorted() == []
    framework = portfolio.framework
    ids = [s.id for s in framework.skills]
    assert len(ids) == 17 and ids[-2:] == ["public-speaking", "lab-safety"]
    assert "teamwork" in ids  # the built-in skills are kept
    assert framework.skill("public-speaking").area == "social"
    assert [a.id for a in framework.areas][-1] == "research"
    assert portfolio.journal[0].skill_ids == ["public-speaking", "teamwork", "lab-safety"]


def test_skills_yaml_replace_mode(tmp_path):
    make(
        tmp_path,
        {
            "skills.yaml": "mode: replace\nareas:\n  - id: a\n    name: A\nskills:\n"
            "  - id: only-skill\n    area: a\n    name: Only\n",
            "journal/x.md": entry("X", "2024-01-02", skills="[teamwork]"),
        },
    )
    problems = Problems(tmp_path)
    portfolio = load_portfolio(tmp_path, problems)
    assert [s.id for s in portfolio.framework.skills] == ["only-skill"]
    assert [p.message for p in problems.sorted()] == ["unknown skill 'teamwork'"]


def test_unknown_area_in_skills_yaml(tmp_path):
    text = "skills:\n  - id: public-speaking\n    name: Public speaking\n    area: socail\n"
    make(tmp_path, {"skills.yaml": text})
    problem = only_problem(tmp_path, "skills.yaml", "unknown area 'socail' (did you mean 'social'?)")
    assert problem.line == line_of(text, "area: socail")


def test_skills_yaml_problems(tmp_path):
    text = (
        "skills:\n  - id: Public Speaking\n    name: P\n    area: social\n"
        "  - id: teamwork\n    name: Again\n    area: social\n"
        "  - id: no-name\n    area: social\n"
    )
    make(tmp_path, {"skills.yaml": text})
    problems = load_problems(tmp_path)
    bad_id = the_problem(problems, "skills.yaml", "skill id 'Public Speaking' must be lowercase")
    assert bad_id.line == line_of(text, "id: Public")
    twice = the_problem(problems, "skills.yaml", "skill 'teamwork' is defined twice")
    assert twice.line == line_of(text, "id: teamwork")
    the_problem(problems, "skills.yaml", "missing required field 'skills.name'")
    assert len(problems) == 3


def test_entry_using_an_undefined_custom_skill_gets_did_you_mean(tmp_path):
    make(
        tmp_path,
        {"skills.yaml": SKILLS_YAML, "journal/x.md": entry("X", "2024-01-02", skills="[public-speeking]")},
    )
    only_problem(
        tmp_path, "journal/x.md", "unknown skill 'public-speeking' (did you mean 'public-speaking'?)"
    )
