// The /search/ page: queries the static Pagefind index in pagefind/ (no server,
// no other site). The index may be split into shards, listed in pagefind/shards.json,
// and each shard holds one index per language of its pages (Chinese, Japanese and Thai
// entries of a site in another language have their own, whose words Pagefind found in
// text without spaces). The first shard's client is loaded with the index in the
// page's language, and every other index of every shard is merged into it, so a query
// searches them all as one. The page itself (the query in the address, the results a
// page at a time, "Show more results") is search-results.js's, loaded before this file.
const form = document.querySelector(".search-form");
const folder = new URL(form.dataset.index, document.baseURI); // the index folder, pagefind/
// Addresses come back relative to the site root ("/journal/x/"); they are resolved
// against the site root found from this page, so a site under a sub-path works too.
const OPTIONS = { baseUrl: "/", excerptLength: 24 };
let loading = null;

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
  return Array.from(parsed.body.firstChild.childNodes, (node) => [node.textContent, node.nodeName === "MARK"]);
}

window.elenefolioSearchPage({
  async find(query) {
    const pagefind = await engine();
    const found = pagefind ? await pagefind.search(query) : { results: [] };
    // each page is in one index; should one be found twice, it is counted and shown once
    const seen = new Set();
    return found.results.filter((r) => !seen.has(r.id) && seen.add(r.id));
  },
  async show(result) {
    const data = await result.data();
    return {
      url: data.url.replace(/^\//, ""),
      title: data.meta.title || data.url,
      // the page's type, date and tags: its data-pagefind-meta
      type: data.meta.type,
      date: data.meta.date,
      tags: data.meta.tags,
      excerpt: excerpt(data.excerpt),
    };
  },
});
