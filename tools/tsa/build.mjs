// 把 entry.js（pkijs 及其依赖）打包为一个文件：node build.mjs [输出文件]，默认写入网站的 vendor 目录。
// 同一 package-lock.json 安装的同一 esbuild 版本，输出逐字节相同（tests/site/test_tsa_bundle.py 检查）。
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || path.join(here, "../roster/site/assets/javascripts/vendor/pkijs.js");

await build({
  entryPoints: [path.join(here, "entry.js")],
  outfile: out,
  absWorkingDir: here,
  bundle: true,
  format: "iife",
  globalName: "RosterPKI",
  minify: true,
  target: "es2020",
  platform: "browser",
  charset: "utf8",
  legalComments: "eof",
  logLevel: "warning",
});
