/**
 * Export session of an agent's stored session: the built agent, run with
 * `--history` in the test network's client namespace, writes the session
 * file from its own history and the app's service reads it in chunks (many
 * small ones here) into the chosen file. The session is more than one agent
 * message could carry as JSON; the file holds every sample of it, row for
 * row, and the agent's temporary files are gone once read and once the
 * connection ends. Refused: a session the agent does not have, a token it
 * never gave, and any of it from an agent without a history.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareSessionFileAnswer, readSessionFileAnswer } from '@shared/agentSessionFile';
import { MAX_OPENED_SAMPLES } from '@shared/storedSessions';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { writeLongSession } from '../fixtures/historyFiles';
import { AgentLink } from '../../src/main/remote/agentLink';
import { TraceService } from '../../src/main/service/traceService';
import { agentViewArgs, inNamespace, pickPort, startAgent, until, type Place, type Running } from './agentProcess';
import { tunnelInto, type NamespaceTunnel } from './namespaceTunnel';

ensureBuilt();

const ROUNDS = 8_000;
/** 25 hops a round: about 17 MB as one JSON document, more than an agent message may be. */
const TTLS = 25;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 24 * 3600_000;
const CHUNK_BYTES = 64 * 1024;

/** Rows of `table` in one file and not the other (either way), counted by DuckDB. */
async function rowsDiffering(a: string, b: string, table: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`ATTACH '${a}' AS a (READ_ONLY)`);
    await c.run(`ATTACH '${b}' AS b (READ_ONLY)`);
    const q = `SELECT (SELECT count(*) FROM (SELECT * FROM a.${table} WHERE session = 1 EXCEPT ALL SELECT * FROM b.${table}))
       + (SELECT count(*) FROM (SELECT * FROM b.${table} EXCEPT ALL SELECT * FROM a.${table} WHERE session = 1)) AS n`;
    return Number((await c.runAndReadAll(q)).getRowObjectsJS()[0]!['n']);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describeWithNetwork('Export session of an agent’s stored session', (getNet) => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-file-'));
  const tokenFile = join(dir, 'view.token');
  const historyFile = join(dir, 'agent-history.duckdb');
  const snapshot = join(dir, 'before-agent.duckdb');
  const agentTmp = join(dir, 'agent-tmp');
  const viewPort = pickPort();
  const plainPort = viewPort + 2;
  const savedTo = join(dir, 'exported.duckdb');
  let agent: Running | undefined;
  let plain: Running | undefined;
  let tunnel: NamespaceTunnel | undefined;
  let plainTunnel: NamespaceTunnel | undefined;
  let service: TraceService | undefined;
  let token = '';
  const exportFolders = () => readdirSync(agentTmp).filter((name) => name.startsWith('hopscope-agent-export-'));

  beforeAll(async () => {
    const { samples } = await writeLongSession(historyFile, { rounds: ROUNDS, ttls: TTLS, startedAt: T0 });
    expect(samples).toBe(MAX_OPENED_SAMPLES);
    // The agent holds its file locked: the rows are compared with a copy taken before it starts.
    copyFileSync(historyFile, snapshot);
    mkdirSync(agentTmp);
    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ targets: [{ name: 'path', target: getNet().target.v4, intervalSec: 1 }] }));
    const place = inNamespace(getNet());
    const withTmp: Place = { ...place, prefix: [...place.prefix, 'env', `TMPDIR=${agentTmp}`] };
    agent = startAgent(withTmp, config, viewPort + 1, agentViewArgs(viewPort, tokenFile, historyFile));
    plain = startAgent(place, config, plainPort + 1, agentViewArgs(plainPort, join(dir, 'plain.token')));
    for (const running of [agent, plain]) {
      await until('the agent view', async () => (running.output().includes('read-only view at') ? true : undefined));
    }
    tunnel = await tunnelInto(getNet(), viewPort);
    plainTunnel = await tunnelInto(getNet(), plainPort);
    token = readFileSync(tokenFile, 'utf8').trim();
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
    await agent?.stop();
    await plain?.stop();
    await tunnel?.close();
    await plainTunnel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'writes every sample to the chosen file, read in many chunks, and leaves nothing on the agent',
    {
      timeout: 120_000,
    },
    async () => {
      const dialogs = { chooseSavePath: () => Promise.resolve(savedTo), chooseOpenPath: () => Promise.resolve(null) };
      service = new TraceService({
        enrichment: false,
        history: { path: join(dir, 'app-history.duckdb') },
        dialogs,
        agentSessionFileChunkBytes: CHUNK_BYTES,
      });
      expect((await service.dispatch('connectAgent', { address: tunnel!.address, token })).ok).toBe(true);
      const listed = await service.dispatch('listStoredSessions', undefined);
      const info = listed.ok ? listed.value.sessions.find((s) => s.target === 'long.example') : undefined;
      expect(info).toMatchObject({ samples: MAX_OPENED_SAMPLES });

      const exported = await service.dispatch('exportSessionFile', { id: info!.id, suggestedName: 'long' });
      expect(exported).toEqual({ ok: true, value: { saved: true, path: savedTo } });
      // Many chunks: the file is several times the chunk size.
      expect(readFileSync(savedTo).length).toBeGreaterThan(8 * CHUNK_BYTES);
      for (const table of ['samples', 'segments', 'sessions', 'events'])
        expect({ table, differing: await rowsDiffering(snapshot, savedTo, table) }).toEqual({ table, differing: 0 });
      // The app opens it again as a session file of every sample.
      const opened = await service.dispatch('openDroppedSessionFile', { path: savedTo });
      expect(opened.ok && opened.value.ok && opened.value.stored?.samples).toBe(MAX_OPENED_SAMPLES);

      // Read to its end, the agent's file is gone; its folder goes with the connection.
      const folders = exportFolders();
      expect(folders).toHaveLength(1);
      expect(readdirSync(join(agentTmp, folders[0]!))).toEqual([]);
      await service.dispatch('disconnectAgent', { agentId: (await agentIdOf(service))! });
      await until('the agent to remove its export folder', async () =>
        existsSync(join(agentTmp, folders[0]!)) ? undefined : true,
      );
      expect(exportFolders()).toEqual([]);
    },
  );

  it(
    'refuses a session it does not have, a token it never gave, and needs a history',
    { timeout: 60_000 },
    async () => {
      const events = { onOpen: () => {}, onLost: () => {}, onBatch: () => {} };
      const link = new AgentLink(tunnel!.address, token, events);
      await link.connectOnce();
      try {
        await expect(link.call('prepareSessionFile', { id: 999 }, prepareSessionFileAnswer)).rejects.toMatchObject({
          code: 'not-found',
          message: expect.stringMatching(/no stored session 999/),
        });
        const bogus = { token: 'ab'.repeat(16), offset: 0, length: 1024 };
        await expect(link.call('readSessionFile', bogus, readSessionFileAnswer)).rejects.toMatchObject({
          code: 'not-found',
        });
        const tooLong = { token: 'ab'.repeat(16), offset: 0, length: 64 * 1024 * 1024 };
        await expect(link.call('readSessionFile', tooLong, readSessionFileAnswer)).rejects.toMatchObject({
          code: 'invalid-request',
        });
        expect(link.connected).toBe(true);
        // A file prepared and never read is removed with the connection that asked for it.
        const prepared = await link.call('prepareSessionFile', { id: 1 }, prepareSessionFileAnswer);
        expect(prepared.total).toBeGreaterThan(0);
        const files = exportFolders().flatMap((folder) => readdirSync(join(agentTmp, folder)));
        expect(files).toEqual([`${prepared.token}.duckdb`]);
      } finally {
        link.close();
      }
      await until('the agent to remove the unread file', async () => (exportFolders().length === 0 ? true : undefined));
      const plainLink = new AgentLink(
        plainTunnel!.address,
        readFileSync(join(dir, 'plain.token'), 'utf8').trim(),
        events,
      );
      await plainLink.connectOnce();
      try {
        await expect(plainLink.call('prepareSessionFile', { id: 1 }, prepareSessionFileAnswer)).rejects.toMatchObject({
          code: 'not-found',
          message: expect.stringMatching(/keeps no history/),
        });
      } finally {
        plainLink.close();
      }
    },
  );
});

async function agentIdOf(service: TraceService): Promise<string | undefined> {
  const agents = await service.dispatch('listAgents', undefined);
  return agents.ok ? agents.value[0]?.id : undefined;
}
