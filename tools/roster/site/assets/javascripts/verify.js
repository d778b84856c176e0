/* 在浏览器中核验随机抽取（RFC 3797，及其国密 SM3 变体）。不依赖任何外部库，不访问其他网站。
 * 规则见 docs/draw-algorithm.md（随机抽取算法说明）；只用本次抽取公布的数据文件，不用名册的现状。
 *
 * 0. 承诺值：把公开的请求（committed）写成规范 JSON，SHA-256 应等于请求时公布的承诺值；每个 RFC 3161
 *    时间戳令牌由 tsa.js 核验（签名、证书链到网站保存的证书、令牌盖的正是承诺值），令牌时间（北京时间）早于
 *    最早的随机源公布日期。以下各步只用 committed 中的内容；
 * 1. 密钥串：由公布的随机源数值按 RFC 3797 第4节重新得到（各来源内数值从小到大，每个数值后加“.”，
 *    每个来源后加“/”），与记录中的密钥串比较；
 * 2. 完整顺序：对 i = 0, 1, 2, …：MD5（或 SM3）(两字节大端 i ‖ 密钥串 ‖ 两字节大端 i)，按大端整数对
 *    尚未选出的人数取余，余数 r 即选出尚未选出者中的第 r+1 位（按候选名单顺序）；
 * 3. 抽中名单：按完整顺序逐一检查，所属名额组未满、单位和法人单位未达上限，且“余额检查”通过
 *    （选了他之后，其余名额仍能由排在他后面的候选补齐——用一个小的最大流精确判断）的入选，其余跳过；
 *    不在抽中名单中的候选按完整顺序为替补顺序；
 * 4. 递补：有人婉拒或缺席时，替补顺序中第一位按第 3 步的规则（以当前留下的人为已入选）可以入选的人递补。
 * 每名候选的名额组、单位和法人单位取自抽取记录中冻结的 candidate_facts（数据文件的 candidates 各列）。
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

  // ---------------------------------------------------------------- SHA-256 (FIPS 180-4), for the commitment
  var SHA256_K = [], SHA256_H = [];
  (function () {
    var found = 0;
    for (var p = 2; found < 64; p++) {
      var prime = true;
      for (var d = 2; d * d <= p; d++) if (p % d === 0) { prime = false; break; }
      if (!prime) continue;
      if (found < 8) SHA256_H[found] = (Math.pow(p, 1 / 2) * 4294967296) | 0;
      SHA256_K[found++] = (Math.pow(p, 1 / 3) * 4294967296) | 0;
    }
  })();

  function sha256(bytes) {
    var m = pad(bytes, true), h = SHA256_H.slice(), w = new Array(64);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var off = 0; off < m.length; off += 64) {
      for (var j = 0; j < 16; j++) {
        var p = off + 4 * j;
        w[j] = (m[p] << 24) | (m[p + 1] << 16) | (m[p + 2] << 8) | m[p + 3];
      }
      for (j = 16; j < 64; j++) {
        var s0 = rotr(w[j - 15], 7) ^ rotr(w[j - 15], 18) ^ (w[j - 15] >>> 3);
        var s1 = rotr(w[j - 2], 17) ^ rotr(w[j - 2], 19) ^ (w[j - 2] >>> 10);
        w[j] = (w[j - 16] + s0 + w[j - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (j = 0; j < 64; j++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[j] + w[j]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    }
    var out = new Uint8Array(32);
    for (var q = 0; q < 32; q++) out[q] = (h[q >> 2] >>> (24 - 8 * (q & 3))) & 0xff;
    return out;
  }

  // 规范 JSON（docs/draw-algorithm.md“规范 JSON 与承诺值”）：键按字符顺序排列，值为 null 的键省略，无空格，UTF-8。
  function canonical(value) {
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).filter(function (k) { return value[k] != null; }).sort()
        .map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function commitmentOf(committed) {
    return "sha256:" + hex(sha256(new TextEncoder().encode(canonical(committed)))).toLowerCase();
  }

  // RFC 3161 令牌由 tsa.js 核验（签名、证书链、TSTInfo，见该文件开头），异步（WebCrypto）；结果按 data.timestamps 的顺序。
  function checkStamps(data) {
    var stamps = (data && data.committed && data.timestamps) || [];
    if (!stamps.length) return Promise.resolve([]);
    if (!window.RosterTSA) return Promise.resolve(stamps.map(function () { return { ok: false, detail: "本页没有载入时间戳核验程序（tsa.js）" }; }));
    var message = new TextEncoder().encode(canonical(data.committed));
    return Promise.all(stamps.map(function (t) {
      return window.RosterTSA.checkToken(t.token, data.commitment, t.certificate, message, t.authority)
        .catch(function (error) { return { ok: false, detail: "无法核验时间戳：" + error.message }; });
    }));
  }

  function beijing(date) {  // "YYYY-MM-DD HH:MM:SS"，北京时间（UTC+8，无夏令时）
    return new Date(date.getTime() + 8 * 3600 * 1000).toISOString().replace("T", " ").slice(0, 19);
  }

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

  // drand 的 randomness（64 位十六进制）按 tools/roster/draw/entropy.py 的 drand_values 拆成 8 个 32 位整数，作为一个来源。
  var DRAND = /^(?:0x)?([0-9a-f]{64})$/;

  function drandValues(text) {
    var m = DRAND.exec(String(text).trim().toLowerCase());
    if (!m) return null;
    var values = [];
    for (var i = 0; i < 64; i += 8) values.push({ whole: BigInt("0x" + m[1].slice(i, i + 8)), fraction: "" });
    return [values];
  }

  function compareValues(x, y) {
    if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
    var width = Math.max(x.fraction.length, y.fraction.length);
    var a = x.fraction + "0".repeat(width - x.fraction.length), b = y.fraction + "0".repeat(width - y.fraction.length);
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  function keyString(values, specs) {
    var sources = [];
    values.forEach(function (value, n) {
      var kind = specs && specs[n] ? specs[n].kind : null;
      sources = sources.concat((kind === "drand" && drandValues(value)) || parseSources(value));
    });
    return sources.map(function (source, index) {
      var sorted = source.slice().sort(compareValues);
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

  // ---------------------------------------------------------------- the walk (docs/draw-algorithm.md 第四、五节)
  //
  // 每名候选在行走中只需要三件事：名额组（quota，从 1 起；请求不分组时所有人同属一组）、单位、法人单位。
  // 同一单位、同一法人单位的上限按“法人单位，未填时为单位本身”计数，与 tools/roster/draw/walk.py 相同。

  function dict() { return Object.create(null); }  // a map whose keys (ids) never meet Object.prototype

  function rulesOf(data) {
    var c = data.candidates, quotas = data.quotas || [];
    var sizes = quotas.length ? quotas.map(function (q) { return q.count; }) : [data.size];
    var members = dict(), entityOfInstitution = dict(), distinct = data.distinct_institutions_per_specialty === true;
    var several = false;
    function pairsOf(institution, raw) {  // 名额组指定的专业（一个），或专家登记的全部专业（多个时为列表）
      var specialties = raw == null ? [] : (Array.isArray(raw) ? raw : [raw]).map(String)
        .filter(function (x, k, all) { return all.indexOf(x) === k; });
      if (specialties.length > 1) several = true;
      return institution == null ? [] : specialties.map(function (x) { return JSON.stringify([institution, x]); });
    }
    c.id.forEach(function (id, i) {
      var institution = c.institution[i] == null ? null : String(c.institution[i]);
      var legal = c.legal_entity[i] == null ? null : String(c.legal_entity[i]);
      var quota = quotas.length ? c.quota[i] : 1;
      var group = (typeof quota === "number" && quota % 1 === 0 && quota >= 1 && quota <= sizes.length) ? quota - 1 : -1;
      if (institution != null) {
        if (!(institution in entityOfInstitution)) entityOfInstitution[institution] = legal;
        else if (entityOfInstitution[institution] !== legal) {
          throw new Error("机构“" + institution + "”的法人单位不一致：“" + (entityOfInstitution[institution] || "（未填）")
            + "”与“" + (legal || "（未填）") + "”");
        }
      }
      // 同一单位有任一专业相同即冲突
      var raw = distinct && c.specialty && c.specialty[i] != null ? c.specialty[i] : null;
      members[id] = {
        group: group, institution: institution,
        entity: legal != null ? "L:" + legal : (institution != null ? "I:" + institution : null),
        // 同一单位、同一专业（贵阳规定第十二条（二））：单位和专业都有时才计
        pairs: pairsOf(institution, raw)
      };
    });
    // 补抽：原抽取当前名单上的人从一开始计入单位、法人单位上限和同一专业的限制（不计入名额）
    var seated = (data.parent_members || []).map(function (p) {
      var institution = p.institution == null ? null : String(p.institution);
      var legal = p.legal_entity == null ? null : String(p.legal_entity);
      return { group: -1, institution: institution,
        entity: legal != null ? "L:" + legal : (institution != null ? "I:" + institution : null),
        pairs: pairsOf(institution, distinct && p.specialty != null ? p.specialty : null) };
    });
    return {
      sizes: sizes, total: sizes.reduce(function (s, x) { return s + x; }, 0), members: members,
      maxInstitution: data.max_per_institution == null ? null : data.max_per_institution,
      maxEntity: data.max_per_legal_entity == null ? null : data.max_per_legal_entity,
      distinct: distinct, several: several, seated: seated
    };
  }

  function member(rules, id) {
    var m = rules.members[id];
    if (!m) throw new Error("抽取顺序中的“" + id + "”不在候选名单中");
    return m;
  }

  // 已入选的人在各名额组、单位、法人单位中各占几个名额。
  function newTally(rules) {
    var tally = { groups: rules.sizes.map(function () { return 0; }), institutions: dict(), entities: dict(), pairs: dict() };
    rules.seated.forEach(function (m) { count(tally, m, 1); });
    return tally;
  }

  function count(tally, m, delta) {
    if (m.group >= 0) tally.groups[m.group] += delta;
    if (m.institution != null) tally.institutions[m.institution] = (tally.institutions[m.institution] || 0) + delta;
    if (m.entity != null) tally.entities[m.entity] = (tally.entities[m.entity] || 0) + delta;
    m.pairs.forEach(function (p) { tally.pairs[p] = (tally.pairs[p] || 0) + delta; });
  }

  // 第 1、2 条：名额组未满，单位和法人单位未达上限。返回 null 表示可以，否则返回跳过的原因。
  function blocked(rules, tally, m) {
    if (m.group < 0) return "不属于任何名额组";
    if (tally.groups[m.group] >= rules.sizes[m.group]) return "名额组已满";
    if (rules.distinct && m.pairs.some(function (p) { return (tally.pairs[p] || 0) >= 1; })) {
      return "单位 " + m.institution + " 已有同一专业的专家";
    }
    if (rules.maxInstitution != null && m.institution != null && (tally.institutions[m.institution] || 0) >= rules.maxInstitution) {
      return "单位 " + m.institution + " 已达上限";
    }
    if (rules.maxEntity != null && m.entity != null && (tally.entities[m.entity] || 0) >= rules.maxEntity) {
      return "法人单位 " + m.entity.slice(2) + " 已达上限";
    }
    return null;
  }

  // 排在后面的候选，按（名额组，单位，法人单位）合并计数：同一格里的人可以互换。
  function cellOf(m) { return [m.group, m.institution, m.entity].concat(m.pairs).join("\u0000"); }

  function addAhead(ahead, m, delta) {
    var key = cellOf(m), cell = ahead[key] || (ahead[key] = { member: m, count: 0 });
    cell.count += delta;
  }

  // 最大流（Edmonds–Karp）：每次沿一条最短的增广路径推送，直到没有路径。
  function Network() { this.cap = dict(); }
  Network.prototype.node = function (u) { return this.cap[u] || (this.cap[u] = dict()); };
  Network.prototype.add = function (u, v, amount) {
    this.node(u)[v] = (this.node(u)[v] || 0) + amount;
    this.node(v)[u] = this.node(v)[u] || 0;
  };
  Network.prototype.set = function (u, v, amount) {
    if (v in this.node(u)) return;  // 单位、法人单位的上限每条边只设一次
    this.node(u)[v] = amount;
    this.node(v)[u] = this.node(v)[u] || 0;
  };
  Network.prototype.maxFlow = function (source, sink) {
    var total = 0;
    for (;;) {
      var parent = dict(), queue = [source], head = 0;
      parent[source] = source;
      while (head < queue.length && !(sink in parent)) {
        var u = queue[head++], edges = this.cap[u] || dict();
        for (var v in edges) {
          if (edges[v] > 0 && !(v in parent)) { parent[v] = u; queue.push(v); }
        }
      }
      if (!(sink in parent)) return total;
      var push = Infinity, x;
      for (x = sink; x !== source; x = parent[x]) push = Math.min(push, this.cap[parent[x]][x]);
      for (x = sink; x !== source; x = parent[x]) { this.cap[parent[x]][x] -= push; this.cap[x][parent[x]] += push; }
      total += push;
    }
  };

  // “排在后面的人最多还能补几个名额”：源点 S → 名额组（剩余名额）→ 单位（该组在该单位、排在后面的人数）
  // → 法人单位（单位上限的剩余）→ 汇点 T（法人单位上限的剩余）；没有单位的直接连到法人单位，都没有的连到 T。
  // 同一专业须来自不同单位时，名额组和单位之间插入“单位·专业”（剩余 1 或 0）。
  function fillable(rules, tally, ahead) { return network(rules, tally, ahead).value; }

  // 一名专家有多个专业时，网络中他不经过“单位·专业”（放宽）；best 再用分支定界把它变为精确。
  function firstHop(rules, m) {
    if (rules.distinct && m.pairs.length === 1) return "s" + m.pairs[0];
    if (m.institution != null) return "i" + m.institution;
    return m.entity != null ? "e" + m.entity : "T";
  }

  function network(rules, tally, ahead) {
    var net = new Network(), unbounded = rules.total + 1;
    rules.sizes.forEach(function (size, g) {
      if (size - tally.groups[g] > 0) net.add("S", "g" + g, size - tally.groups[g]);
    });
    Object.keys(ahead).forEach(function (key) {
      var cell = ahead[key], m = cell.member;
      if (cell.count <= 0 || m.group < 0 || rules.sizes[m.group] - tally.groups[m.group] <= 0) return;
      var path = ["g" + m.group];
      if (rules.distinct && m.pairs.length === 1) path.push("s" + m.pairs[0]);
      if (m.institution != null) path.push("i" + m.institution);
      if (m.entity != null) path.push("e" + m.entity);
      path.push("T");
      net.add(path[0], path[1], cell.count);
      for (var j = 1; j + 1 < path.length; j++) {
        var node = path[j], limit, used;
        if (node.charAt(0) === "s") { limit = 1; used = tally.pairs[m.pairs[0]] || 0; }
        else if (node.charAt(0) === "i") { limit = rules.maxInstitution; used = tally.institutions[m.institution] || 0; }
        else { limit = rules.maxEntity; used = tally.entities[m.entity] || 0; }
        net.set(node, path[j + 1], limit == null ? unbounded : Math.max(limit - used, 0));
      }
    });
    net.value = net.maxFlow("S", "T");
    return net;
  }

  // 排在后面的人最多还能补几个名额（至多 cap 个），精确：有人登记了多个专业时，网络只是上界；按流量挑出
  // 这么多人，若没有同一单位相同专业的，上界即答案；否则对其中一名多专业者分“选他”“不选他”两支。
  function best(rules, tally, ahead, cap) {
    if (!rules.several) return Math.min(fillable(rules, tally, ahead), cap);
    var live = dict();
    Object.keys(ahead).forEach(function (key) {
      var cell = ahead[key];
      if (cell.count > 0 && blocked(rules, tally, cell.member) == null) live[key] = { member: cell.member, count: cell.count };
    });
    if (cap <= 0) return 0;
    var net = network(rules, tally, live), bound = Math.min(net.value, cap);
    var clash = clashOf(rules, net, live, bound);
    if (clash == null) return bound;
    var m = live[clash].member;
    addAhead(live, m, -1);
    count(tally, m, 1);
    var got = 1 + best(rules, tally, live, bound - 1);
    count(tally, m, -1);
    if (got < bound) got = Math.max(got, best(rules, tally, live, bound));
    return got;
  }

  function clashOf(rules, net, live, size) {
    var units = dict(), holder = dict(), taken = 0, keys = Object.keys(live).sort(), left = dict();
    keys.forEach(function (key) {
      var m = live[key].member, g = "g" + m.group, x = firstHop(rules, m);
      units[g + "\u0001" + x] = net.cap[x] && net.cap[x][g] ? net.cap[x][g] : 0;
      left[key] = live[key].count;
    });
    for (var careful = 1; careful >= 0; careful--) {
      for (var k = 0; k < keys.length; k++) {
        var key = keys[k], m = live[key].member, edge = "g" + m.group + "\u0001" + firstHop(rules, m);
        while (taken < size && left[key] > 0 && units[edge] > 0) {
          var shared = m.pairs.filter(function (p) { return p in holder; });
          if (shared.length && careful) break;
          if (shared.length) {
            if (m.pairs.length > 1) return key;
            return holder[shared[0]];  // 只有一个专业的两人不会冲突：网络已把他们分开
          }
          units[edge] -= 1; left[key] -= 1; taken += 1;
          m.pairs.forEach(function (p) { holder[p] = key; });
        }
        if (taken >= size) return null;
      }
    }
    return null;
  }

  // 按 sequence 的顺序逐一检查（panel 为已入选的人），返回入选者；log 记下每一步的判断。
  // best 始终等于“当前这名及排在后面的人最多能补几个名额”：选了他之后，排在后面的人还能补 best − 1 个，
  // 他才入选（不分组、名额可以补满时，就是“其余名额仍能补齐”；补不满时，保证抽出尽可能多的人）。
  function run(rules, sequence, panel, stopAfter, log) {
    var tally = newTally(rules), ahead = dict(), taken = [];
    panel.forEach(function (id) { count(tally, member(rules, id), 1); });
    sequence.forEach(function (id) { addAhead(ahead, member(rules, id), 1); });
    var most = best(rules, tally, ahead, rules.total);
    var limit = stopAfter == null ? most : Math.min(stopAfter, most);
    for (var n = 0; n < sequence.length && taken.length < limit; n++) {
      var id = sequence[n], m = member(rules, id);
      addAhead(ahead, m, -1);  // 现在 ahead 只含排在他后面的人
      var why = blocked(rules, tally, m);
      if (why == null) {
        count(tally, m, 1);
        if (best(rules, tally, ahead, most - 1) === most - 1) {
          taken.push(id);
          most -= 1;
        } else {
          count(tally, m, -1);
          why = "选了之后，其余名额无法由排在后面的人补齐";
        }
      }
      if (log) log.push({ id: id, verdict: why == null ? "入选" : "跳过：" + why });
    }
    return taken;
  }

  function walk(data, order, log) {
    var rules = rulesOf(data);
    var panel = run(rules, order, [], null, log), taken = dict();
    panel.forEach(function (id) { taken[id] = true; });
    return { panel: panel, replacements: order.filter(function (id) { return !taken[id]; }) };
  }

  // 按答复的先后重演递补：婉拒或缺席者的名额由替补顺序中第一位按同一规则可以入选的人递补。
  function replacements(data, order, panel) {
    var rules = rulesOf(data), current = panel.slice(), used = dict(), out = [];
    (data.responses || []).forEach(function (r) {
      var slot = current.indexOf(r.id);
      if (slot < 0) { out.push({ outsider: r.id }); return; }  // 只有当前抽中名单中的人可以答复
      if (r.response === "accepted") { out.push(null); return; }
      used[r.id] = true;
      var remaining = current.filter(function (id) { return id !== r.id; });
      var rest = order.filter(function (id) { return !used[id] && remaining.indexOf(id) < 0; });
      var chosen = run(rules, rest, remaining, 1)[0] || null;
      out.push(chosen);
      if (chosen == null) current.splice(slot, 1); else current[slot] = chosen;
    });
    return out;
  }

  // 公开后，重新计算只用承诺值所覆盖的内容（committed）：请求、候选名单和冻结的候选属性。
  function inputs(data) {
    var c = data.committed;
    if (!c) return data;
    var req = c.request || {}, facts = c.candidate_facts || {}, ids = c.candidates || [];
    function column(name) { return ids.map(function (id) { var f = facts[id] || {}; return f[name] == null ? null : f[name]; }); }
    var shown = data.candidates || {}, at = dict();
    (shown.id || []).forEach(function (id, i) { at[id] = i; });
    function display(name) { return ids.map(function (id) { return shown[name] && id in at ? shown[name][at[id]] : null; }); }
    return Object.assign({}, data, {
      algorithm: c.algorithm, sources: req.sources || [], size: req.size, quotas: req.quotas || [],
      max_per_institution: req.max_per_institution == null ? null : req.max_per_institution,
      max_per_legal_entity: req.max_per_legal_entity == null ? null : req.max_per_legal_entity,
      parent_members: req.parent_members || [],
      distinct_institutions_per_specialty: req.distinct_institutions_per_specialty === true,
      candidates: { id: ids, quota: column("quota"), institution: column("institution"), legal_entity: column("legal_entity"),
        specialty: column("specialty"),
        name: display("name"), category: display("category"), institution_name: display("institution_name") }
    });
  }

  function recompute(data) {
    data = inputs(data);
    var key = keyString(data.values, data.sources);
    var ids = data.candidates.id;
    var steps = permutation(ids.length, key, data.algorithm);
    var order = steps.map(function (s) { return ids[s.position - 1]; });
    var log = [], walked = walk(data, order, log);
    return {
      key: key, steps: steps, order: order, panel: walked.panel, replacements: walked.replacements,
      replaced_by: replacements(data, order, walked.panel), log: log
    };
  }

  // ---------------------------------------------------------------- comparing with the record
  function sameList(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function listed(list) { return list && list.length ? list.join("、") : "（空）"; }

  function firstDifference(got, recorded) {
    recorded = recorded || [];
    for (var i = 0; i < Math.max(got.length, recorded.length); i++) {
      if (got[i] !== recorded[i]) {
        return "从第 " + (i + 1) + " 位起不同：重新计算为 " + (got[i] || "（无）") + "，公布的是 " + (recorded[i] || "（无）");
      }
    }
    return "";
  }

  function compareResponses(data, got) {
    var checks = [];
    (data.responses || []).forEach(function (r, n) {
      var expected = got.replaced_by[n], recorded = r.replaced_by == null ? null : r.replaced_by;
      var what0 = "第 " + (n + 1) + " 条答复（" + r.id + "）";
      if (expected && expected.outsider) {
        checks.push({ label: "答复人：" + what0, part: what0 + "的答复人", ok: false,
          detail: r.id + " 不在当时的抽中名单中：只有抽中（或已递补）的人可以答复" });
        return;
      }
      if (r.response === "accepted" && recorded == null) return;
      var what = "第 " + (n + 1) + " 条答复（" + r.id + (r.response === "declined" ? " 婉拒" : r.response === "absent" ? " 缺席" : " 同意") + "）";
      checks.push({
        label: "递补：" + what, part: "第 " + (n + 1) + " 条答复的递补", ok: expected === recorded,
        detail: expected === recorded ? (expected ? "由 " + expected + " 递补" : "无人可递补，应补抽")
          : "按规则应" + (expected ? "由 " + expected + " 递补" : "无人递补") + "，公布的是" + (recorded ? " " + recorded : "无人递补")
      });
    });
    return checks;
  }

  function earliestSource(data) {
    var days = ((data.committed && data.committed.request && data.committed.request.sources) || data.sources || [])
      .map(function (s) { return String(s.public_on); }).sort();
    return days[0] || null;
  }

  function commitmentChecks(data, stamps) {
    if (!data.committed) return [];
    var computed = commitmentOf(data.committed), checks = [{
      label: "承诺值", part: "承诺值", ok: computed === data.commitment,
      detail: computed === data.commitment ? computed : "公开的请求算出 " + computed + "，事先公布的是 " + data.commitment
    }];
    var first = earliestSource(data);
    (data.timestamps || []).forEach(function (t, n) {
      var stamp = (stamps || [])[n] || { ok: false, detail: "时间戳令牌未经核验" };
      var when = stamp.ok ? beijing(stamp.time) : null;
      var early = when != null && first != null && when.slice(0, 10) < first;
      var same = when != null && (!t.time || t.time.replace("T", " ").slice(0, 19) === when);
      var ok = stamp.ok && computed === data.commitment && early && same;
      checks.push({
        label: "时间戳（" + t.authority + "）", part: stamp.part || "时间戳", ok: ok, unchecked: !!stamp.unchecked,
        detail: !stamp.ok ? stamp.detail
          : !same ? "令牌中的时间 " + when + " 与公布的 " + t.time + " 不同"
          : !early ? "令牌时间 " + when + "（北京时间）不早于最早的随机源公布日期 " + first
          : "签名有效，签发机构 " + stamp.issuer + "（证书链到本网站保存的 " + t.authority + " 证书），令牌盖的正是承诺值，时间 "
            + when + "（北京时间），早于最早的随机源公布日期 " + first
      });
    });
    return checks;
  }

  function verify(data, stamps) {
    var rec = data.result || {}, got, sealed = commitmentChecks(data, stamps);
    data = inputs(data);
    try {
      got = recompute(data);
    } catch (error) {
      var key = null;
      try { key = keyString(data.values, data.sources); } catch (ignored) { /* reported below */ }
      var keyOk = key != null && key === data.key;
      return {
        ok: false, computed: null, checks: sealed.concat([
          { label: "密钥串", part: "密钥串", ok: keyOk, detail: key == null ? "无法由公布的数值得到：" + error.message : key },
          { label: "重新计算", part: "无法重新计算", ok: false, detail: error.message }
        ])
      };
    }
    var checks = sealed.concat([
      { label: "密钥串", part: "密钥串", ok: got.key === data.key, detail: got.key === data.key ? got.key : "重新计算为 " + got.key + "，公布的是 " + data.key },
      { label: "完整顺序（" + got.order.length + " 人）", part: "完整顺序", ok: sameList(got.order, rec.order), detail: firstDifference(got.order, rec.order) },
      { label: "抽中名单", part: "抽中名单", ok: sameList(got.panel, rec.panel),
        detail: sameList(got.panel, rec.panel) ? listed(got.panel) : "重新计算为 " + listed(got.panel) + "，公布的是 " + listed(rec.panel) },
      { label: "替补顺序（" + got.replacements.length + " 人）", part: "替补顺序", ok: sameList(got.replacements, rec.replacements),
        detail: firstDifference(got.replacements, rec.replacements) }
    ]).concat(compareResponses(data, got));
    return { ok: checks.every(function (c) { return c.ok; }), checks: checks, computed: got };
  }

  // ---------------------------------------------------------------- the page
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function table(caption, headers, rows, digestColumn) {
    var t = el("table", null, "roster roster-verify__steps");
    t.appendChild(el("caption", caption));
    var thead = el("thead"), row = el("tr");
    headers.forEach(function (h) {
      var th = el("th", h); th.setAttribute("scope", "col"); row.appendChild(th);
    });
    thead.appendChild(row); t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (values) {
      var tr = el("tr");
      values.forEach(function (v, i) {
        var td = el("td", v);
        td.setAttribute("data-label", headers[i]);
        if (i === digestColumn) td.className = "roster-verify__digest";
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    t.appendChild(tbody);
    return t;
  }

  var WALK_SHOWN = 30;

  function show(out, data, outcome) {
    out.textContent = "";
    var failing = outcome.checks.filter(function (c) { return !c.ok; });
    var differing = failing.filter(function (c) { return !c.unchecked; }).map(function (c) { return c.part; });
    // 只有“无法核验”（如不是 https 打开，浏览器不提供 WebCrypto）而没有任何不符：既不说一致，也不说不一致
    var status = outcome.ok ? "match" : differing.length ? "mismatch" : "unchecked";
    out.setAttribute("data-status", status);
    var head = el("p", status === "match" ? "✔ 一致：" + (data.committed ? "公开的请求与事先公布的承诺值相符，时间戳早于随机源；" : "")
      + "浏览器重新计算的密钥串、完整顺序、抽中名单、替补顺序和递补与公布的抽取结果完全相同。"
      : status === "unchecked" ? "？ 未能全部核验：" + failing.map(function (c) { return c.part; }).join("、")
        + "。其余各项与公布的相符。"
      : "✘ 不一致：浏览器重新计算的结果与公布的不同，不一致的部分：" + differing.join("、") + "。请向本局反映。",
    "roster-verify__verdict roster-verify__verdict--" + status);
    head.setAttribute("role", "status");
    out.appendChild(head);
    var list = el("ul");
    outcome.checks.forEach(function (c) {
      var item = el("li"), verdict = el(c.ok ? "span" : "strong", (c.ok ? "一致：" : c.unchecked ? "未能核验：" : "不一致：") + c.label);
      item.appendChild(verdict);
      if (c.detail) item.appendChild(document.createTextNode("（" + c.detail + "）"));
      list.appendChild(item);
    });
    out.appendChild(list);
    out.appendChild(el("p", "这证明了什么：抽取请求（候选名单、名额、单位上限、随机源）在随机源公布之前已经固定"
      + "（承诺值在那时已公布并有时间戳），之后没有改动；抽中名单和每一次递补都由事先指定的公开随机数按公开的规则算出，"
      + "任何人都无法挑选。", "roster-verify__proves"));
    out.appendChild(el("p", "这不能证明什么：候选名单本身是否完整、回避和排除是否属实（排除的原因不公开，只有其摘要在承诺值中）、"
      + "某人婉拒或缺席是否真实；时间戳证明承诺值在令牌时间已经存在，前提是信任本网站保存的时间戳服务证书。",
    "roster-verify__limits"));
    var got = outcome.computed;
    if (!got) return;
    data = inputs(data);
    var ids = data.candidates.id, names = data.candidates.name || ids;
    var label = data.algorithm === "rfc3797-sm3" ? "SM3" : "MD5";
    out.appendChild(table("前 " + Math.min(10, got.steps.length) + " 步（格式同 RFC 3797 第6节）",
      ["序号", label + "（十六进制）", "尚未选出", "选中（候选名单位置）"],
      got.steps.slice(0, 10).map(function (s) {
        return [String(s.index), hex(s.digest), String(s.div), s.position + " " + ids[s.position - 1] + " " + names[s.position - 1]];
      }), 1));
    var index = {};
    ids.forEach(function (id, i) { index[id] = i; });
    var c = data.candidates, quotas = data.quotas || [];
    out.appendChild(table("逐一检查" + (got.log.length > WALK_SHOWN ? "（前 " + WALK_SHOWN + " 步，共 " + got.log.length + " 步）" : "（共 " + got.log.length + " 步）"),
      ["顺序", "编号", "名额组", "单位", "判断"],
      got.log.slice(0, WALK_SHOWN).map(function (step, n) {
        var i = index[step.id];
        var group = quotas.length ? (c.quota[i] == null ? "—" : "第 " + c.quota[i] + " 组") : "全部";
        var inst = c.institution[i] == null ? "—" : (c.institution_name && c.institution_name[i] ? c.institution_name[i] + "（" + c.institution[i] + "）" : c.institution[i]);
        return [String(n + 1), step.id, group, inst, step.verdict];
      })));
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
        .then(function (data) {
          return checkStamps(data).then(function (stamps) { show(out, data, verify(data, stamps)); });
        })
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
    md5: md5, sm3: sm3, sha256: sha256, hex: hex, canonical: canonical, commitmentOf: commitmentOf,
    checkStamps: checkStamps, keyString: keyString, permutation: permutation,
    walk: walk, recompute: recompute, verify: verify
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
