// What the two search pages share: the online one (search.js, which searches Pagefind's
// index) and an offline site's (search-offline.js, which searches search-index.js). The
// query is kept in the address (?q=...) so a search can be linked to and reloaded;
// results are announced in a live region and shown a page at a time, with a button that
// shows more, whose first new result then takes the focus. Every result is made of
// elements holding text only (its excerpt: text and <mark>), never of HTML.
// A plain script, not a module, so that it runs from the file system (file://) too; it
// defines one global, elenefolioSearchPage(source), which the page's own script, loaded
// after it, calls with where its results come from:
// - source.find(query): the results of a (trimmed, not empty) query, best first: an
//   array, or a promise of one;
// - source.show(result): what one of them shows, or a promise of it: { url (relative
//   to the site root), title, type, date, tags, excerpt }, the excerpt a list of
//   [text, marked] pieces.
window.elenefolioSearchPage = function (source) {
  "use strict";
  const form = document.querySelector(".search-form");
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.querySelector(".search-more");
  const moreButton = document.getElementById("search-more");
  const shown = document.getElementById("search-shown");
  const root = new URL(form.dataset.root, document.baseURI);
  const PAGE = 20; // results shown at first, and added by each press of "Show more results"
  let latest = 0;
  let timer = 0;

  function excerpt(pieces) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    p.dir = "auto"; // an excerpt in Arabic or Hebrew reads from right to left in any site
    for (const [text, marked] of pieces) {
      if (marked) {
        const mark = document.createElement("mark");
        mark.textContent = text;
        p.append(mark);
      } else {
        p.append(text);
      }
    }
    return p;
  }

  function say(key, query, count) {
    status.textContent = status.dataset[key].replace("{query}", query).replace("{count}", count);
  }

  // An item's tags: "Tags: one, two".
  function tagLine(tags) {
    const line = document.createElement("p");
    line.className = "search-tags";
    line.dir = "auto";
    line.textContent = list.dataset.tags.replace("{tags}", tags);
    return line;
  }

  function resultItem(data) {
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = new URL(data.url, root).href;
    link.textContent = data.title;
    link.dir = "auto";
    heading.append(link);
    item.append(heading);
    // the page's type and date, as text
    const about = [data.type, data.date].filter(Boolean);
    if (about.length) {
      const meta = document.createElement("p");
      meta.className = "search-meta";
      meta.textContent = about.join(" · ");
      item.append(meta);
    }
    item.append(excerpt(data.excerpt));
    if (data.tags) item.append(tagLine(data.tags));
    return item;
  }

  // The results of the query on the page: all of them, best first, and how many are shown.
  let current = { results: [], shown: 0 };

  // Shows the next PAGE results of the current query; returns the first new item.
  async function showMore(ticket) {
    const { results } = current;
    const next = results.slice(current.shown, current.shown + PAGE);
    const data = await Promise.all(next.map((result) => source.show(result)));
    if (ticket !== latest) return null; // a newer query is on its way
    const items = data.map(resultItem);
    list.append(...items);
    current.shown += next.length;
    more.hidden = current.shown >= results.length;
    shown.textContent = shown.dataset.text.replace("{shown}", current.shown).replace("{count}", results.length);
    return items[0] || null;
  }

  async function search(query) {
    const ticket = ++latest;
    query = query.trim();
    if (!query) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    try {
      const results = await source.find(query);
      if (ticket !== latest) return;
      current = { results, shown: 0 };
      list.replaceChildren();
      await showMore(ticket);
      if (ticket !== latest) return;
      const count = results.length;
      say(count === 0 ? "none" : count === 1 ? "one" : "many", query, count);
    } catch (error) {
      if (ticket === latest) status.textContent = status.dataset.failed;
    }
  }

  moreButton.addEventListener("click", async () => {
    const ticket = latest;
    moreButton.disabled = true;
    try {
      const first = await showMore(ticket);
      // keyboard and screen reader users go on from the first result that was added
      if (first) first.querySelector("a").focus();
    } catch (error) {
      status.textContent = status.dataset.failed;
    } finally {
      moreButton.disabled = false;
    }
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
};
