// The search page of an offline site (built with --offline), which may be opened from
// the file system (file://), where browsers neither fetch files nor load modules: the
// index is search-index.js, loaded before this file with a plain <script>; it defines
// ELENEFOLIO_SEARCH, one record per searchable page (url, title, type, date, tags, lang,
// text). Matching: the query and the pages' words are lower-cased and stripped of their
// accents ("éte" finds "Été"); every word of the query must be found (AND), as a part
// of a word: "reflect" finds "reflection", and a Chinese, Japanese or Thai word is found
// inside the sentence around it, which has no spaces (there is no word segmenter
// here). Results are ranked by where and how often the words are found (title, tags,
// then text). The page itself (the query in the address, the results a page at a time,
// "Show more results") is search-results.js's, loaded before this file, as on the online
// search page.
(function () {
  "use strict";
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

  // The text around the first match, with every match of the query marked: [text, marked]
  // pieces.
  function excerpt(page, terms) {
    const pieces = [];
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
    if (start > 0) pieces.push(["… ", false]);
    for (const [from, to] of ranges) {
      if (from < cursor) continue; // (overlapping matches: the first one is marked)
      pieces.push([original.slice(cursor, from), false]);
      pieces.push([original.slice(from, to), true]);
      cursor = to;
    }
    pieces.push([original.slice(cursor, end), false]);
    if (end < original.length) pieces.push([" …", false]);
    return pieces;
  }

  window.elenefolioSearchPage({
    find,
    show(result) {
      const data = result.page.record;
      return {
        url: data.url,
        title: data.title || data.url,
        type: data.type,
        date: data.date,
        tags: data.tags,
        excerpt: excerpt(result.page, result.terms),
      };
    },
  });
})();
