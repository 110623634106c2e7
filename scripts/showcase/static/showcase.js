/* 劳模工匠云展: small progressive enhancements. The site works without this file. */
(function () {
  "use strict";

  /* Material's search dialog has no accessible name. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }

  /* Gallery filters: state lives in the URL query, so a filtered view can be shared. */
  function setupFilters() {
    var form = document.querySelector("form.sc-filter");
    if (!form) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".sc-facets"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var counter = form.querySelector(".sc-filter-count");

    function apply() {
      var shown = 0;
      cards.forEach(function (facets) {
        var ok = selects.every(function (select) {
          if (!select.value) return true;
          var values = JSON.parse(facets.getAttribute("data-" + select.name) || "[]");
          return values.indexOf(select.value) !== -1;
        });
        var item = facets.closest("li");
        if (item) item.hidden = !ok;
        if (ok) shown += 1;
      });
      if (counter) counter.textContent = "显示 " + shown + " 位";
    }

    function writeUrl() {
      var params = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    var params = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted !== null) select.value = wanted;
      select.addEventListener("change", function () { apply(); writeUrl(); });
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { apply(); writeUrl(); }, 0);
    });
    form.hidden = false;
    apply();
  }

  /* Search from Pagefind's fragmented index when the site has one (showcase site builds it),
     inside Material's own search box. The preview (showcase serve) has no index: the box
     says so instead of "no results". The offline kiosk keeps Material's own search.
     The index is in shards (showcase/searchindex.py), listed by pagefind/shards.json: the
     first is Pagefind's bundle, the others are merged into it (Pagefind's mergeIndex), so
     one search ranks the results of every shard together. */
  var pagefindReady = null;

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function pagefind(shards) {
    if (!pagefindReady) {
      var base = siteBase();
      var options = { baseUrl: base.pathname };
      pagefindReady = import(new URL(shards[0] + "pagefind.js", base).href).then(function (pf) {
        return pf.options(options).then(function () {
          return Promise.all(shards.slice(1).map(function (shard) {
            return pf.mergeIndex(new URL(shard, base).href, options);
          }));
        }).then(function () { return pf; });
      });
    }
    return pagefindReady;
  }

  /* Pagefind's excerpt is HTML with <mark>; keep its text and the marks, nothing else. */
  function excerptNode(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var p = document.createElement("p");
    holder.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.appendChild(title);
    article.appendChild(excerptNode(data.excerpt || ""));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function setupPagefind() {
    var input = document.querySelector(".md-search__input");
    /* The offline kiosk (file://): Pagefind cannot run there (fetch, WebAssembly); the
       kiosk carries Material's own index as a script and Material's search answers. */
    if (!input || setupPagefind.done || location.protocol === "file:") return;
    setupPagefind.done = true;
    if (typeof window.livereload === "function") return previewOnly(input);
    fetch(new URL("pagefind/shards.json", siteBase())).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (manifest) {
      if (!manifest || !manifest.shards || !manifest.shards.length) return;
      var shards = manifest.shards;
      var asked = 0;
      var timer = null;
      function run() {
        var query = input.value.trim();
        var mine = ++asked;
        var list = document.querySelector(".md-search-result__list");
        var meta = document.querySelector(".md-search-result__meta");
        if (!query) { if (list) list.textContent = ""; return; }
        pagefind(shards).then(function (pf) { return pf.search(query); }).then(function (found) {
          return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }));
        }).then(function (results) {
          if (mine !== asked || !list) return;
          list.textContent = "";
          results.forEach(function (data) { list.appendChild(resultItem(data)); });
          if (meta) meta.textContent = results.length ? "找到 " + results.length + " 个符合条件的结果" : "没有找到符合条件的结果";
          list.setAttribute("data-results-for", query);  /* for tests and benchmarks */
        });
      }
      /* Material listens on the box itself; catching the events first keeps its worker idle. */
      ["keyup", "input"].forEach(function (type) {
        window.addEventListener(type, function (event) {
          if (event.target !== input) return;
          event.stopPropagation();
          if (event.key === "Enter" || event.key && event.key.indexOf("Arrow") === 0) return;
          clearTimeout(timer);
          timer = setTimeout(run, 120);
        }, true);
      });
      if (input.value.trim()) run();  /* typed before this was ready: answer it now */
    });
  }

  var PREVIEW_NOTE = "预览里不能搜索：搜索只在正式网站里可用（make site 生成网站后，在网站里搜索）";

  /* Under `mkdocs serve` (the page carries its livereload script) Material's index is
     empty: whenever a query is typed, its "no results" line becomes this note. */
  function previewOnly(input) {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    function note() {
      if (input.value.trim() && meta.textContent !== PREVIEW_NOTE) meta.textContent = PREVIEW_NOTE;
    }
    new MutationObserver(note).observe(meta, { childList: true, characterData: true, subtree: true });
    ["keyup", "input"].forEach(function (type) { input.addEventListener(type, note); });
    note();
  }

  function start() { nameSearchDialog(); setupFilters(); setupPagefind(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();

/* The halls' guided tour: show the tour of the hall named in ?hall= (the first hall's is
   shown without JavaScript), and walk it with ArrowLeft/ArrowRight or a horizontal swipe,
   or on its own with ?play=SECONDS (a lobby screen). Every tour link already carries
   ?hall=, so the tour works without this block. */
(function () {
  "use strict";
  var SWIPE = 60;  /* px: shorter, or more vertical than horizontal, is a scroll */

  function shownTour() {
    var tours = Array.prototype.slice.call(document.querySelectorAll(".sc-tour[data-hall]"));
    if (!tours.length) return null;
    var wanted = new URLSearchParams(location.search).get("hall");
    var chosen = tours.filter(function (t) { return t.getAttribute("data-hall") === wanted; })[0];
    if (!chosen) return tours.filter(function (t) { return !t.hidden; })[0] || tours[0];
    tours.forEach(function (t) { t.hidden = t !== chosen; });
    return chosen;
  }

  function go(tour, which) {
    var link = tour.querySelector(which === "next" ? "a.sc-tour-next" : "a.sc-tour-prev");
    if (link) location.href = link.href;
  }

  function busy(event) {
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) return true;
    if (document.body.classList.contains("glightbox-open")) return true;  /* the lightbox has the keys */
    var search = document.querySelector("input[data-md-toggle=search]");
    return !!(search && search.checked);  /* Material's search box is open */
  }

  /* Lobby screens: ?play=SECONDS on a hall's page or an exhibit's walks the hall's tour on
     its own, one exhibit every SECONDS, back to the hall after the last and round again.
     A key, click, touch or wheel turn waits SECONDS more, so a visitor is never cut short. */
  function setupPlay(tour) {
    var seconds = parseInt(new URLSearchParams(location.search).get("play") || "", 10);
    if (!(seconds > 0)) return;
    var link = tour ? tour.querySelector("a.sc-tour-next") : document.querySelector("a.sc-hall-start");
    if (!link) return;
    var next = new URL(link.href);
    next.searchParams.set("play", String(seconds));
    var timer = null;
    function wait() {
      clearTimeout(timer);
      timer = setTimeout(function () { location.href = next.href; }, seconds * 1000);
    }
    ["keydown", "pointerdown", "touchstart", "wheel"].forEach(function (type) {
      document.addEventListener(type, wait, { passive: true });
    });
    wait();
  }

  function setupTour() {
    if (setupTour.done) return;
    setupTour.done = true;
    var tour = shownTour();
    setupPlay(tour);
    if (!tour) return;
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      if (busy(event)) return;
      event.preventDefault();
      go(tour, event.key === "ArrowRight" ? "next" : "prev");
    });
    var start = null;
    document.addEventListener("touchstart", function (event) {
      start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
    }, { passive: true });
    document.addEventListener("touchend", function (event) {
      if (!start || event.changedTouches.length !== 1) return;
      var dx = event.changedTouches[0].clientX - start.x;
      var dy = event.changedTouches[0].clientY - start.y;
      start = null;
      if (Math.abs(dx) < SWIPE || Math.abs(dx) < 2 * Math.abs(dy)) return;
      if (busy(event)) return;
      go(tour, dx < 0 ? "next" : "prev");  /* swipe left: the next exhibit comes in from the right */
    }, { passive: true });
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setupTour);
  else document.addEventListener("DOMContentLoaded", setupTour);
})();

/* Only under `showcase serve`, on the 404 page while the content has errors
   (layouts/serve_missing.html): the page asked for is not built yet. Ask for it every two
   seconds and show it once it exists: MkDocs' live reload does not reach its 404 page. */
(function () {
  "use strict";
  function waitForPage() {
    if (!document.querySelector(".sc-serve-missing")) return;
    setInterval(function () {
      fetch(location.href, { cache: "no-store" }).then(function (response) {
        if (response.ok) location.reload();
      }, function () {});
    }, 2000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", waitForPage);
  else waitForPage();
})();
