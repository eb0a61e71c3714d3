// The search page: Pagefind's Default UI (/pagefind/pagefind-ui.js, written by `sitegen build`) in the page's
// language and direction. The index is in parts (one Pagefind bundle each, listed in /pagefind/shards.json), all
// merged into one search with Pagefind's multisite search: a part with the page's language is searched first, and
// every language of every part is merged in, so results come in all the site's languages. A query in the address
// (/search/?q=..., from the search box of every page) is searched at once. Without the index (a build without
// Pagefind) the page says search is unavailable.
"use strict";
(function () {
  const element = document.getElementById("search");
  if (!element) return;
  function unavailable() {
    document.getElementById("search-unavailable").hidden = false;
  }
  if (typeof window.PagefindUI !== "function") {
    unavailable();
    return;
  }
  // The language Pagefind searches in a bundle when asked for `language` (its own rule: the language, then its
  // first part, then the bundle's language with the most pages).
  function searched(languages, language) {
    if (languages[language] !== undefined) return language;
    const base = language.split("-")[0];
    if (languages[base] !== undefined) return base;
    return Object.keys(languages).sort(function (a, b) { return languages[b] - languages[a]; })[0];
  }
  function start(shards) {
    const lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
    const primary = shards.find(function (shard) { return searched(shard.languages, lang) === lang; }) || shards[0];
    const mergeIndex = [];
    shards.forEach(function (shard) {
      Object.keys(shard.languages).forEach(function (language) {
        if (shard === primary && language === searched(shard.languages, lang)) return;
        // Named by its full address: Pagefind skips a merged bundle whose path starts like the primary one's,
        // taking it for the same index (another language of the primary bundle).
        mergeIndex.push({ bundlePath: new URL(shard.bundle, window.location.href).href, language: language });
      });
    });
    const ui = new window.PagefindUI({
      element: "#search",
      bundlePath: primary.bundle,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      mergeIndex: mergeIndex,
    });
    // The box is named by the page's heading, a label the reader sees (Pagefind gives it only a title).
    const input = element.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "search-title");
    const query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  fetch("/pagefind/shards.json")
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (manifest) {
      if (!manifest.shards || !manifest.shards.length) return Promise.reject("no shards");
      start(manifest.shards);
    })
    .catch(unavailable);
})();
