// 在 Decap CMS 启动前做一处修正，然后启动它（配置读同目录的 config.yml）。
//
// 文件名必须等于编号（E0061.yaml），而 Decap 生成新文件名时一律转成小写（e0061.yaml），没有选项可关；
// 按年份分目录的记录（公告、履职记录）的年份目录，Decap 只能取保存当天的年份，而名册要求是编号里的年份。
// 这里包住每个后端（forgejo、github、本机的 proxy 等）的 persistEntry：新建记录时把文件名的首字母
// 改回大写，把年份目录改成编号里的年份。只改新建记录的路径；修改已有记录时路径原样不动。
"use strict";
(function () {
  var CMS = window.CMS;
  var ID_FILE = /\/([a-z])([0-9][0-9-]*\.ya?ml)$/;
  var YEAR_ID_FILE = /\/[0-9]{4}\/([a-z])([0-9]{4})(-[0-9]+\.ya?ml)$/;

  function upperId(path) {
    return path
      .replace(YEAR_ID_FILE, function (_all, letter, year, rest) {
        return "/" + year + "/" + letter + year + rest;
      })
      .replace(ID_FILE, function (_all, letter, rest) {
        return "/" + letter.toUpperCase() + rest;
      });
  }

  function wrap(implementation) {
    var persist = implementation.persistEntry;
    implementation.persistEntry = function (entry, options) {
      if (options && options.newEntry) {
        entry = Object.assign({}, entry, {
          dataFiles: entry.dataFiles.map(function (file) {
            return Object.assign({}, file, { path: upperId(file.path) });
          }),
        });
      }
      return persist.call(this, entry, options);
    };
    return implementation;
  }

  ["proxy", "forgejo", "gitea", "github", "gitlab"].forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend) return;
    var init = backend.init;
    backend.init = function () {
      return wrap(init.apply(this, arguments));
    };
  });

  CMS.init();
})();
