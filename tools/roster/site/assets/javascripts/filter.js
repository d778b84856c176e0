/* 名单筛选：在输入框中输入姓名、单位或专业的一部分，只显示包含它的行（多个词用空格分开，须全部包含）。
 * 粘贴和输入法（拼音等）输入也立即筛选。地址中的 ?find=… 会预先填入。本名单中没有时，提示其他名单中
 * 符合的人数（用 lookup.js 的索引）。不依赖任何外部库。 */
(function () {
  "use strict";

  function otherRosters(box, query, terms, note) {
    var lookup = window.RosterLookup;
    if (!lookup || !box || !box.getAttribute("data-lookup-index")) return;
    var here = box.getAttribute("data-lookup-page");
    var root = box.getAttribute("data-lookup-root");
    lookup.load(box.getAttribute("data-lookup-index")).then(function (data) {
      var groups = {};
      lookup.find(data.people, terms).forEach(function (p) {
        if (p[3] === here) return;
        if (!groups[p[2]]) groups[p[2]] = { count: 0, person: p };
        groups[p[2]].count++;
      });
      var names = Object.keys(groups);
      note.textContent = names.length ? "本名单中没有找到。其他名单中有：" : "本名单和其他名单中都没有找到。请换一个词，或只输入姓名中的一两个字。";
      names.forEach(function (name, i) {
        var a = document.createElement("a");
        a.href = lookup.link(root, groups[name].person, query);
        a.textContent = name + " " + groups[name].count + " 人";
        if (i) note.appendChild(document.createTextNode("、"));
        note.appendChild(a);
      });
    }, function () {});
  }

  function attach(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    var count = document.querySelector('[data-filter-count="' + input.getAttribute("data-filter-table") + '"]');
    var box = input.closest(".roster-filter");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var timer = null;
    var composing = false;

    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var hit = terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
        rows[i].hidden = !hit;
        if (hit) shown++;
      }
      if (!count) return;
      count.textContent = terms.length ? "找到 " + shown + " 人（共 " + rows.length + " 人）" : "共 " + rows.length + " 人";
      if (terms.length && shown === 0) otherRosters(box, input.value.trim(), terms, count);
    }

    function later() {
      if (composing) return;
      clearTimeout(timer);
      timer = setTimeout(apply, rows.length > 1000 ? 150 : 0);
    }

    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("input", function (e) { if (!e.isComposing) later(); });
    var q = new URLSearchParams(window.location.search).get("find");
    if (q) { input.value = q; apply(); }
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-filter-table]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
