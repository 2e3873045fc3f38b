#!/usr/bin/env node
/**
 * Electronegativity over src/ (and package.json), failing on any finding
 * above LOW severity that is not suppressed with a justification.
 *
 * Suppression convention, on the finding's line or the line directly above:
 *
 *   // electronegativity-ignore: RULE_ID — why this is safe
 *   <!-- electronegativity-ignore: RULE_ID — why this is safe -->
 *
 * RULE_ID is the check id electronegativity reports (e.g. OPEN_EXTERNAL_JS_CHECK);
 * several may be comma-separated. The reason after the dash ("—", "--" or "-")
 * is mandatory (at least 10 characters). Electronegativity's own `eng-disable`
 * comments are refused, since they hide a finding without any reason.
 *
 * The CLI always exits 0 (REFERENCE.md), hence the programmatic API.
 */
import { createRequire, Module } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/**
 * src/ gets every check except the one that downloads Electron's release list
 * (the scan stays offline; the Electron version is pinned in package.json and
 * reviewed when bumped). package.json gets only the package.json checks: a
 * second run would otherwise repeat the global checks on a tree without code.
 */
const SCANS = [
  { input: join(ROOT, 'src'), excludeFromScan: ['availablesecurityfixesglobalcheck'] },
  {
    input: join(ROOT, 'package.json'),
    customScan: ['electronversionjsoncheck', 'customargumentsjsoncheck', 'securitywarningsdisabledjsoncheck'],
  },
];
const LOW = 1;
const SUPPRESSION =
  /electronegativity-ignore:\s*([A-Z0-9_]+(?:\s*,\s*[A-Z0-9_]+)*)\s*(?:—|--|-)?\s*(.*?)\s*(?:\*\/|-->)?\s*$/;
const MIN_REASON = 10;

// Keep the scan offline and deterministic: electronegativity fetches translations
// from the network at start (a 1 s timeout, then the bundled English). Answer that
// request with a failure before it is made.
const engDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = createRequire(join(engDir, 'dist', 'runner.js')).resolve('got');
const offlineGot = new Module(gotPath);
offlineGot.filename = gotPath;
offlineGot.loaded = true;
offlineGot.exports = () => Promise.reject(new Error('offline'));
require.cache[gotPath] = offlineGot;
process.env.LANG = 'en-US';

// Its CLI (`npx electronegativity -i src -o out.csv`) needs a commander from before v7 (it uses the
// default export as the program); package.json's `overrides` puts one beside it. Keep that true.
// (commander 8+ does not export its package.json: read it next to the resolved entry.)
const engCommanderMain = createRequire(join(engDir, 'dist', 'index.js')).resolve('commander');
const engCommanderDir = engCommanderMain.slice(0, engCommanderMain.lastIndexOf('commander') + 'commander'.length);
const engCommander = JSON.parse(readFileSync(join(engCommanderDir, 'package.json'), 'utf8'));
if (Number(engCommander.version.split('.')[0]) > 6) {
  console.error(
    `electronegativity's CLI would load commander ${engCommander.version} (it needs 6 or older): ` +
      'check the "overrides" entry in package.json and run npm install',
  );
  process.exit(1);
}

const runModule = require('@doyensec/electronegativity');
const run = typeof runModule === 'function' ? runModule : runModule.default;
const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;

/** Electronegativity logs its offline fallbacks with console.log; keep the output to findings. */
const NOISE = [/^Could not retrieve updated translations/];
async function quietly(fn) {
  const original = console.log;
  console.log = (...args) => {
    if (!NOISE.some((re) => re.test(String(args[0])))) original(...args);
  };
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}

function linesOf(file, cache) {
  if (!cache.has(file)) {
    try {
      cache.set(file, readFileSync(file, 'utf8').split('\n'));
    } catch {
      cache.set(file, []);
    }
  }
  return cache.get(file);
}

/** The suppression covering a finding: on its line or the line above. */
function suppressionFor(lines, line, id) {
  for (const index of [line - 1, line - 2]) {
    const match = lines[index]?.match(SUPPRESSION);
    if (!match) continue;
    const rules = match[1].split(',').map((r) => r.trim());
    if (rules.includes(id)) return { line: index + 1, reason: match[2] ?? '' };
  }
  return null;
}

const findings = [];
const errors = [];
for (const scan of SCANS) {
  const result = await quietly(() => run({ ...scan, electronVersionOverride: electronVersion, isRelative: false }));
  findings.push(...result.issues);
  errors.push(...result.errors.filter((e) => !e.tolerable));
}

const cache = new Map();
const failures = [];
const suppressed = [];
const usedSuppressions = new Set();
for (const issue of findings) {
  if (issue.severity.value <= LOW) continue;
  const where = `${relative(ROOT, issue.file)}:${issue.location?.line ?? '?'}`;
  const text = `${issue.id} (${issue.severity.name}, ${issue.confidence.name}) at ${where}: ${issue.description}`;
  const lines = issue.location?.line ? linesOf(issue.file, cache) : [];
  const suppression = issue.location?.line ? suppressionFor(lines, issue.location.line, issue.id) : null;
  if (!suppression) {
    failures.push(text);
  } else if (suppression.reason.length < MIN_REASON) {
    failures.push(`${text}\n    suppressed without a reason (line ${suppression.line}); write "— why this is safe"`);
  } else {
    usedSuppressions.add(`${issue.file}:${suppression.line}`);
    suppressed.push(`${issue.id} at ${where}: ${suppression.reason}`);
  }
}

// Electronegativity's own inline switch hides findings before we see them: not allowed.
const { execFileSync } = await import('node:child_process');
let engDisable = '';
try {
  engDisable = execFileSync('grep', ['-rnI', '--exclude-dir=node_modules', 'eng-disable', join(ROOT, 'src')], {
    encoding: 'utf8',
  });
} catch {
  // grep exits 1 when nothing matches.
}
for (const hit of engDisable.split('\n').filter(Boolean)) {
  failures.push(`eng-disable comment (use "electronegativity-ignore: RULE — reason" instead): ${relative(ROOT, hit)}`);
}

let unused = '';
try {
  unused = execFileSync('grep', ['-rnI', 'electronegativity-ignore:', join(ROOT, 'src')], { encoding: 'utf8' });
} catch {
  // none
}
for (const hit of unused.split('\n').filter(Boolean)) {
  const [file, line] = hit.split(':');
  if (!usedSuppressions.has(`${file}:${line}`)) {
    console.warn(`warning: unused suppression at ${relative(ROOT, file)}:${line}`);
  }
}

const low = findings.filter((i) => i.severity.value <= LOW).length;
console.log(
  `electronegativity ${electronVersion ? `(Electron ${electronVersion})` : ''}: ${findings.length} findings, ` +
    `${low} at LOW or below (not gated), ${suppressed.length} suppressed with a reason, ${failures.length} failing`,
);
for (const s of suppressed) console.log(`  suppressed: ${s}`);
for (const i of findings.filter((f) => f.severity.value <= LOW)) {
  console.log(`  ${i.severity.name.toLowerCase()}: ${i.id} at ${relative(ROOT, i.file)}:${i.location?.line ?? '?'}`);
}
for (const e of errors) console.log(`  parse error: ${relative(ROOT, e.file)}: ${e.message}`);
if (failures.length > 0 || errors.length > 0) {
  console.error('\nFAILED:');
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log('security scan passed');
