/* 在浏览器中核验随机抽取（RFC 3797，及其国密 SM3 变体）。不依赖任何外部库，不访问其他网站。
 *
 * 1. 由公布的随机源数值按 RFC 3797 第4节重新得到密钥串（各来源内数值从小到大，每个数值后加“.”，
 *    每个来源后加“/”），与记录中的密钥串比较；
 * 2. 对 i = 0, 1, 2, …：MD5（或 SM3）(两字节大端 i ‖ 密钥串 ‖ 两字节大端 i)，按大端整数对尚未选出的
 *    人数取余，余数 r 即选出尚未选出者中的第 r+1 位（按候选名单顺序）——得到完整顺序；
 * 3. 按顺序逐一检查：所属名额组未满、同一单位和同一法人单位未达上限的入选，其余跳过，直到人数足额；
 *    其余按顺序为替补顺序。
 * 候选人所属名额组：请求中第一个类别相同（且如指定专业，则本人专业含该专业）的名额。
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- MD5 (RFC 1321)
  var MD5_S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
  var MD5_K = [];
  for (var k = 0; k < 64; k++) MD5_K[k] = Math.floor(Math.abs(Math.sin(k + 1)) * 4294967296) >>> 0;

  function pad(bytes, bigEndianLength) {
    var n = bytes.length, total = ((n + 8) >> 6) + 1 << 6;
    var out = new Uint8Array(total);
    out.set(bytes);
    out[n] = 0x80;
    var bits = n * 8;
    for (var i = 0; i < 4; i++) {
      var b = (bits >>> (8 * i)) & 0xff;
      if (bigEndianLength) out[total - 1 - i] = b; else out[total - 8 + i] = b;
    }
    return out;
  }

  function md5(bytes) {
    var m = pad(bytes, false), a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
    var w = new Array(16);
    for (var off = 0; off < m.length; off += 64) {
      for (var j = 0; j < 16; j++) {
        var p = off + 4 * j;
        w[j] = m[p] | (m[p + 1] << 8) | (m[p + 2] << 16) | (m[p + 3] << 24);
      }
      var a = a0, b = b0, c = c0, d = d0;
      for (var i = 0; i < 64; i++) {
        var f, g;
        if (i < 16) { f = (b & c) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
        else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
        else { f = c ^ (b | ~d); g = (7 * i) & 15; }
        var t = d; d = c; c = b;
        var x = (a + f + MD5_K[i] + w[g]) | 0;
        b = (b + ((x << MD5_S[i]) | (x >>> (32 - MD5_S[i])))) | 0;
        a = t;
      }
      a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
    }
    var out = new Uint8Array(16), words = [a0, b0, c0, d0];
    for (var q = 0; q < 16; q++) out[q] = (words[q >> 2] >>> (8 * (q & 3))) & 0xff;
    return out;
  }

  // ---------------------------------------------------------------- SM3 (GB/T 32905-2016)
  function rotl(x, n) { n &= 31; return n ? ((x << n) | (x >>> (32 - n))) : x; }
  function p0(x) { return x ^ rotl(x, 9) ^ rotl(x, 17); }
  function p1(x) { return x ^ rotl(x, 15) ^ rotl(x, 23); }

  function sm3(bytes) {
    var m = pad(bytes, true);
    var v = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
    var w = new Array(68), w1 = new Array(64);
    for (var off = 0; off < m.length; off += 64) {
      for (var j = 0; j < 16; j++) {
        var p = off + 4 * j;
        w[j] = (m[p] << 24) | (m[p + 1] << 16) | (m[p + 2] << 8) | m[p + 3];
      }
      for (j = 16; j < 68; j++) w[j] = p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6];
      for (j = 0; j < 64; j++) w1[j] = w[j] ^ w[j + 4];
      var a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
      for (j = 0; j < 64; j++) {
        var t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
        var ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) | 0, 7);
        var ss2 = ss1 ^ rotl(a, 12);
        var ff = j < 16 ? (a ^ b ^ c) : ((a & b) | (a & c) | (b & c));
        var gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
        var tt1 = (ff + d + ss2 + w1[j]) | 0;
        var tt2 = (gg + h + ss1 + w[j]) | 0;
        d = c; c = rotl(b, 9); b = a; a = tt1;
        h = g; g = rotl(f, 19); f = e; e = p0(tt2);
      }
      v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
    }
    var out = new Uint8Array(32);
    for (var q = 0; q < 32; q++) out[q] = (v[q >> 2] >>> (24 - 8 * (q & 3))) & 0xff;
    return out;
  }

  var HASHES = { "rfc3797": md5, "rfc3797-sm3": sm3 };

  function hex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s.toUpperCase();
  }

  function ascii(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c > 127) throw new Error("密钥串只能包含 ASCII 字符");
      out[i] = c;
    }
    return out;
  }

  // ---------------------------------------------------------------- key string (RFC 3797 §4)
  var NUMBER = /^(\d+)(?:\.(\d+))?$/;

  function parseValue(token) {
    var m = NUMBER.exec(token);
    if (!m) throw new Error("无法识别的数值“" + token + "”");
    var whole = BigInt(m[1]), fraction = (m[2] || "").replace(/0+$/, "");
    return { whole: whole, fraction: fraction };
  }

  function parseSources(text) {
    // 与 roster.draw.rfc3797.parse_sources 相同：全角转半角，“+”分隔来源，空格、逗号、顿号、分号分隔数值。
    var normalized = String(text).normalize("NFKC");
    return normalized.split("+").map(function (part) {
      var tokens = part.trim().split(/[\s,、;]+/).filter(function (t) { return t.length > 0; });
      if (!tokens.length) throw new Error("随机源没有填写数值");
      return tokens.map(parseValue);
    });
  }

  function keyString(values) {
    var sources = [];
    values.forEach(function (value) { sources = sources.concat(parseSources(value)); });
    return sources.map(function (source, index) {
      var sorted = source.slice().sort(function (x, y) {
        if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
        return x.fraction < y.fraction ? -1 : (x.fraction > y.fraction ? 1 : 0);
      });
      if (sorted.length > 1 && sorted.some(function (v) { return v.fraction; })) {
        throw new Error("第 " + (index + 1) + " 个随机源含有小数：带小数的数值须单独作为一个随机源");
      }
      return sorted.map(function (v) { return v.whole.toString() + "." + v.fraction; }).join("") + "/";
    }).join("");
  }

  // ---------------------------------------------------------------- the order (RFC 3797 §5)
  function permutation(n, key, algorithm, limit) {
    var hash = HASHES[algorithm || "rfc3797"];
    if (!hash) throw new Error("未知的抽取算法“" + algorithm + "”");
    if (n > 65536) throw new Error("候选人数超过 65536");
    var keyBytes = ascii(key), buf = new Uint8Array(keyBytes.length + 4);
    buf.set(keyBytes, 2);
    var remaining = [], steps = [], count = limit === undefined ? n : Math.min(limit, n);
    for (var p = 1; p <= n; p++) remaining.push(p);
    for (var i = 0; i < count; i++) {
      buf[0] = buf[buf.length - 2] = (i >> 8) & 0xff;
      buf[1] = buf[buf.length - 1] = i & 0xff;
      var digest = hash(buf), div = remaining.length, r = 0;
      for (var b = 0; b < digest.length; b++) r = (r * 256 + digest[b]) % div;
      steps.push({ index: i + 1, digest: digest, div: div, position: remaining.splice(r, 1)[0] });
    }
    return steps;
  }

  // ---------------------------------------------------------------- the walk
  function quotaGroup(quotas, category, specialties) {
    for (var i = 0; i < quotas.length; i++) {
      var q = quotas[i];
      if (q.category != null && q.category !== category) continue;
      if (q.specialty != null && (specialties || []).indexOf(q.specialty) < 0) continue;
      return i;
    }
    return -1;
  }

  function walk(data, order) {
    var c = data.candidates, quotas = data.quotas || [], index = {};
    c.id.forEach(function (id, i) { index[id] = i; });
    var quota = quotas.length ? quotas.map(function (q) { return q.count; }) : [data.size];
    var target = quota.reduce(function (s, x) { return s + x; }, 0);
    var groups = quota.map(function () { return 0; }), inst = {}, ent = {}, panel = [], taken = {};
    var maxInst = data.max_per_institution, maxEnt = data.max_per_legal_entity;
    for (var n = 0; n < order.length && panel.length < target; n++) {
      var i = index[order[n]];
      var g = quotas.length ? quotaGroup(quotas, c.category[i], c.specialties ? c.specialties[i] : []) : 0;
      if (g < 0 || groups[g] >= quota[g]) continue;
      var institution = c.institution[i];
      var entity = c.legal_entity[i] != null ? "L:" + c.legal_entity[i] : (institution != null ? "I:" + institution : null);
      if (maxInst != null && institution != null && (inst[institution] || 0) >= maxInst) continue;
      if (maxEnt != null && entity != null && (ent[entity] || 0) >= maxEnt) continue;
      groups[g]++;
      if (institution != null) inst[institution] = (inst[institution] || 0) + 1;
      if (entity != null) ent[entity] = (ent[entity] || 0) + 1;
      panel.push(order[n]);
      taken[order[n]] = true;
    }
    return { panel: panel, replacements: order.filter(function (id) { return !taken[id]; }) };
  }

  function recompute(data) {
    var key = keyString(data.values);
    var ids = data.candidates.id;
    var steps = permutation(ids.length, key, data.algorithm);
    var order = steps.map(function (s) { return ids[s.position - 1]; });
    var walked = walk(data, order);
    return { key: key, steps: steps, order: order, panel: walked.panel, replacements: walked.replacements };
  }

  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function verify(data) {
    var got = recompute(data), rec = data.result;
    var checks = [
      { label: "密钥串", ok: got.key === data.key, detail: got.key },
      { label: "完整顺序（" + got.order.length + " 人）", ok: sameList(got.order, rec.order) },
      { label: "抽中名单", ok: sameList(got.panel, rec.panel), detail: got.panel.join("、") },
      { label: "替补顺序", ok: sameList(got.replacements, rec.replacements || []) }
    ];
    return { ok: checks.every(function (c) { return c.ok; }), checks: checks, computed: got };
  }

  // ---------------------------------------------------------------- the page
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function show(out, data, outcome) {
    out.textContent = "";
    out.setAttribute("data-status", outcome.ok ? "match" : "mismatch");
    var head = el("p", outcome.ok ? "✔ 一致：浏览器重新计算的结果与公布的抽取结果完全相同。"
      : "✘ 不一致：浏览器重新计算的结果与公布的抽取结果不同，请向本局反映。",
    outcome.ok ? "roster-verify__verdict roster-verify__verdict--match" : "roster-verify__verdict roster-verify__verdict--mismatch");
    head.setAttribute("role", "status");
    out.appendChild(head);
    var list = el("ul");
    outcome.checks.forEach(function (c) {
      list.appendChild(el("li", (c.ok ? "一致：" : "不一致：") + c.label + (c.detail ? "（" + c.detail + "）" : "")));
    });
    out.appendChild(list);
    var ids = data.candidates.id, names = data.candidates.name || ids;
    var label = data.algorithm === "rfc3797-sm3" ? "SM3" : "MD5";
    var table = el("table", null, "roster roster-verify__steps");
    var headers = ["序号", label + "（十六进制）", "尚未选出", "选中（候选名单位置）"];
    var caption = el("caption", "前 " + Math.min(10, outcome.computed.steps.length) + " 步（格式同 RFC 3797 第6节）");
    table.appendChild(caption);
    var thead = el("thead"), row = el("tr");
    headers.forEach(function (h) {
      var th = el("th", h); th.setAttribute("scope", "col"); row.appendChild(th);
    });
    thead.appendChild(row); table.appendChild(thead);
    var tbody = el("tbody");
    outcome.computed.steps.slice(0, 10).forEach(function (s) {
      var tr = el("tr");
      [String(s.index), hex(s.digest), String(s.div), s.position + " " + ids[s.position - 1] + " " + names[s.position - 1]]
        .forEach(function (v, i) {
          var td = el("td", v);
          td.setAttribute("data-label", headers[i]);
          if (i === 1) td.className = "roster-verify__digest";
          tr.appendChild(td);
        });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    out.appendChild(table);
  }

  function attach(box) {
    var button = box.querySelector("button"), out = box.querySelector("[data-verify-output]");
    if (!button || !out) return;
    button.addEventListener("click", function () {
      button.disabled = true;
      out.setAttribute("data-status", "running");
      out.textContent = "正在计算……";
      fetch(box.getAttribute("data-draw-url"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("无法读取抽取数据（" + response.status + "）");
          return response.json();
        })
        .then(function (data) { show(out, data, verify(data)); })
        .catch(function (error) {
          out.setAttribute("data-status", "error");
          out.textContent = "无法完成核验：" + error.message;
        })
        .then(function () { button.disabled = false; });
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-draw-url]");
    for (var i = 0; i < boxes.length; i++) attach(boxes[i]);
  }

  window.RosterVerify = {
    md5: md5, sm3: sm3, hex: hex, keyString: keyString, permutation: permutation,
    walk: walk, recompute: recompute, verify: verify
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
