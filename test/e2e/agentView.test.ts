/**
 * The app watching an agent, end to end: `hopscope agent --view-listen` runs
 * in the test network's client namespace with the real mtr-packet; the
 * harness (the same TraceService as the desktop app) reaches it through a
 * tunnel, as a person would through `ssh -L`; Chromium connects by address
 * and token, and the agent's live session shows as a read-only tab. Stopping
 * the agent shows the lost connection and keeps the rows; starting it again
 * reconnects the tab; Export session then downloads the session file the
 * agent wrote from its history. A second agent, without `--history`, gets a tab whose
 * timeline says so (and which stops asking for the sessions list).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { Harness } from '../../src/harness/server';
import { openAppInChromium } from './namespaceHarness';
import { agentViewArgs, inNamespace, pickPort, startAgent, until, type Running } from '../integration/agentProcess';
import { tunnelInto, type NamespaceTunnel } from '../integration/namespaceTunnel';
import { nodes, rows, tid, typeInto } from './uiSteps';
import { HistoryStore } from '../../src/main/history';

const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const LONG = { timeout: 60_000, interval: 250 };
const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-view-e2e-'));
const tokenFile = join(dir, 'view.token');
const historyFile = join(dir, 'agent-history.duckdb');

describeWithNetwork('the app connected to an agent, in Chromium', (getNet) => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  let agent: Running | undefined;
  let tunnel: NamespaceTunnel;
  let plainAgent: Running | undefined;
  let plainTunnel: NamespaceTunnel | undefined;
  const pageErrors: string[] = [];
  const viewPort = pickPort();
  const config = join(dir, 'agent.json');

  const runAgent = (): Running =>
    startAgent(inNamespace(getNet()), config, viewPort + 1, agentViewArgs(viewPort, tokenFile, historyFile));
  const ttlsOf = (list: string[]) => new Set(list.map((r) => Number(r.split(':')[0])));

  beforeAll(async () => {
    const net = getNet();
    writeFileSync(
      config,
      JSON.stringify({ targets: [{ name: 'edge-path', target: net.target.v4, protocol: 'icmp', intervalSec: 1 }] }),
    );
    agent = runAgent();
    await until('the agent view', async () => (agent!.output().includes('read-only view at') ? true : undefined));
    tunnel = await tunnelInto(net, viewPort);
    // The app's own history file, as the desktop app always has one.
    ({ harness, browser, page } = await openAppInChromium(
      net,
      { historyPath: join(dir, 'app-history.duckdb') },
      { viewport: { width: 1360, height: 860 } },
      pageErrors,
    ));
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await agent?.stop();
    await tunnel?.close();
    await plainAgent?.stop();
    await plainTunnel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the live session read-only, says when the connection is lost, keeps its rows and reconnects', async () => {
    const net = getNet();
    expect(existsSync(tokenFile)).toBe(true);
    const token = readFileSync(tokenFile, 'utf8').trim();
    // The token is in the file the operator hands out, never in the agent's log.
    expect(agent!.output()).not.toContain(token);

    await page.locator(tid('agents-toggle')).click();
    // A wrong token is refused with a clear reason, and opens nothing.
    await typeInto(page, 'agent-address', tunnel.address);
    await typeInto(page, 'agent-token', 'x'.repeat(43));
    await page.locator(tid('agent-connect')).click();
    await expect
      .poll(() => page.locator(tid('agent-connect-error')).textContent(), LONG)
      .toContain('refused the token');
    expect(await page.locator(tid('remote-badge')).count()).toBe(0);

    await typeInto(page, 'agent-token', token);
    await page.locator(tid('agent-connect')).click();
    const badge = page.locator(`${tid('tab')}.is-active ${tid('remote-badge')}`);
    await expect.poll(() => badge.textContent(), LONG).toBe(`agent ${tunnel.address} · read-only`);
    const expectedTtls = Array.from({ length: net.destinationTtl }, (_, i) => i + 1);
    await expect.poll(async () => [...ttlsOf(await rows(page))].sort((a, b) => a - b), LONG).toEqual(expectedTtls);
    await expect.poll(async () => (await nodes(page)).find((n) => n.destination)?.address, LONG).toBe(net.target.v4);
    // The timeline and focus window read the agent's history file, through the agent.
    await expect.poll(() => page.locator(tid('timeline')).getAttribute('data-state'), LONG).toBe('ready');
    const destinationSeries = page.locator(
      `${tid('timeline')} ${tid('timeline-series')}[data-ttl="${net.destinationTtl}"]`,
    );
    await expect.poll(() => destinationSeries.count(), LONG).toBe(1);
    expect(await page.locator(tid('focus-control')).count()).toBe(1);
    // Read-only: no form, no start or stop.
    expect(await page.locator(tid('start-button')).count()).toBe(0);
    expect(await page.locator(tid('remote-connection')).textContent()).toContain('live, read-only');
    await page.screenshot({ path: join(SCREENSHOTS, 'remote-agent-tab.png') });

    await agent!.stop();
    const connection = page.locator(tid('remote-connection'));
    await expect
      .poll(() => connection.textContent(), LONG)
      .toMatch(/Connection to agent lost — reconnecting (in \d+ s|now)/);
    await expect.poll(() => badge.textContent(), LONG).toBe(`agent ${tunnel.address} · connection lost`);
    expect(await page.locator(tid('status-remote')).textContent()).toMatch(/^Connection to agent lost/);
    const keptRows = await rows(page);
    expect([...ttlsOf(keptRows)].sort((a, b) => a - b)).toEqual(expectedTtls);
    expect(await nodes(page)).not.toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'remote-connection-lost.png') });

    agent = runAgent();
    await expect.poll(() => badge.textContent(), LONG).toBe(`agent ${tunnel.address} · read-only`);
    expect(await connection.textContent()).toContain('live, read-only');
    // The restarted agent's session fills the same tab again.
    await expect.poll(async () => [...ttlsOf(await rows(page))].sort((a, b) => a - b), LONG).toEqual(expectedTtls);
    expect(await page.locator(tid('tab')).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("Export session downloads the agent's recorded session as one DuckDB file, which the agent wrote", async () => {
    const net = getNet();
    // The live tab of the restarted agent, linked to the session the agent records.
    const exportButton = page.locator(tid('export-session'));
    // Enabled once the tab knows which of the agent's stored sessions it is.
    await expect.poll(() => exportButton.isDisabled(), LONG).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download', LONG), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/\.duckdb$/);
    const saved = join(dir, 'agent-export.duckdb');
    await download.saveAs(saved);
    expect(readFileSync(saved).toString('latin1', 8, 12)).toBe('DUCK');
    const store = await HistoryStore.open(saved, { readOnly: true });
    const sessions = await store.sessions();
    await store.close();
    expect(sessions.map((s) => s.target)).toEqual([net.target.v4]);
    expect(sessions[0]!.samples).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('says an agent without --history keeps no timeline', async () => {
    const net = getNet();
    const plainToken = join(dir, 'plain.token');
    plainAgent = startAgent(inNamespace(net), config, viewPort + 3, agentViewArgs(viewPort + 2, plainToken));
    await until('the second agent view', async () =>
      plainAgent!.output().includes('read-only view at') ? true : undefined,
    );
    plainTunnel = await tunnelInto(net, viewPort + 2);
    if (!(await page.locator(tid('agent-address')).isVisible())) await page.locator(tid('agents-toggle')).click();
    await typeInto(page, 'agent-address', plainTunnel.address);
    await typeInto(page, 'agent-token', readFileSync(plainToken, 'utf8').trim());
    await page.locator(tid('agent-connect')).click();
    const badge = page.locator(`${tid('tab')}.is-active ${tid('remote-badge')}`);
    await expect.poll(() => badge.textContent(), LONG).toBe(`agent ${plainTunnel.address} · read-only`);
    await expect
      .poll(() => page.locator(tid('timeline')).textContent(), LONG)
      .toContain('this agent keeps no session history');
    expect(await page.locator(tid('timeline')).getAttribute('data-state')).toBe('unavailable');
    await page.screenshot({ path: join(SCREENSHOTS, 'agentengine-no-history.png') });
    expect(pageErrors).toEqual([]);
  });
});
