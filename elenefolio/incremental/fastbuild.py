"""What incremental builds add to the pipeline (``pipeline.Builder``): the site kept by a
long-running process (``Warm``), body-only edits, compiled templates, the choice of
processes and the check that the output is as the last build left it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from elenefolio.incremental import changed_files, seal

# Below this many pages a cold build renders in one process: forking and
# sending the pages back costs more than it saves (see bench/ and docs/performance.md).
PARALLEL_THRESHOLD = 250


class Warm:
    """The last good site of a long-running process (``serve``), for the next build.

    When a save changed only the Markdown bodies of items (front matter and
    outgoing links as they were, no other input changed), the next build
    reloads those items alone and makes a new frozen site with them in place
    (``with_items``), instead of loading and modelling the whole portfolio
    again: nothing else in the site can differ. The kept site is never changed.
    Anything else, or any failure, starts afresh.
    """

    def __init__(self) -> None:
        self.reused = 0  # builds that used the kept site
        self.forget()

    def forget(self) -> None:
        self.site = None
        self.files: dict[str, str] = {}
        self.context = None
        self.with_passport = False
        self.problems: list = []  # of the load and site stages
        self.found: dict[str, list] = {}  # each item file's own load problems
        self.places: dict | None = None  # item file -> (its list in the portfolio, index)
        self.objects: list | None = None  # the kept site's site objects (``site_objects``)
        self.spare: Spare | None = None  # a copy of the kept site for the next save (``prepare``)
        self.git = ""  # the digest of the commit dates the kept site shows
        self.full_context = None  # the items' context (with what loading read before them)
        self.environment: dict = {}  # what loading read outside the site model
        self.hooks = None

    def keep(self, builder, site) -> None:
        items = builder.items
        self.site, self.with_passport, self.git = site, builder.with_passport, builder.git_dates.digest
        self.files, self.context, self.full_context = dict(items.file_hashes), items.base, items.context
        self.environment = dict(builder.reads.environment)  # what loading read outside the model
        self.hooks = builder.hooks
        self.problems = list(builder.problems.items)
        self.found = {rel: list(entry[3]) for rel, entry in items.fresh.items()}

    def prepare(self) -> None:
        """Copy the kept site for the next save, while there is nothing else to do (``serve``
        calls it once the open pages have reloaded): the next body-only save then puts its
        items in that copy, which nothing has seen yet, instead of copying the site while
        the learner waits (``Spare``)."""
        site = self.site
        if site is None or (self.spare is not None and self.spare.of is site):
            return
        if self.objects is None:
            self.objects = site_objects(site)
        self.spare = Spare(site, self.objects)

    def patch(self, builder, problems):
        """(site, with_passport): a new site with the changed items in place, or None."""
        root, files, items, git_dates = builder.root, builder.files, builder.items, builder.git_dates
        site = self.site
        changed = changed_files(self.files, files)
        if site is None or items.base != self.context or changed is None or git_dates.digest != self.git:
            return None
        if self.hooks is not None and self.hooks.extends("on_site"):
            return None  # (a hook may make pages from the bodies: its on_site must run again)
        portfolio = site.portfolio
        if self.places is None:
            self.places = {
                os.path.relpath(item.path, root): (section, i)
                for section in (portfolio.journal, portfolio.artefacts)
                for i, item in enumerate(section)
            }
        lists = self.places
        if not changed <= lists.keys():
            return None
        from elenefolio.load.artefacts import load_artefact
        from elenefolio.load.journal import load_entry
        from elenefolio.problems import Problems

        fresh = {}
        items.context = self.full_context  # nothing but these items changed: the same environment
        for rel in changed:
            section, i = lists[rel]
            loader = load_entry if section is portfolio.journal else load_artefact
            local = Problems(root)
            item = items.wrap(loader)(root / rel, root, portfolio.config, portfolio.framework, local)
            if item is None or local.errors or rel not in items.body_only:
                return None
            git_dates.apply([item])
            fresh[rel] = (item, local.items)
        replaced = [(lists[rel][0][lists[rel][1]], item) for rel, (item, _) in fresh.items()]
        spare = self.spare
        if not replaced:  # (the catch-up of the search index: the same site)
            pass
        elif spare is not None and spare.of is site and spare.usable:
            self.spare = None
            site, self.objects = spare.with_items(replaced, [lists[rel] for rel in fresh]), spare.objects
        else:
            if self.objects is None:
                self.objects = site_objects(site)
            site, self.objects = copy_with_items(site, replaced, self.objects)
        self.site = site
        moved = {
            id(portfolio.journal): site.portfolio.journal,
            id(portfolio.artefacts): site.portfolio.artefacts,
        }
        self.places = {rel: (moved[id(section)], i) for rel, (section, i) in lists.items()}
        kept = list(self.problems)
        for rel, (_item, found) in fresh.items():
            for problem in self.found.get(rel, []):
                if problem in kept:
                    kept.remove(problem)
            kept.extend(found)
            self.found[rel] = list(found)
        for rel, entry in items.stored.items():
            items.fresh.setdefault(rel, entry)
        self.problems = kept
        self.files = dict(files)  # what the kept site now shows
        self.reused += 1
        builder.reads.environment.update(self.environment)
        builder.hooks = self.hooks
        problems.extend(kept)
        return site, self.with_passport


def with_items(site, replaced: list[tuple[object, object]]):
    """A new frozen site in which each (old, new) item of ``replaced`` is in place of the old.

    ``site`` is left as it is. Its site objects (views, pages, collections, the
    self-assessment's rows, every list and dictionary between them) are copied, each once,
    with every reference to one of them or to an old item turned to its copy or its new item:
    copied alike whether they show a new item or not, as the views point at one another
    (neighbours, evidence, tags). What the load stage made and did not change (the other
    items, their parsed bodies, the framework, rounds, badges) is shared, not copied.
    """
    return copy_with_items(site, replaced, site_objects(site))[0]


_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def site_objects(site) -> list:
    """Every object of the site stage that ``site`` reaches (``site`` first), each once."""
    plain = _PLAIN
    kinds: dict[type, bool] = {}  # type -> whether it is one of the site stage's
    found: list[object] = []
    seen: set[int] = set()
    # (without recursion: the journal's neighbour links make chains as long as the journal)
    stack: list[object] = [site]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind in plain or id(value) in seen:
            continue
        seen.add(id(value))
        site_object = kinds.get(kind)
        if site_object is None:
            site_object = kinds[kind] = kind.__module__.startswith("elenefolio.site")
        if site_object:
            found.append(value)
            stack.extend(vars(value).values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return found


def copy_with_items(site, replaced: list[tuple[object, object]], objects: list) -> tuple[Any, list]:
    """(``with_items``) The new site, and its site objects in the order of ``objects`` (the
    site objects of ``site``, from ``site_objects``: the copy has the same shape, so the
    next copy needs no walk through it)."""
    import dataclasses

    plain = _PLAIN
    portfolio = site.portfolio
    swap = {id(old): new for old, new in replaced}
    memo: dict[int, object] = dict(swap)  # id of an original -> its copy (or new item)
    memo[id(portfolio)] = dataclasses.replace(
        portfolio,
        journal=[swap.get(id(i), i) for i in portfolio.journal],
        artefacts=[swap.get(id(i), i) for i in portfolio.artefacts],
    )
    new = object.__new__
    copies = [new(type(original)) for original in objects]  # their fields are set below
    memo.update(zip(map(id, objects), copies))
    memo_get = memo.get
    containers: dict[int, object] = {}  # a list or dictionary shared by two objects stays shared

    def rebuilt(value):
        kind = type(value)
        if kind in plain:
            return value
        found = memo_get(id(value))
        if found is not None:
            return found
        if id(value) in containers:
            return containers[id(value)]
        if kind is list:
            out: list = []
            containers[id(value)] = out
            out.extend(
                [
                    v if type(v) in plain else (m if (m := memo_get(id(v))) is not None else rebuilt(v))
                    for v in value
                ]
            )
            return out
        if kind is dict:
            mapping: dict = {}
            containers[id(value)] = mapping
            mapping.update(
                [
                    (k, v if type(v) in plain else (m if (m := memo_get(id(v))) is not None else rebuilt(v)))
                    for k, v in value.items()
                ]
            )
            return mapping
        if kind in (tuple, set, frozenset):
            made = kind(rebuilt(v) for v in value)
            containers[id(value)] = made
            return made
        return value  # the load stage's objects and plain values: shared

    set_fields = object.__setattr__  # (into the copy's own fields: past the site's freeze)
    for original, copy in zip(objects, copies):
        fields = vars(original).copy()
        for name, v in fields.items():
            if type(v) not in plain:
                m = memo_get(id(v))
                fields[name] = m if m is not None else rebuilt(v)
        set_fields(copy, "__dict__", fields)
    return memo[id(site)], copies


class Spare:
    """A copy of a site (``copy_with_items`` with no item replaced), made ahead of a save, and
    every place in it where one of the portfolio's items is referred to: a field of a site
    object or an element of a list or dictionary of the copy. ``with_items`` then puts new
    items in those places, which makes exactly the site ``copy_with_items`` would have made,
    in the time of a few assignments. The copy is given to no one before that: the kept site
    and every site made from it stay as they were. (An item held in a tuple or a set could
    not be put in place: such a copy is not ``usable``, and the save copies the site.)"""

    def __init__(self, site, objects: list):
        self.of = site  # the site it is a copy of
        self.site, self.objects = copy_with_items(site, [], objects)
        portfolio = self.site.portfolio
        watched = {id(item) for item in (*portfolio.journal, *portfolio.artefacts)}
        self.places: dict[int, list[tuple[Any, Any]]] = {}  # id of an item -> (holder, key)
        self.usable = True
        plain = _PLAIN
        seen: set[int] = set()  # containers looked through (one shared by two objects once)

        def look(holder, key, value) -> None:
            kind = type(value)
            if kind in plain:
                return
            if id(value) in watched:
                self.places.setdefault(id(value), []).append((holder, key))
            elif kind is list or kind is dict or kind in (tuple, set, frozenset):
                if id(value) in seen:
                    return
                seen.add(id(value))
                if kind is list:
                    for i, element in enumerate(value):
                        look(value, i, element)
                elif kind is dict:
                    for k, element in value.items():
                        look(value, k, element)
                elif any(id(element) in watched for element in value):
                    self.usable = False

        for copy in self.objects:
            fields = vars(copy)
            for name, value in fields.items():
                look(fields, name, value)

    def with_items(self, replaced: list[tuple[object, object]], sections: list[tuple[list, int]]):
        """The copy with each (old, new) item of ``replaced`` in place of the old one, which was
        at ``sections``' (list of the kept portfolio, index) of the same rank."""
        site = self.site
        portfolio = site.portfolio
        for (old, new), (section, i) in zip(replaced, sections):
            for holder, key in self.places.get(id(old), ()):
                holder[key] = new
            # (the copy's portfolio is a new one with lists of its own: ``copy_with_items``)
            own = portfolio.journal if section is self.of.portfolio.journal else portfolio.artefacts
            own[i] = new
        return site


def changed_bodies(state: dict | None, files: dict[str, str], items, git: str) -> set[str] | None:
    """The files changed since the last build when they are all items of which only the
    Markdown body changed (nothing else: no file added, removed or renamed, same options,
    code, theme, date and commit dates); otherwise None."""
    if not state or state.get("items") != items.context or state.get("git") != git:
        return None
    changed = changed_files(state.get("files", {}), files)
    return changed if changed is not None and changed <= items.body_only else None


# Templates compiled in this process, by bucket key, source checksum and environment: a
# cohort's workers build many portfolios with the same theme, and compile each template once.
COMPILED: dict[tuple, bytes] = {}


def bytecode_cache(folder: Path):
    """Compiled templates, reused while their source is unchanged.

    Jinja's own file cache unpickles whatever file it finds: these files are sealed
    (``seal``), and one this user's elenefolio did not write is never loaded."""
    import jinja2

    def memo_key(bucket: jinja2.bccache.Bucket) -> tuple:
        env = bucket.environment  # the same source compiles alike only in a like environment
        return (
            bucket.key,
            bucket.checksum,
            type(env).__qualname__,
            env.trim_blocks,
            env.lstrip_blocks,
            tuple(sorted(env.extensions)),
        )

    class SealedBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            compiled = COMPILED.get(memo_key(bucket))
            if compiled is not None:  # compiled earlier in this process (serve, cohorts)
                bucket.bytecode_from_string(compiled)
                return
            payload = seal.read(folder / f"{bucket.key}.cache", "template")
            if payload is not None:
                bucket.bytecode_from_string(bytes(payload))
                if bucket.code is not None:
                    COMPILED[memo_key(bucket)] = bytes(payload)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            compiled = bucket.bytecode_to_string()
            COMPILED[memo_key(bucket)] = compiled
            seal.write(folder / f"{bucket.key}.cache", "template", compiled)

    return SealedBytecodeCache()


def jobs_for(options, pages: int, has_records: bool) -> int:
    if not options.fork:
        return 1
    if options.jobs is not None:
        return max(1, options.jobs)
    if has_records or pages < PARALLEL_THRESHOLD:
        return 1
    from elenefolio.render.parallel import available

    return min(os.cpu_count() or 1, 8) if available() else 1


def counting(renderer, progress):
    serial = renderer.page_outputs

    def pages():
        total = len(renderer.site.pages)
        for done, output in enumerate(serial(), 1):
            progress(done, total)
            yield output

    return pages


def output_intact(destination: Path, manifest: dict[str, tuple]) -> bool:
    """The output folder holds exactly the files the manifest describes, untouched."""
    seen = 0
    for dirpath, _dirnames, filenames in os.walk(destination):
        rel_dir = os.path.relpath(dirpath, destination).replace(os.sep, "/")
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            entry = manifest.get(rel)
            if entry is None:
                return False
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                return False
            if st.st_size != entry[1] or st.st_mtime_ns != entry[2]:
                return False
            seen += 1
    return seen == len(manifest)
