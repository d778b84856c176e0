/* 搜索索引按需下载：主题在每页加载时就下载整个搜索索引（search/search_index.json），手机上多出几十 KB。
 * 本脚本在主题脚本之前运行，把对该索引的请求推迟到读者第一次打开搜索（点搜索按钮、聚焦搜索框，
 * 或地址中带 ?q=）时才真正发出；其他请求不受影响。 */
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var waiting = [];
  var opened = new URLSearchParams(window.location.search).has("q");

  function open() {
    if (opened) return;
    opened = true;
    var send = waiting;
    waiting = [];
    send.forEach(function (go) { go(); });
  }

  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.rosterDeferred = INDEX.test(String(url));
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.rosterDeferred || opened) return xhrSend.apply(xhr, args);
    waiting.push(function () { xhrSend.apply(xhr, args); });
  };

  document.addEventListener("focusin", function (e) {
    if (e.target && e.target.classList && e.target.classList.contains("md-search__input")) open();
  });
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search" && e.target.checked) open();
  });
  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest('label[for="__search"], .md-search')) open();
  });
})();
