/* Sort, filter, search and page the report's tables (table.dt). No network, no eval, no inline
   handlers: the report's Content-Security-Policy allows this script by its hash only.
   A table marks its controls with data-for="<table id>" on the inputs above it:
     input.dt-search            free-text search over the row's text
     select.dt-filter[data-col] exact value of column N (options filled from the table)
   Headers sort on click (numbers by value when the cell carries data-v or looks numeric). */
(function () {
  "use strict";
  var PAGE = 50;

  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    return cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
  }

  function asNumber(text) {
    if (text === "") { return NaN; }
    var n = Number(String(text).replace(/[,，%\s]/g, ""));
    return isFinite(n) ? n : NaN;
  }

  function setup(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var state = { page: 0, all: false, query: "", filters: {} };
    var pager = document.createElement("div");
    pager.className = "dt-pager";
    var prev = document.createElement("button");
    prev.type = "button"; prev.textContent = "上一页";
    var next = document.createElement("button");
    next.type = "button"; next.textContent = "下一页";
    var info = document.createElement("span");
    info.className = "dt-info";
    var all = document.createElement("button");
    all.type = "button"; all.textContent = "显示全部";
    pager.appendChild(prev); pager.appendChild(info); pager.appendChild(next); pager.appendChild(all);
    table.parentNode.insertBefore(pager, table.nextSibling);

    function matches(row) {
      if (state.query && row.textContent.toLowerCase().indexOf(state.query) < 0) { return false; }
      for (var col in state.filters) {
        if (state.filters[col] !== "" && cellValue(row, Number(col)) !== state.filters[col]) { return false; }
      }
      return true;
    }

    function render() {
      var shown = rows.filter(matches);
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      if (state.page >= pages) { state.page = pages - 1; }
      var from = state.all ? 0 : state.page * PAGE;
      var to = state.all ? shown.length : from + PAGE;
      rows.forEach(function (r) { r.hidden = true; });
      shown.slice(from, to).forEach(function (r) { r.hidden = false; });
      info.textContent = shown.length + " 行" + (state.all || pages === 1 ? "" : "，第 " + (state.page + 1) + "/" + pages + " 页");
      prev.disabled = state.all || state.page === 0;
      next.disabled = state.all || state.page >= pages - 1;
      pager.hidden = rows.length <= PAGE && !state.query && Object.keys(state.filters).length === 0;
      all.textContent = state.all ? "分页显示" : "显示全部";
    }

    prev.addEventListener("click", function () { state.page -= 1; render(); });
    next.addEventListener("click", function () { state.page += 1; render(); });
    all.addEventListener("click", function () { state.all = !state.all; render(); });

    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, col) {
      th.classList.add("dt-sortable");
      th.setAttribute("tabindex", "0");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = rows.every(function (r) { var v = cellValue(r, col); return v === "" || !isNaN(asNumber(v)); });
        rows.sort(function (a, b) {
          var x = cellValue(a, col), y = cellValue(b, col), d;
          if (numeric) {
            var nx = asNumber(x), ny = asNumber(y);
            if (isNaN(nx)) { nx = -Infinity; }
            if (isNaN(ny)) { ny = -Infinity; }
            d = nx - ny;
          } else {
            d = x.localeCompare(y, "zh-CN");
          }
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        state.page = 0;
        render();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });

    var controls = document.querySelectorAll('[data-for="' + table.id + '"]');
    Array.prototype.forEach.call(controls, function (el) {
      if (el.classList.contains("dt-search")) {
        el.addEventListener("input", function () { state.query = el.value.trim().toLowerCase(); state.page = 0; render(); });
      } else if (el.classList.contains("dt-filter")) {
        var col = Number(el.getAttribute("data-col"));
        var seen = {};
        rows.forEach(function (r) { seen[cellValue(r, col)] = true; });
        Object.keys(seen).sort().forEach(function (v) {
          if (v === "") { return; }
          var opt = document.createElement("option");
          opt.value = v; opt.textContent = v;
          el.appendChild(opt);
        });
        el.addEventListener("change", function () { state.filters[col] = el.value; state.page = 0; render(); });
      }
    });
    render();
  }

  /* A link to a collapsed section (a bureau's findings further down) opens it. */
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    var inner = target.querySelector("details");
    if (inner) { inner.open = true; }
    target.scrollIntoView();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.dt"), setup);
  window.addEventListener("hashchange", openTarget);
  openTarget();
}());
