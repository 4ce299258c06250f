/* Starts Pagefind's search box on /search/; ?q=务工 runs that search at once. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") {
    if (box) { box.textContent = "搜索索引不可用。"; }
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: box.getAttribute("data-base-url"),
    bundlePath: box.getAttribute("data-bundle-path"),
    showImages: false,
    showSubResults: false,
    autofocus: true,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
