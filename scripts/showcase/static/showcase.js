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
          var values = (facets.getAttribute("data-" + select.name) || "").split("|");
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

  function start() { nameSearchDialog(); setupFilters(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
