// The /search/ page: queries the static Pagefind index in pagefind/ (no server,
// no other site). Results are announced in a live region; the query is kept in
// the address (?q=...) so a search can be linked to and reloaded.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL(form.dataset.root, document.baseURI);
const SHOWN = 50; // results shown at most, best first
let pagefind = null;
let latest = 0;
let timer = 0;

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL(form.dataset.index, document.baseURI).href);
    // Addresses come back relative to the site root ("/journal/x/"); they are resolved
    // against the site root found from this page, so a site under a sub-path works too.
    await pagefind.options({ baseUrl: "/", excerptLength: 24 });
    pagefind.init();
  }
  return pagefind;
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
    const found = await (await engine()).search(query);
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
      item.append(heading, excerpt(data.excerpt));
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
