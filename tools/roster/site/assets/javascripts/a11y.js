/* 无障碍补充（GB/T 37668）：
 * - 给主题的搜索对话框加上可读的名称（读屏软件读出“搜索”）；
 * - 放不下、需要左右滚动的表格区域可以用键盘聚焦和滚动，并显示“可左右滑动”的提示。 */
(function () {
  "use strict";
  function init() {
    var dialogs = document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])');
    for (var i = 0; i < dialogs.length; i++) dialogs[i].setAttribute("aria-label", "搜索");
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap, .roster-scroll");
    for (var j = 0; j < wraps.length; j++) {
      var wrap = wraps[j];
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格（可左右滚动）");
      }
      wrap.classList.toggle("roster-scroll--wide", wrap.scrollWidth > wrap.clientWidth + 1);
    }
  }
  if (document.readyState === "complete") init(); else window.addEventListener("load", init);
  window.addEventListener("resize", init);
})();
