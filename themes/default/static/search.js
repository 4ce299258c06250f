/* The /search/ page: Pagefind's JavaScript API with our own result list.
 *
 * Pagefind's bundled UI inserts result excerpts as HTML, and an excerpt is text taken
 * from scraped articles: a title such as "<img src=x onerror=...>" would run there.
 * Here every string from the index reaches the page as text (textContent), and the
 * <mark> highlights are rebuilt from an inert DOMParser document, never from markup.
 * ?q=务工 runs that search at once; 地区/主题 checkboxes narrow the results.
 */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) { return; }
  var bundle = box.getAttribute("data-bundle-path");
  var base = box.getAttribute("data-base-url");
  var input = box.querySelector("input[type=search]");
  var filterBox = box.querySelector(".search-filters");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var pagefind = null;
  var serial = 0;
  var timer = null;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    if (className) { node.className = className; }
    return node;
  }

  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var out = document.createElement("p");
    out.className = "search-excerpt";
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        out.appendChild(text("mark", node.textContent));
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  function safeUrl(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  function chosenFilters() {
    var chosen = {};
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    return chosen;
  }

  function showFilters(filters) {
    ["地区", "主题"].forEach(function (name) {
      var values = filters[name];
      if (!values) { return; }
      var set = document.createElement("fieldset");
      set.appendChild(text("legend", name));
      Object.keys(values).sort(function (a, b) { return values[b] - values[a] || a.localeCompare(b); })
        .forEach(function (value, i) {
          var label = document.createElement("label");
          var check = document.createElement("input");
          check.type = "checkbox";
          check.name = name;
          check.value = value;
          label.appendChild(check);
          label.appendChild(document.createTextNode(" " + value + " "));
          label.appendChild(text("span", "(" + values[value] + ")", "count"));
          set.appendChild(label);
        });
      filterBox.appendChild(set);
    });
  }

  async function run() {
    var mine = ++serial;
    var query = input.value.trim();
    var filters = chosenFilters();
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "输入关键词搜索全部文章，或勾选地区、主题浏览。";
      return;
    }
    status.textContent = "正在搜索…";
    var found = await pagefind.search(query || null, { filters: filters });
    var data = await Promise.all(found.results.slice(0, 30).map(function (r) { return r.data(); }));
    if (mine !== serial) { return; }
    list.textContent = "";
    data.forEach(function (item) {
      var url = safeUrl(item.url);
      if (!url) { return; }
      var li = document.createElement("li");
      li.className = "search-result";
      var heading = document.createElement("h2");
      var link = text("a", (item.meta && item.meta.title) || url, "search-result-link");
      link.href = url;
      heading.appendChild(link);
      li.appendChild(heading);
      li.appendChild(excerpt(item.excerpt || ""));
      list.appendChild(li);
    });
    status.textContent = found.results.length
      ? "找到 " + found.results.length + " 篇" + (found.results.length > 30 ? "，显示前 30 篇" : "")
      : "没有找到相关文章。";
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { run().catch(fail); }, 150);
  }

  function fail() {
    status.textContent = "搜索索引不可用。";
  }

  import(bundle + "pagefind.js").then(async function (module) {
    pagefind = module;
    await pagefind.options({ baseUrl: base });
    showFilters(await pagefind.filters());
    input.addEventListener("input", later);
    filterBox.addEventListener("change", function () { run().catch(fail); });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { input.value = query; }
    box.classList.add("search-ready");
    await run();
  }).catch(fail);
})();
