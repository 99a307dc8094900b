// Parse an AsyncAPI document with the official parser (@asyncapi/parser, pinned in
// package.json) and print its diagnostics as JSON: [{severity, message, path}].
// Usage: node tests/contract/asyncapi_parse.mjs document.json
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const text = readFileSync(process.argv[2], "utf8");
const { document, diagnostics } = await new Parser().parse(text);
const names = ["error", "warning", "info", "hint"];
const out = diagnostics.map((d) => ({ severity: names[d.severity] ?? String(d.severity), message: d.message, path: d.path }));
if (document) {
  out.push({ severity: "summary", message: `channels=${document.channels().length} messages=${document.allMessages().length}` });
}
process.stdout.write(JSON.stringify(out));
