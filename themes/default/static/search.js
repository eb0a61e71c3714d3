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
    mergeIndex: others.map(function (language) { return { bundlePath: "/pagefind/", language: language }; }),
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
