#!/usr/bin/env node
// 按 Decap CMS 的方式读、写一个记录文件：与 decap-cms-core 3.19.1 的 src/formats/yaml.ts 相同的步骤
// （yaml 1.x 的 parseDocument → toJSON；createNode → 字段的 comment 写在键前 → 顶层键按配置的字段顺序排序 →
// Document.toString），用的是 tools/cms/node_modules 里 Decap 所依赖的同一个 yaml 包。
// tests/cms/test_cms_roundtrip.py 用它测量：表单打开再原样保存一个记录时，Decap 改写了文件的哪些地方。
//
// 用法：node tests/cms/decap_yaml.cjs CONFIG.yml FILE...   输出 JSON：{文件: Decap 写回的文本}
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const yaml = require(path.join(__dirname, "..", "..", "tools", "cms", "node_modules", "yaml"));

function sortKeys(sortedKeys, selector) {
  return (a, b) => {
    const idxA = sortedKeys.indexOf(selector(a));
    const idxB = sortedKeys.indexOf(selector(b));
    if (idxA === -1 || idxB === -1) return 0;
    return idxA - idxB;
  };
}

function addComments(items, comments, prefix = "") {
  for (const item of items) {
    if (item.key === undefined) continue;
    const key = prefix ? `${prefix}.${item.key.toString()}` : item.key.toString();
    if (comments[key]) item.commentBefore = ` ${comments[key].split("\\n").join("\n ")}`;
    if (Array.isArray(item.value && item.value.items)) addComments(item.value.items, comments, key);
  }
}

function fromFile(content) {
  const doc = yaml.parseDocument(content, { prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
  return doc.toJSON();
}

function toFile(data, sortedKeys, comments) {
  const contents = yaml.createNode(data);
  addComments(contents.items, comments);
  contents.items.sort(sortKeys(sortedKeys, (item) => item.key && item.key.toString()));
  const doc = new yaml.Document();
  doc.contents = contents;
  return doc.toString();
}

const [configPath, ...files] = process.argv.slice(2);
const config = yaml.parse(fs.readFileSync(configPath, "utf8"));
const out = {};
for (const file of files) {
  const collection = config.collections.find((c) => file.startsWith(c.folder + "/"));
  if (!collection) throw new Error(`${file} 不属于任何集合`);
  const fields = collection.fields;
  const comments = Object.fromEntries(fields.filter((f) => f.comment).map((f) => [f.name, f.comment]));
  out[file] = toFile(fromFile(fs.readFileSync(file, "utf8")), fields.map((f) => f.name), comments);
}
process.stdout.write(JSON.stringify(out));
