// The search page of an offline site (built with --offline), which may be opened from
// the file system (file://), where browsers neither fetch files nor load modules: the
// index is search-index.js, loaded before this file with a plain <script>; it defines
// ELENEFOLIO_SEARCH, one record per searchable page (url, title, type, date, tags, lang,
// text). Matching: the query and the pages' words are lower-cased and stripped of their
// accents ("éte" finds "Été"); every word of the query must be found (AND), as a part
// of a word: "reflect" finds "reflection", and a Chinese, Japanese or Thai word is found
// inside the sentence around it, which has no spaces (there is no word segmenter
// here). Results are ranked by where and how often the words are found (title, tags,
// then text) and shown a page at a time, as on the online search page.
(function () {
  "use strict";
  const form = document.querySelector(".search-form");
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.querySelector(".search-more");
  const moreButton = document.getElementById("search-more");
  const shown = document.getElementById("search-shown");
  const root = new URL(form.dataset.root, document.baseURI);
  const PAGE = 20;
  const AROUND = 80; // characters of text shown before and after the first match
  const MARKS = /\p{M}/gu;

  // A text as the search compares it, and for each of its characters the position of the
  // character of the original it comes from (to mark the match in the original).
  function fold(text) {
    let folded = "";
    const origin = [];
    let position = 0;
    for (const char of text) {
      const plain = char.normalize("NFD").replace(MARKS, "").toLowerCase();
      for (let i = 0; i < plain.length; i++) origin.push(position);
      folded += plain;
      position += char.length;
    }
    origin.push(position);
    return { folded, origin };
  }

  function words(query) {
    return fold(query).folded.split(/[\s\u3000]+/).filter(Boolean);
  }

  let pages = null;
  function index() {
    if (!pages) {
      const records = window.ELENEFOLIO_SEARCH;
      if (!Array.isArray(records)) throw new Error("search-index.js is missing");
      pages = records.map((record) => ({
        record,
        title: fold(record.title).folded,
        tags: fold(record.tags || "").folded,
        text: fold(record.text),
      }));
    }
    return pages;
  }

  function count(haystack, needle) {
    let n = 0;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
    return n;
  }

  function find(query) {
    const terms = words(query);
    if (!terms.length) return [];
    const found = [];
    for (const page of index()) {
      let score = 0;
      let ok = true;
      for (const term of terms) {
        const inTitle = count(page.title, term);
        const inTags = count(page.tags, term);
        const inText = count(page.text.folded, term);
        if (!inTitle && !inTags && !inText) { ok = false; break; }
        score += 10 * inTitle + 5 * inTags + Math.min(inText, 20);
      }
      if (ok) found.push({ page, score, terms });
    }
    found.sort((a, b) => b.score - a.score || (a.page.record.url < b.page.record.url ? -1 : 1));
    return found;
  }

  // The text around the first match, with every match of the query marked.
  function excerpt(page, terms) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    p.dir = "auto";
    const { folded, origin } = page.text;
    const original = page.record.text;
    let first = -1;
    for (const term of terms) {
      const at = folded.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    let start = first < 0 ? 0 : Math.max(0, origin[first] - AROUND);
    let end = Math.min(original.length, (first < 0 ? 0 : origin[first]) + AROUND * 2);
    // whole words where words are separated by spaces (within a few characters), and whole
    // characters always (never half of a surrogate pair)
    const before = original.lastIndexOf(" ", start);
    if (start > 0 && before >= 0 && start - before < 16) start = before + 1;
    const after = original.indexOf(" ", end);
    if (after >= 0 && after - end < 16) end = after;
    while (start > 0 && /[\uDC00-\uDFFF]/.test(original[start])) start--;
    while (end < original.length && /[\uDC00-\uDFFF]/.test(original[end])) end++;
    const ranges = [];
    for (const term of terms) {
      for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + term.length)) {
        const from = origin[at];
        const to = origin[at + term.length];
        if (to > start && from < end) ranges.push([Math.max(from, start), Math.min(to, end)]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let cursor = start;
    if (start > 0) p.append("… ");
    for (const [from, to] of ranges) {
      if (from < cursor) continue; // (overlapping matches: the first one is marked)
      p.append(original.slice(cursor, from));
      const mark = document.createElement("mark");
      mark.textContent = original.slice(from, to);
      p.append(mark);
      cursor = to;
    }
    p.append(original.slice(cursor, end));
    if (end < original.length) p.append(" …");
    return p;
  }

  function say(key, query, n) {
    status.textContent = status.dataset[key].replace("{query}", query).replace("{count}", n);
  }

  function resultItem(result) {
    const data = result.page.record;
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = new URL(data.url, root).href;
    link.textContent = data.title || data.url;
    link.dir = "auto";
    heading.append(link);
    item.append(heading);
    const about = [data.type, data.date].filter(Boolean);
    if (about.length) {
      const meta = document.createElement("p");
      meta.className = "search-meta";
      meta.textContent = about.join(" · ");
      item.append(meta);
    }
    item.append(excerpt(result.page, result.terms));
    if (data.tags) {
      const line = document.createElement("p");
      line.className = "search-tags";
      line.dir = "auto";
      line.textContent = list.dataset.tags.replace("{tags}", data.tags);
      item.append(line);
    }
    return item;
  }

  let current = { results: [], shown: 0 };

  function showMore() {
    const { results } = current;
    const items = results.slice(current.shown, current.shown + PAGE).map(resultItem);
    list.append(...items);
    current.shown += items.length;
    more.hidden = current.shown >= results.length;
    shown.textContent = shown.dataset.text.replace("{shown}", current.shown).replace("{count}", results.length);
    return items[0] || null;
  }

  function search(query) {
    query = query.trim();
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    try {
      current = { results: find(query), shown: 0 };
    } catch (error) {
      status.textContent = status.dataset.failed;
      return;
    }
    showMore();
    const n = current.results.length;
    say(n === 0 ? "none" : n === 1 ? "one" : "many", query, n);
  }

  moreButton.addEventListener("click", () => {
    const first = showMore();
    if (first) first.querySelector("a").focus();
  });

  function keepInAddress(query) {
    try {
      const url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    } catch (error) {
      // (some browsers refuse to change the address of a page opened from a file)
    }
  }

  let timer = 0;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    keepInAddress(input.value.trim());
    search(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      keepInAddress(input.value.trim());
      search(input.value);
    }, 250);
  });

  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
