// The /search/ page: queries the static Pagefind index in pagefind/ (no server,
// no other site). The index may be split into shards, listed in pagefind/shards.json,
// and each shard holds one index per language of its pages (Chinese, Japanese and Thai
// entries of a site in another language have their own, whose words Pagefind found in
// text without spaces). The first shard's client is loaded with the index in the
// page's language, and every other index of every shard is merged into it, so a query
// searches them all as one. Results are announced in a live region and shown a page at
// a time, with a button that shows more; the query is kept in the address (?q=...) so
// a search can be linked to and reloaded.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.querySelector(".search-more");
const moreButton = document.getElementById("search-more");
const shown = document.getElementById("search-shown");
const root = new URL(form.dataset.root, document.baseURI);
const folder = new URL(form.dataset.index, document.baseURI); // the index folder, pagefind/
const PAGE = 20; // results shown at first, and added by each press of "Show more results"
// Addresses come back relative to the site root ("/journal/x/"); they are resolved
// against the site root found from this page, so a site under a sub-path works too.
const OPTIONS = { baseUrl: "/", excerptLength: 24 };
let loading = null;
let latest = 0;
let timer = 0;

// The language index Pagefind's client loads first from a shard's languages: the one of
// the page, else of its main language, else the one with the most pages (as it chooses).
function chosen(languages, language) {
  if (languages[language]) return language;
  const main = language.split("-")[0];
  if (languages[main]) return main;
  return Object.keys(languages).sort((a, b) => languages[b].page_count - languages[a].page_count)[0];
}

async function load() {
  const response = await fetch(new URL("shards.json", folder), { cache: "no-cache" });
  if (!response.ok) throw new Error(`shards.json: ${response.status}`);
  const shards = (await response.json()).shards.map((name) => new URL(name, folder).href);
  if (shards.length === 0) return null; // nothing is searchable
  const entries = Promise.all(shards.map(async (shard) => {
    const entry = await fetch(new URL("pagefind-entry.json", shard), { cache: "no-cache" });
    if (!entry.ok) throw new Error(`${shard}: ${entry.status}`);
    return (await entry.json()).languages || {};
  }));
  entries.catch(() => {}); // (a failure is reported where it is awaited, below)
  const pagefind = await import(new URL("pagefind.js", shards[0]).href);
  await pagefind.options(OPTIONS);
  await pagefind.init();
  const languages = await entries;
  const own = (document.documentElement.lang || "unknown").toLowerCase();
  const primary = chosen(languages[0], own);
  const merged = [];
  shards.forEach((shard, number) => {
    for (const language of Object.keys(languages[number])) {
      if (number === 0 && language === primary) continue; // loaded by init()
      // Pagefind merges no index from the folder of the one it loaded first: the first
      // shard's other languages are merged from the same folder, written "0/./".
      const path = number === 0 ? `${shard}./` : shard;
      merged.push(pagefind.mergeIndex(path, { ...OPTIONS, language }));
    }
  });
  await Promise.all(merged);
  return pagefind;
}

function engine() {
  if (!loading) {
    loading = load();
    loading.catch(() => { loading = null; }); // try again with the next query
  }
  return loading;
}

// Pagefind's excerpt is HTML with <mark> around the matches: keep only the text and the marks.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const p = document.createElement("p");
  p.className = "search-excerpt";
  p.dir = "auto"; // an excerpt in Arabic or Hebrew reads from right to left in any site
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function say(key, query, count) {
  status.textContent = status.dataset[key].replace("{query}", query).replace("{count}", count);
}

// An item's tags, from its result's metadata: "Tags: one, two".
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
  link.href = new URL(data.url.replace(/^\//, ""), root).href;
  link.textContent = data.meta.title || data.url;
  link.dir = "auto";
  heading.append(link);
  item.append(heading);
  // the page's type and date (its data-pagefind-meta), as text
  const about = [data.meta.type, data.meta.date].filter(Boolean);
  if (about.length) {
    const meta = document.createElement("p");
    meta.className = "search-meta";
    meta.textContent = about.join(" · ");
    item.append(meta);
  }
  item.append(excerpt(data.excerpt));
  if (data.meta.tags) item.append(tagLine(data.meta.tags));
  return item;
}

// The results of the query on the page: all of them, best first, and how many are shown.
let current = { ticket: 0, results: [], shown: 0 };

// Shows the next PAGE results of the current query; returns the first new item.
async function showMore(ticket) {
  const { results } = current;
  const next = results.slice(current.shown, current.shown + PAGE);
  const data = await Promise.all(next.map((result) => result.data()));
  if (ticket !== latest) return null; // a newer query is on its way
  const items = data.map(resultItem);
  list.append(...items);
  current.shown += next.length;
  const left = current.shown < results.length;
  more.hidden = !left;
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
    const pagefind = await engine();
    const found = pagefind ? await pagefind.search(query) : { results: [] };
    if (ticket !== latest) return;
    // each page is in one index; should one be found twice, it is counted and shown once
    const seen = new Set();
    const results = found.results.filter((r) => !seen.has(r.id) && seen.add(r.id));
    current = { ticket, results, shown: 0 };
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
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
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
