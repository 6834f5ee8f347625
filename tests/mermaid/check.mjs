import { JSDOM } from "jsdom";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
import fs from "fs";
let bad = 0;
for (const f of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(f, "utf8")); console.log("ok", f); }
  catch (e) { bad++; console.log("FAIL", f, String(e).slice(0, 300)); }
}
process.exit(bad ? 1 : 0);
