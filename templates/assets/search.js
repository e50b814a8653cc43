/* The search page: reads ?q= (and filters), asks GxSearch, shows results.
 * Everything from the index is inserted as text (textContent), never as HTML. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app || !window.GxSearch || !window.fetch) { return; }
  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filters = { org: document.getElementById("f-org"), type: document.getElementById("f-type"),
                  year: document.getElementById("f-year") };
  var root = app.getAttribute("data-root");
  var PAGE = 10;
  var index = new GxSearch.Index(app.getAttribute("data-manifest"), function (url, kind) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url); }
      return kind === "json" ? r.json() : r.arrayBuffer();
    });
  });

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function params() {
    var p = new URLSearchParams(window.location.search);
    return { q: p.get("q") || "", org: p.get("org") || "", type: p.get("type") || "", year: p.get("year") || "" };
  }

  /* The text with every query term marked, built from text nodes only. */
  function highlighted(text, terms) {
    var frag = document.createDocumentFragment(), lower = GxSearch.normalize(text), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var at = lower.indexOf(t, i);
        if (at >= 0 && (best < 0 || at < best || (at === best && t.length > len))) { best = at; len = t.length; }
      });
      if (best < 0) { break; }
      // Join overlapping bigram hits (乡村, 村振, 振兴) into one mark.
      var end = best + len, grown = true;
      while (grown) {
        grown = false;
        terms.forEach(function (t) {
          var at = lower.indexOf(t, Math.max(i, end - t.length + 1));
          if (at >= 0 && at <= end && at + t.length > end) { end = at + t.length; grown = true; }
        });
      }
      frag.appendChild(document.createTextNode(text.slice(i, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, end);
      frag.appendChild(mark);
      i = end;
    }
    frag.appendChild(document.createTextNode(text.slice(i)));
    return frag;
  }

  function snippet(text, terms) {
    var lower = GxSearch.normalize(text), first = -1;
    terms.forEach(function (t) { var at = lower.indexOf(t); if (at >= 0 && (first < 0 || at < first)) { first = at; } });
    var start = Math.max(0, first - 30), piece = text.slice(start, start + 110);
    return (start > 0 ? "…" : "") + piece + (start + 110 < text.length ? "…" : "");
  }

  function render(fragment, terms) {
    var li = document.createElement("li"), h = document.createElement("h2"), a = document.createElement("a");
    a.href = root + fragment.url.replace(/^\//, "");
    a.appendChild(highlighted(fragment.title, terms));
    h.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = fragment.org + " · " + fragment.type + " · " + fragment.date +
      (fragment.columns.length ? " · 栏目：" + fragment.columns.join("、") : "");
    var p = document.createElement("p");
    p.className = "snippet";
    p.appendChild(highlighted(snippet(fragment.text, terms), terms));
    li.appendChild(h);
    li.appendChild(meta);
    li.appendChild(p);
    return li;
  }

  var shown = 0, results = [], terms = [];
  function showMore() {
    var slice = results.slice(shown, shown + PAGE);
    shown += slice.length;
    more.hidden = shown >= results.length;
    return Promise.all(slice.map(function (r) { return index.fragment(r.doc); })).then(function (frags) {
      frags.forEach(function (f) { list.appendChild(render(f, terms)); });
    });
  }

  function run() {
    var p = params();
    input.value = p.q;
    list.textContent = "";
    more.hidden = true;
    if (!p.q.trim()) { status.textContent = "请输入要搜索的内容。"; return; }
    status.textContent = "正在搜索……";
    var q = GxSearch.query(p.q);
    terms = q.required.concat(q.optional);
    index.search(p.q, { org: p.org, type: p.type, year: p.year }).then(function (found) {
      results = found;
      shown = 0;
      return showMore();
    }).then(function () {
      // Announced once the results are on the page.
      status.textContent = results.length ? "找到 " + results.length + " 条与“" + p.q + "”相关的结果。"
        : "没有找到与“" + p.q + "”相关的结果，请换个词试试。";
    }).catch(function () {
      status.textContent = "搜索暂时不可用，请稍后再试，或通过栏目导航查找。";
    });
  }

  index.load().then(function () {
    var p = params(), m = index.m, years = {};
    m.orgs.forEach(function (o) { option(filters.org, o[0], o[1]); });
    m.types.forEach(function (t) { option(filters.type, t[0], t[1]); });
    for (var n = 0; n < m.count; n++) { years[index.year(n)] = true; }
    Object.keys(years).sort().reverse().forEach(function (y) { option(filters.year, y, y + "年"); });
    filters.org.value = p.org;
    filters.type.value = p.type;
    filters.year.value = p.year;
  }).catch(function () {});
  Object.keys(filters).forEach(function (k) {
    filters[k].addEventListener("change", function () { form.submit(); });
  });
  more.addEventListener("click", function () { showMore(); });
  run();
})();
