// Validates an AsyncAPI document with the AsyncAPI parser (its schema and its spectral rules):
// prints every diagnostic and exits 1 when one is an error, or when the document does not parse.
// Usage: node check-asyncapi.mjs ../asyncapi.yaml
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = resolve(process.argv[2] ?? '../asyncapi.yaml');
const names = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const { document, diagnostics } = await new Parser().parse(await readFile(file, 'utf8'), { source: file });
for (const d of diagnostics) {
  const at = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : '?';
  const where = d.path?.length ? ` (${d.path.join('.')})` : '';
  console.log(`${file}:${at} ${names[d.severity] ?? d.severity} ${d.code}: ${d.message}${where}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length;
if (!document || errors > 0) {
  console.error(`${file}: ${errors} error(s)${document ? '' : ', the document does not parse'}`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}, ${diagnostics.length} diagnostic(s) without error`);
