/* 查找人员：在全部名单（各类专家、社会监督员）中按姓名、工作单位或专业查找。索引 opendata/lookup.json
 * 只在第一次使用查找框时下载。结果链接到所在名单页面，并用 ?find=姓名 预先筛选。
 * 另外：主题的搜索框只在按键抬起时搜索，这里让粘贴和输入法（拼音等）输入也立即搜索。 */
(function () {
  "use strict";
  var SHOWN = 50;
  var cache = {};

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function terms(text) {
    return text.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  /* people: [id, name, group, page, employer, specialties]; every term must occur */
  function find(people, wanted) {
    return people.filter(function (p) {
      var text = (p[1] + " " + p[4] + " " + p[5] + " " + p[2] + " " + p[0]).toLowerCase();
      return wanted.every(function (t) { return text.indexOf(t) >= 0; });
    });
  }

  function link(root, person, query) {
    return root + person[3] + "?find=" + encodeURIComponent(query || person[1]);
  }

  function onText(input, run) {
    var composing = false;
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; run(); });
    input.addEventListener("input", function (e) { if (!composing && !e.isComposing) run(); });
  }

  function attach(box) {
    var input = box.querySelector("input");
    var count = box.querySelector(".roster-lookup__count");
    var list = box.querySelector(".roster-lookup__results");
    var url = box.getAttribute("data-lookup");
    var root = box.getAttribute("data-lookup-root");
    var idle = count.textContent;

    function run() {
      var wanted = terms(input.value);
      if (!wanted.length) { list.textContent = ""; count.textContent = idle; return; }
      count.textContent = "正在查找……";
      load(url).then(function (data) {
        if (terms(input.value).join(" ") !== wanted.join(" ")) return;
        var hits = find(data.people, wanted);
        list.textContent = "";
        hits.slice(0, SHOWN).forEach(function (p) {
          var item = document.createElement("li");
          var a = document.createElement("a");
          a.href = link(root, p);
          a.textContent = p[1];
          item.appendChild(a);
          item.appendChild(document.createTextNode("　" + [p[2], p[4], p[5]].filter(Boolean).join(" · ")));
          list.appendChild(item);
        });
        count.textContent = hits.length
          ? "找到 " + hits.length + " 人" + (hits.length > SHOWN ? "，下面列出前 " + SHOWN + " 人" : "") + "（截至 " + data.date + "）"
          : "没有找到。请换一个词，或只输入姓名中的一两个字。";
      }, function () { count.textContent = "名单索引下载失败，请检查网络后重试。"; });
    }

    onText(input, run);
    input.addEventListener("focus", function () { load(url).catch(function () {}); });
    var q = new URLSearchParams(window.location.search).get("find");
    if (q) { input.value = q; run(); }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-lookup]");
    for (var i = 0; i < boxes.length; i++) attach(boxes[i]);
    var search = document.querySelector(".md-search__input");
    if (search) {
      onText(search, function () { search.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })); });
    }
  }

  window.RosterLookup = { load: load, terms: terms, find: find, link: link };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
