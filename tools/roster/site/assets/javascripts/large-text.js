/* 大字版（适老化）：页脚的“大字版”按钮放大全站文字，再按一次恢复；选择记在本机浏览器中，
 * 打开其他页面时保持。本脚本在页面显示之前运行，避免先小后大的闪动。 */
(function () {
  "use strict";
  var KEY = "roster-large-text";
  var root = document.documentElement;
  function stored() { try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function set(on) {
    root.classList.toggle("roster-large", on);
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* 隐私模式：只对本页有效 */ }
    var buttons = document.querySelectorAll(".roster-large-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].textContent = on ? "标准字号" : "大字版";
    }
  }
  root.classList.toggle("roster-large", stored());
  document.addEventListener("DOMContentLoaded", function () {
    set(stored());
    document.addEventListener("click", function (e) {
      if (e.target && e.target.closest && e.target.closest(".roster-large-toggle")) set(!root.classList.contains("roster-large"));
    });
  });
})();
