import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeLabelValue } from '../../../src/agent/exposition';
import {
  AGENT_SAMPLES_PER_HOP,
  AgentConfigError,
  loadAgentConfig,
  parseAgentConfig,
  MAX_AGENT_CONFIG_BYTES,
} from '../../../src/agent/config';

const FILE = 'agent.yaml';

function problem(text: string, file = FILE): AgentConfigError {
  try {
    parseAgentConfig(text, file);
  } catch (err) {
    if (err instanceof AgentConfigError) return err;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('agent config: good', () => {
  it('reads YAML with per-target options and fills in the schema defaults', () => {
    const config = parseAgentConfig(
      [
        'targets:',
        '  - name: gateway',
        '    target: 198.18.8.2',
        '  - name: dns-tcp',
        '    target: resolver.example.org',
        '    protocol: tcp',
        '    port: 53',
        '    maxTtl: 20',
        '    intervalSec: 5',
      ].join('\n'),
      FILE,
    );
    expect(config.targets.map((t) => t.name)).toEqual(['gateway', 'dns-tcp']);
    expect(config.targets[0]!.options).toMatchObject({
      target: '198.18.8.2',
      protocol: 'icmp',
      maxTtl: 30,
      count: null,
    });
    expect(config.targets[1]!.options).toMatchObject({ protocol: 'tcp', port: 53, maxTtl: 20, intervalSec: 5 });
    // The agent keeps fewer raw samples than the app unless told otherwise.
    expect(config.targets[0]!.options.sampleBufferSize).toBe(AGENT_SAMPLES_PER_HOP);
  });

  it('reads the same config written as JSON', () => {
    const json = JSON.stringify(
      { targets: [{ name: 'a', target: '198.18.8.2', protocol: 'udp', port: 33434 }] },
      null,
      2,
    );
    const config = parseAgentConfig(json.replace('"port"', '"sampleBufferSize": 600, "port"'), 'agent.json');
    expect(config.targets[0]!.options).toMatchObject({ protocol: 'udp', port: 33434, sampleBufferSize: 600 });
  });
});

describe('agent config: refused with file, line and field', () => {
  it.each([
    [
      'a max TTL out of range',
      'targets:\n  - name: a\n    target: 198.18.8.2\n    maxTtl: 300\n',
      4,
      'targets[0].maxTtl',
      /max TTL must be between 1 and 255/,
    ],
    [
      'a port with ICMP (a cross-field rule of the schema)',
      'targets:\n  - name: a\n    target: 198.18.8.2\n  - name: b\n    target: 198.18.8.2\n    port: 53\n',
      6,
      'targets[1].port',
      /a port applies only to UDP, TCP and SCTP/,
    ],
    [
      'an unknown option',
      'targets:\n  - name: a\n    target: x.test\n    interval: 5\n',
      4,
      'targets[0].interval',
      /unrecognized key/i,
    ],
    ['a missing target', 'targets:\n  - name: a\n    protocol: tcp\n', 2, 'targets[0].target', /missing/],
    ['a missing name', 'targets:\n  - target: 198.18.8.2\n', 2, 'targets[0].name', /every target needs a name/],
    [
      'a count',
      'targets:\n  - name: a\n    target: 198.18.8.2\n    count: 10\n',
      4,
      'targets[0].count',
      /continuously/,
    ],
    ['an empty list', 'targets: []\n', 1, 'targets', /at least one target/],
    [
      'an unknown top-level key',
      'targets:\n  - {name: a, target: 198.18.8.2}\nextra: 1\n',
      3,
      'extra',
      /unrecognized/i,
    ],
    [
      'a duplicate name',
      'targets:\n  - name: a\n    target: 198.18.8.2\n  - name: a\n    target: 198.18.8.3\n',
      4,
      'targets[1].name',
      /already the name of targets\[0\]/,
    ],
    ['a YAML syntax error', 'targets:\n  - name: a\n   target: [unclosed\n', 3, '', /./],
    ['a duplicate key', 'targets:\n  - name: a\n    name: b\n    target: 198.18.8.2\n', 3, '', /unique/i],
  ])('%s', (_what, text, line, field, message) => {
    const err = problem(text);
    expect(err.file).toBe(FILE);
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.problem).toMatch(message);
    expect(err.message.startsWith(`${FILE}:${line}:`)).toBe(true);
  });

  it('locates a problem in a JSON file by its line', () => {
    const json =
      '{\n  "targets": [\n    { "name": "a", "target": "198.18.8.2" },\n    { "name": "b", "target": "198.18.8.2", "firstTtl": 9, "maxTtl": 3 }\n  ]\n}\n';
    const err = problem(json, 'agent.json');
    expect(err.line).toBe(4);
    expect(err.field).toBe('targets[1].firstTtl');
    expect(err.problem).toMatch(/first TTL 9 must not exceed max TTL 3/);
  });
});

describe('agent config: hostile values', () => {
  it.each([
    [
      'a newline injection in the target',
      '{"targets":[{"name":"a","target":"a\\n2 send-probe ip-4 127.0.0.1"}]}',
      'targets[0].target',
    ],
    ['a space in the target', '{"targets":[{"name":"a","target":"127.0.0.1 ttl 3"}]}', 'targets[0].target'],
    ['a quote in the name', '{"targets":[{"name":"a\\"} 1","target":"198.18.8.2"}]}', 'targets[0].name'],
    ['a newline in the name', '{"targets":[{"name":"a\\nb","target":"198.18.8.2"}]}', 'targets[0].name'],
    ['a name too long', `{"targets":[{"name":"${'x'.repeat(65)}","target":"198.18.8.2"}]}`, 'targets[0].name'],
    ['a __proto__ key', '{"targets":[{"name":"a","target":"198.18.8.2","__proto__":{"x":1}}]}', 'targets[0]'],
    ['a number as target', '{"targets":[{"name":"a","target":17}]}', 'targets[0].target'],
    ['a list as root', '[1, 2]', ''],
    ['a scalar as root', '"targets"', ''],
  ])('refuses %s', (_what, text, field) => {
    const err = problem(text, 'agent.json');
    expect(err.field.startsWith(field)).toBe(true);
    expect(err.line).toBe(1);
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${new Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('targets: *a8');
    const err = problem(lines.join('\n'));
    expect(err.problem).toMatch(/alias/i);
  });

  it('refuses a file over the size limit without parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_AGENT_CONFIG_BYTES)}\n`);
    await expect(loadAgentConfig(big)).rejects.toThrow(/big\.yaml: cannot read the config: larger than 1 MB/);
    await expect(loadAgentConfig(join(dir, 'absent.yaml'))).rejects.toThrow(
      /absent\.yaml: cannot read the config: no such file/,
    );
  });

  it('never throws anything but AgentConfigError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseAgentConfig(text, FILE);
        } catch (err) {
          expect(err).toBeInstanceOf(AgentConfigError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts only names that need no escaping as a label value and carry no spaces or control characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 70 }), (name) => {
        const text = JSON.stringify({ targets: [{ name, target: '198.18.8.2' }] });
        let accepted: string | null = null;
        try {
          accepted = parseAgentConfig(text, FILE).targets[0]!.name;
        } catch (err) {
          expect(err).toBeInstanceOf(AgentConfigError);
        }
        if (accepted !== null) {
          expect(accepted).toBe(name);
          expect(escapeLabelValue(name)).toBe(name);
          expect(name).not.toMatch(/[\s\p{C}]/u);
        }
      }),
    );
  });
});
