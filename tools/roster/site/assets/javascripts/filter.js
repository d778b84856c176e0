/* 名单筛选：在输入框中输入姓名、单位或专业的一部分，只显示包含它的行（多个词用空格分开，须全部包含）。
 * 地址中的 ?q=… 会预先填入。不依赖任何外部库。 */
(function () {
  "use strict";

  function attach(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    var count = document.querySelector('[data-filter-count="' + input.getAttribute("data-filter-table") + '"]');
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var timer = null;

    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var hit = terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
        rows[i].hidden = !hit;
        if (hit) shown++;
      }
      if (count) count.textContent = terms.length ? "找到 " + shown + " 人（共 " + rows.length + " 人）" : "共 " + rows.length + " 人";
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, rows.length > 1000 ? 150 : 0);
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; apply(); }
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-filter-table]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
