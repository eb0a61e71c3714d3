// The search page: Pagefind's Default UI (/pagefind/pagefind-ui.js, written by `sitegen build`) in the page's
// language and direction, searching this page's language first and the site's other languages too. A query in the
// address (/search/?q=..., from the search box of every page) is searched at once. Without the index (a build
// without Pagefind) the page says search is unavailable.
"use strict";
(function () {
  const element = document.getElementById("search");
  if (!element) return;
  if (typeof window.PagefindUI !== "function") {
    document.getElementById("search-unavailable").hidden = false;
    return;
  }
  const others = (element.dataset.languages || "").split(" ").filter(Boolean);
  const ui = new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    // The other languages' indexes of the same bundle, named by its full address: Pagefind skips a merged index
    // whose path starts like the primary one's ("/pagefind/"), taking it for the same index.
    mergeIndex: others.map(function (language) {
      return { bundlePath: new URL("/pagefind/", window.location.href).href, language: language };
    }),
  });
  // The box is named by the page's heading, a label the reader sees (Pagefind gives it only a title).
  const input = element.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-title");
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
