/* 在浏览器中核验抽取记录的 RFC 3161 时间戳令牌，与 roster validate（tools/roster/draw/timestamp.py）同样的检查、同样的证书：
 * 1. 令牌是时间戳服务“批准”的应答（状态 0），内容是 CMS SignedData，只有一个签名者，封装的内容是 TSTInfo；
 * 2. TSTInfo 的 messageImprint：摘要算法是 SHA-256，摘要值等于本抽取的承诺值，且等于公开请求（规范 JSON）的 SHA-256；
 * 3. 签名属性中的 messageDigest 等于 TSTInfo 内容的摘要，签名用签发证书的公钥（WebCrypto）核验有效；
 * 4. 签发证书在令牌时间（genTime）有效，并且能链到 registry.yaml（timestamping）中保存的该服务的证书；
 * 5. 签发证书带有关键的扩展用途 timeStamping（RFC 3161 第 2.3 节）。
 * 解析与签名核验用 pkijs（vendor/pkijs.js，由 tools/tsa 的锁定版本打包，只在核验时加载，不访问其他网站）。
 * WebCrypto 只在安全上下文（https 或本机地址）中可用；没有它就说明原因，不报告“一致”。
 */
(function () {
  "use strict";

  var SIGNED_DATA = "1.2.840.113549.1.7.2", TST_INFO = "1.2.840.113549.1.9.16.1.4";
  var SHA256 = "2.16.840.1.101.3.4.2.1", EXT_KEY_USAGE = "2.5.29.37", TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
  var COMMON_NAME = "2.5.4.3";
  var here = document.currentScript && document.currentScript.src;
  var loading = null;

  function library() {
    if (window.RosterPKI) return Promise.resolve(window.RosterPKI);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("vendor/pkijs.js", here || document.baseURI).href;
        script.onload = function () { resolve(window.RosterPKI); };
        script.onerror = function () { loading = null; reject(new Error("无法加载核验时间戳签名所需的程序（vendor/pkijs.js）")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function bytesOf(base64) {
    var text = atob(base64), out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  function hexOf(bytes) {
    var s = "";
    bytes = new Uint8Array(bytes);
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }

  function pemCertificates(pem) {
    var blocks = String(pem || "").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) || [];
    return blocks.map(function (block) {
      return bytesOf(block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""));
    });
  }

  function commonName(name) {
    var found = (name.typesAndValues || []).filter(function (tv) { return tv.type === COMMON_NAME; })[0];
    return found ? String(found.value.valueBlock.value) : "（证书未写名称）";
  }

  function failure(detail) { return { ok: false, detail: detail }; }

  // 一个令牌：base64（.tsr 文件，TimeStampResp）、承诺值（"sha256:…"）、保存的证书（PEM，可多张）、
  // 公开请求的规范 JSON（字节）、服务名称。返回 { ok, detail, time（Date）, issuer }，detail 为中文；
  // 无法核验（而非核验不符）时另有 part，供页面的结论一句使用。
  async function checkToken(base64, commitment, pem, message, authority) {
    if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
      var why = failure("浏览器没有提供核验签名所需的 WebCrypto（本页须通过 https 或本机地址打开），未能核验时间戳签名");
      why.part = "时间戳（未能核验签名：请用 https 地址打开本页）";
      why.unchecked = true;  // 不是不符：这个浏览器无法核验
      return why;
    }
    if (!pem) return failure("本网站没有保存时间戳服务 " + authority + " 的证书，无法核验签名");
    var pki = await library();
    var response, signed, tst;
    try {
      response = pki.TimeStampResp.fromBER(bytesOf(base64));
    } catch (e) {
      return failure("时间戳令牌无法解析（不是 RFC 3161 时间戳应答）");
    }
    if (response.status.status !== 0) return failure("时间戳服务没有批准这个请求（状态 " + response.status.status + "）");
    var token = response.timeStampToken;
    if (!token || token.contentType !== SIGNED_DATA) return failure("时间戳应答中没有签名的令牌（CMS SignedData）");
    try {
      signed = new pki.SignedData({ schema: token.content });
    } catch (e) {
      return failure("时间戳令牌的签名部分（CMS SignedData）无法解析");
    }
    if (signed.signerInfos.length !== 1) return failure("时间戳令牌应恰有一个签名，实有 " + signed.signerInfos.length + " 个");
    if (!signed.signerInfos[0].sid.issuer) return failure("时间戳令牌的签名者没有用签发者和序列号标明，找不到签发证书");
    var content = signed.encapContentInfo;
    if (content.eContentType !== TST_INFO || !content.eContent) return failure("时间戳令牌签名的内容不是 TSTInfo");
    try {
      tst = pki.TSTInfo.fromBER(content.eContent.getValue());
    } catch (e) {
      return failure("时间戳令牌中的 TSTInfo 无法解析");
    }
    var imprint = tst.messageImprint, stamped = hexOf(imprint.hashedMessage.valueBlock.valueHexView);
    var want = String(commitment || "").replace(/^sha256:/, "").toLowerCase();
    if (imprint.hashAlgorithm.algorithmId !== SHA256) {
      return failure("时间戳令牌的摘要算法不是 SHA-256（" + imprint.hashAlgorithm.algorithmId + "），不是对承诺值盖的时间戳");
    }
    if (stamped !== want) return failure("时间戳令牌盖的是另一个摘要（" + stamped + "），不是本请求的承诺值 sha256:" + want);
    var time = tst.genTime, trusted;
    try {
      trusted = pemCertificates(pem).map(function (der) { return pki.Certificate.fromBER(der); });
    } catch (e) {
      return failure("本网站保存的时间戳服务 " + authority + " 的证书无法读取");
    }
    if (!trusted.length) return failure("本网站保存的时间戳服务 " + authority + " 的证书无法读取");
    var result;
    try {
      result = await signed.verify({ signer: 0, data: message, checkChain: true, trustedCerts: trusted, extendedMode: true });
    } catch (e) {
      return failure(refusal(e, authority));
    }
    if (!result.signatureVerified) return failure("签名无效：时间戳令牌的签名不能用签发证书的公钥核验（令牌被改动过）");
    var signer = result.signerCertificate;
    var usage = (signer.extensions || []).filter(function (x) { return x.extnID === EXT_KEY_USAGE; })[0];
    if (!usage || !usage.critical || !usage.parsedValue || usage.parsedValue.keyPurposes.indexOf(TIME_STAMPING) < 0) {
      return failure("签发令牌的证书不是时间戳专用证书（缺少关键的扩展用途 timeStamping）");
    }
    return { ok: true, time: time, issuer: commonName(signer.subject), detail: "" };
  }

  // pkijs 的 SignedDataVerifyError（code）译成中文。
  function refusal(error, authority) {
    var code = error && error.code, message = String((error && error.message) || error);
    if (code === 3) return "签名无效：令牌中找不到签名者的证书";
    if (code === 5) return "签发机构不受信任：签发令牌的证书不能链到本网站保存的 " + authority + " 证书（或在令牌时间不在有效期内）";
    if (code === 4 || /TSTInfo verification/.test(message)) return "时间戳令牌盖的摘要不等于公开请求的 SHA-256";
    if (/Message digest/.test(message)) return "签名无效：签名属性中的消息摘要与令牌内容不符（令牌被改动过）";
    return "签名无效：无法核验时间戳令牌的签名（" + message + "）";
  }

  window.RosterTSA = { checkToken: checkToken, library: library };
})();
