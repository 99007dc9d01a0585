// node bench/openai-sampling/sample.mjs --test artifacts/default/split/test.jsonl --out OUT.jsonl [--base-url http://127.0.0.1:8000/v1] [--model default] [--temperature 0.6] [--top-p 0.95] [--max-tokens 64] [--samples 1]
// Asks a running Serve every test question through the official OpenAI client and writes predictions.jsonl rows
// (id, category, prompt, reference, prediction) that `tuneforge-engine score --predictions OUT.jsonl` scores.
import OpenAI from 'openai';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    test: { type: 'string' }, out: { type: 'string' },
    'base-url': { type: 'string', default: 'http://127.0.0.1:8000/v1' }, model: { type: 'string', default: 'default' },
    temperature: { type: 'string', default: '0.6' }, 'top-p': { type: 'string', default: '0.95' },
    'max-tokens': { type: 'string', default: '64' }, samples: { type: 'string', default: '1' },
  },
});
if (!values.test || !values.out) {
  console.error('usage: sample.mjs --test split/test.jsonl --out predictions.jsonl [--base-url URL] [--model NAME] [--temperature T] [--top-p P] [--max-tokens N] [--samples K]');
  process.exit(2);
}

// Serve needs no key unless started with --api-keys-*; the client insists on one, so a placeholder is sent.
const client = new OpenAI({ baseURL: values['base-url'], apiKey: process.env.TUNEFORGE_API_KEY ?? 'none', maxRetries: 2 });
const records = readFileSync(values.test, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
const rows = [];
for (const record of records) {
  const prompt = record.messages.filter(m => m.role !== 'assistant');
  const reference = record.messages.findLast(m => m.role === 'assistant').content;
  for (let k = 0; k < Number(values.samples); k++) {
    const completion = await client.chat.completions.create({
      model: values.model, messages: prompt, temperature: Number(values.temperature), top_p: Number(values['top-p']),
      max_tokens: Number(values['max-tokens']),
    });
    const answer = completion.choices[0].message.content ?? '';
    rows.push({ id: Number(values.samples) > 1 ? `${record.id}#${k}` : record.id, category: record.category,
      prompt: prompt.at(-1).content, reference, prediction: answer });
  }
}
writeFileSync(values.out, rows.map(r => JSON.stringify(r)).join('\n') + '\n');
console.log(`${rows.length} answers from ${values.model} at temperature ${values.temperature}, top_p ${values['top-p']} -> ${values.out}`);
