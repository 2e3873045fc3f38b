/* global window, performance, requestAnimationFrame, MessageChannel, document, gc */
/**
 * Runs inside the page before the built renderer loads (an init script of
 * bench/rendererBench.ts). It stands in for the engine: `window.hopscope` is
 * a fake HopscopeApi, and `window.__runRendererBench` feeds the app
 * synthesized SessionEventBatches shaped like the engine's, one simulated
 * second (one round) per animation frame by default, while timing the frames.
 */
(() => {
  const listeners = { sessionEvents: new Set(), menuCommand: new Set() };
  const ok = (value) => Promise.resolve({ ok: true, value });
  let lastSummary = null;

  function summaryFor(options, over) {
    return {
      id: 'bench-session',
      options,
      state: 'running',
      targetAddress: options.target,
      ipVersion: 4,
      destinationTtl: null,
      rounds: 0,
      startedAt: Date.now(),
      mtrPacketVersion: '0.95',
      restarts: [],
      ...over,
    };
  }

  const api = {
    platform: 'linux',
    transport: 'electron',
    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    startSession(options) {
      lastSummary = summaryFor(options, {});
      return ok(lastSummary);
    },
    stopSession: () => ok(lastSummary),
    pauseSession: () => ok(lastSummary),
    resumeSession: () => ok(lastSummary),
    updateSession: () => ok(lastSummary),
    closeSession: () => ok(null),
    listSessions: () => ok([]),
    getSessionDocument: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    checkMtrPacket: () =>
      ok({
        available: true,
        path: '/usr/bin/mtr-packet',
        version: '0.95',
        features: { udp: true, tcp: true, sctp: false, 'ip-4': true, 'ip-6': true, mark: true },
      }),
    listLocalAddresses: () => ok([]),
    resolveTarget: () => ok({ target: '', v4: [], v6: [] }),
    importTraceText: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    openTraceFile: () => ok(null),
    saveTraceJson: () => ok({ saved: false, reason: 'cancelled' }),
    savePng: () => ok({ saved: false, reason: 'cancelled' }),
    getLastTraceOptions: () => ok(null),
    rendererReady: () => ok(null),
    attachSession: () => ok(lastSummary),
    getEnrichmentStatus: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    // No history file: the benchmark measures live drawing only.
    listStoredSessions: () => ok({ history: { state: 'off', path: null }, sessions: [] }),
    deleteStoredSession: () => ok(null),
    openStoredSession: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    exportStoredSession: () => ok({ saved: false, reason: 'cancelled' }),
    getTimeline: () => ok([]),
    getWindowStats: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    getTimelineMarkers: () => ok({ markers: [], more: false }),
    exportSessionFile: () => ok({ saved: false, reason: 'cancelled' }),
    closeSessionFile: () => ok(null),
    openDroppedSessionFile: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    getEnrichmentSettings: () => ok({ asnDbPath: null, geoDbPath: null }),
    setEnrichmentSettings: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    chooseDatabaseFile: () => ok(null),
    // No agents: the benchmark measures a local trace.
    listAgents: () => ok([]),
    connectAgent: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'bench' } }),
    disconnectAgent: () => ok(null),
  };
  Object.defineProperty(window, 'hopscope', { value: api, configurable: false, writable: false });

  // ---- synthesized engine output ------------------------------------------

  /** Deterministic pseudo-random numbers, so every run feeds the same data. */
  function random(seed) {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** Running statistics per responder, updated the way HopAccumulator reports them. */
  function makePath(hopCount, responders, rand) {
    const hops = [];
    for (let ttl = 1; ttl <= hopCount; ttl++) {
      const base = 1 + ttl * 2.5;
      const hosts = [];
      for (let i = 0; i < responders; i++) {
        hosts.push({
          address: ttl === hopCount && i === 0 ? '192.0.2.30' : `10.${ttl}.${i}.1`,
          base: base + i * 0.7,
          received: 0,
          sum: 0,
          sumSq: 0,
          best: null,
          worst: null,
          last: null,
          jitterSum: 0,
        });
      }
      hops.push({ ttl, sent: 0, lost: 0, hosts, lossRate: ttl % 7 === 3 ? 0.04 : 0.005 });
    }
    return { hops, rand };
  }

  function round(path, r, startedAt) {
    const { rand } = path;
    const updates = [];
    const samples = [];
    for (const hop of path.hops) {
      const hopSamples = [];
      for (const h of hop.hosts) {
        hop.sent++;
        const at = startedAt + r * 1000;
        if (rand() < hop.lossRate) {
          hop.lost++;
          hopSamples.push({ round: r, at, result: 'no-reply', address: null, rttMs: null });
          continue;
        }
        const rtt = Math.round((h.base + rand() * 3 + (rand() < 0.02 ? 40 : 0)) * 1000) / 1000;
        if (h.last !== null) h.jitterSum += Math.abs(rtt - h.last);
        h.received++;
        h.sum += rtt;
        h.sumSq += rtt * rtt;
        h.best = h.best === null ? rtt : Math.min(h.best, rtt);
        h.worst = h.worst === null ? rtt : Math.max(h.worst, rtt);
        h.last = rtt;
        hopSamples.push({
          round: r,
          at,
          result: hop.ttl === path.hops.length ? 'reply' : 'ttl-expired',
          address: h.address,
          rttMs: rtt,
        });
      }
      const received = hop.sent - hop.lost;
      updates.push({
        ttl: hop.ttl,
        sent: hop.sent,
        received,
        lossPct: (hop.lost / hop.sent) * 100,
        hosts: hop.hosts.map((h) => {
          const mean = h.received ? h.sum / h.received : null;
          const variance = h.received > 1 ? (h.sumSq - h.received * mean * mean) / (h.received - 1) : 0;
          return {
            address: h.address,
            hostname: null,
            received: h.received,
            lastMs: h.last,
            avgMs: mean,
            bestMs: h.best,
            worstMs: h.worst,
            stdevMs: h.received ? Math.sqrt(Math.max(0, variance)) : null,
            jitterMs: h.received > 1 ? h.jitterSum / (h.received - 1) : null,
            mpls: [],
          };
        }),
      });
      samples.push({ ttl: hop.ttl, samples: hopSamples });
    }
    return { updates, samples };
  }

  function percentile(sorted, p) {
    if (sorted.length === 0) return null;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  function heap() {
    if (typeof gc === 'function') {
      gc();
      gc();
    }
    return performance.memory ? performance.memory.usedJSHeapSize : null;
  }

  /** After the current task's microtasks (React's render of the update included); one channel for the whole run. */
  const channel = new MessageChannel();
  let onMessage = null;
  channel.port1.onmessage = () => onMessage?.();
  const afterMicrotasks = () =>
    new Promise((resolve) => {
      onMessage = resolve;
      channel.port2.postMessage(null);
    });

  /** The fed path, kept between calls: a later call (the traced one) goes on where the last one stopped. */
  let feed = null;

  /**
   * Feeds `rounds` more rounds, `roundsPerFrame` per animation frame (1 by
   * default: one simulated second per frame; more to cover a long session in
   * fewer frames), and times the frames. The fake engine's own work
   * (synthesizing a round) is timed apart, so a profile can tell it from the
   * app's. `updateMs` is per frame: all its rounds' batches and React's render.
   */
  window.__runRendererBench = async ({ hopCount, responders, rounds, heapEarlyRound, roundsPerFrame = 1 }) => {
    if (lastSummary === null) throw new Error('start a session from the form first');
    if (!Number.isInteger(roundsPerFrame) || roundsPerFrame < 1)
      throw new Error(`roundsPerFrame must be a positive integer, got ${roundsPerFrame}`);
    const emit = (batch) => {
      for (const listener of listeners.sessionEvents) listener(batch);
    };
    feed ??= { path: makePath(hopCount, responders, random(42)), startedAt: Date.now(), next: 0 };
    const { path, startedAt } = feed;
    const frameTimes = [];
    const startTimes = [];
    const scriptTimes = [];
    let synthesisMs = 0;
    let heapEarly = null;
    let domEarly = null;
    let previous = null;
    let previousStart = null;
    /**
     * Two times per frame: the callback's timestamp, which is the time
     * Chromium sent the frame's BeginFrame (on a vsync, the vsync), and
     * performance.now() as the callback runs, when the frame's main-thread
     * work starts. Without vsync they differ: a BeginFrame sent while the
     * renderer is still busy waits, so its timestamp can be milliseconds
     * before the frame starts (see unpacedFrames in rendererBench.ts).
     */
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame((at) => resolve([at, performance.now()])));

    for (let fed = 0; fed < rounds;) {
      const [frameStart, startedNow] = await nextFrame();
      if (previous !== null) frameTimes.push(frameStart - previous);
      if (previousStart !== null) startTimes.push(startedNow - previousStart);
      previous = frameStart;
      previousStart = startedNow;

      const t0 = performance.now();
      // Stops at heapEarlyRound too, so the early reading is taken right after that round.
      const inFrame = Math.min(roundsPerFrame, rounds - fed, fed < heapEarlyRound ? heapEarlyRound - fed : Infinity);
      for (let k = 0; k < inFrame; k++) {
        const r = feed.next++;
        const s0 = performance.now();
        const { updates, samples } = round(path, r, startedAt);
        synthesisMs += performance.now() - s0;
        const events = [
          { type: 'hops', hops: updates, samples },
          {
            type: 'state',
            summary: { ...lastSummary, rounds: r + 1, destinationTtl: hopCount },
          },
        ];
        if (r === 0) events.push({ type: 'destination-reached', ttl: hopCount });
        emit({ sessionId: lastSummary.id, seq: r + 1, events });
      }
      fed += inFrame;
      await afterMicrotasks();
      scriptTimes.push(performance.now() - t0);

      if (fed === heapEarlyRound) {
        heapEarly = heap();
        domEarly = document.getElementsByTagName('*').length;
      }
    }
    // One more frame so the last update is painted and timed.
    const [last, lastNow] = await nextFrame();
    frameTimes.push(last - previous);
    startTimes.push(lastNow - previousStart);
    const heapEnd = heapEarlyRound === undefined ? null : heap();

    const sortedScript = [...scriptTimes].sort((a, b) => a - b);
    const spread = (times) => {
      const sorted = [...times].sort((a, b) => a - b);
      return {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1],
      };
    };
    return {
      frames: frameTimes.length,
      synthesisMs,
      /** Intervals between the frames' timestamps (BeginFrame times). */
      frameMs: spread(frameTimes),
      /** Intervals between the frames' starts on the main thread (performance.now() in the callback). */
      frameStartMs: spread(startTimes),
      updateMs: {
        p50: percentile(sortedScript, 50),
        p95: percentile(sortedScript, 95),
        max: sortedScript[sortedScript.length - 1],
      },
      heapBytes: { afterEarly: heapEarly, afterAll: heapEnd },
      domNodes: { afterEarly: domEarly, afterAll: document.getElementsByTagName('*').length },
      hopNodes: document.querySelectorAll('[data-testid="hop-node"]').length,
      hopRows: document.querySelectorAll('[data-testid="hop-row"]').length,
      sparklines: document.querySelectorAll('[data-testid="sparkline"]').length,
    };
  };
})();
