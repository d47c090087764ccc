// The /search/ page: queries the static Pagefind index in pagefind/ (no server,
// no other site). The index may be split into shards, listed in pagefind/shards.json:
// the first shard's client is loaded and the others are merged into it, so a query
// searches them all as one index. Results are announced in a live region; the query
// is kept in the address (?q=...) so a search can be linked to and reloaded.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL(form.dataset.root, document.baseURI);
const folder = new URL(form.dataset.index, document.baseURI); // the index folder, pagefind/
const SHOWN = 50; // results shown at most, best first
// Addresses come back relative to the site root ("/journal/x/"); they are resolved
// against the site root found from this page, so a site under a sub-path works too.
const OPTIONS = { baseUrl: "/", excerptLength: 24 };
let loading = null;
let latest = 0;
let timer = 0;

async function load() {
  const response = await fetch(new URL("shards.json", folder), { cache: "no-cache" });
  if (!response.ok) throw new Error(`shards.json: ${response.status}`);
  const shards = (await response.json()).shards.map((name) => new URL(name, folder).href);
  if (shards.length === 0) return null; // nothing is searchable
  const pagefind = await import(new URL("pagefind.js", shards[0]).href);
  await pagefind.options(OPTIONS);
  await pagefind.init();
  await Promise.all(shards.slice(1).map((shard) => pagefind.mergeIndex(shard, OPTIONS)));
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

async function search(query) {
  const ticket = ++latest;
  query = query.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  try {
    const pagefind = await engine();
    const found = pagefind ? await pagefind.search(query) : { results: [] };
    const results = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    if (ticket !== latest) return; // a newer query is on its way
    list.replaceChildren(...results.map((data) => {
      const item = document.createElement("li");
      item.className = "search-result";
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = new URL(data.url.replace(/^\//, ""), root).href;
      link.textContent = data.meta.title || data.url;
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
      return item;
    }));
    const count = found.results.length;
    say(count === 0 ? "none" : count === 1 ? "one" : "many", query, count);
  } catch (error) {
    if (ticket === latest) status.textContent = status.dataset.failed;
  }
}

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
