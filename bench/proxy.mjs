// Benchmarks 1 (proxy overhead) and 3 (streaming memory). The upstream and the recording proxy
// each run in a child process; this process is the client. Direct and proxied requests go to the
// same upstream and are interleaved, so both arms see the same machine at the same time.
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ask, DIST, LANE_TOKEN, median, MiB, MODEL, quantile, startChild, stopChild } from './lib.mjs';

// What Case sends: the role's system prompt first, then the task; about 3 KB.
const CHAT = {
  model: MODEL,
  messages: [
    { role: 'system', content: `# Implementer — fix the bug the task describes.\n${'You work in a git checkout; use the tools. '.repeat(40)}` },
    { role: 'user', content: `Task: sum() subtracts its arguments; make it add them.\n${'Context line from the repository. '.repeat(30)}` },
  ],
};

// What the bench SSE upstream should send, asked in the last message: the recording proxy
// forwards only the request fields Case sends, so it cannot travel in a field of its own.
const sseAsk = ({ bytes, gapMs = 0 }) => ({ ...CHAT, stream: true, messages: [...CHAT.messages, { role: 'user', content: JSON.stringify({ bench_bytes: bytes, bench_gap_ms: gapMs }) }] });

function target(url, token) {
  const { hostname, port, pathname } = new URL(url);
  const prefix = pathname.replace(/\/v1\/?$/, '').replace(/\/$/, '');
  return { hostname, port: Number(port), path: `${prefix}/v1/chat/completions`, headers: token ? { authorization: `Bearer ${token}` } : {} };
}

// One POST; resolves with the time to the first body byte and to the end, and the bytes read.
function exchange(to, agent, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let bytes = 0;
    const req = request(
      { hostname: to.hostname, port: to.port, path: to.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...to.headers } },
      (res) => {
        res.on('data', (chunk) => {
          if (bytes === 0) first = performance.now() - started;
          bytes += chunk.length;
        });
        res.on('end', () => (res.statusCode === 200 ? resolve({ first, total: performance.now() - started, bytes }) : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// `total` requests from `concurrency` workers sharing one keep-alive agent; returns elapsed ms.
async function load(to, agent, total, concurrency, body) {
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent += 1;
        await exchange(to, agent, body);
      }
    }),
  );
  return performance.now() - started;
}

const agentFor = (concurrency) => new Agent({ keepAlive: true, maxSockets: concurrency });

// The usage tap on its own, in this process: what it adds per MiB of a stream cut into chunks of
// each size (fresh buffers, as a socket delivers them), against the same chunks not tapped.
async function usageTapAlone({ quick }) {
  const { createUsageTap } = await import(new URL('src/proxy/usage-tap.js', DIST));
  const EVENT = `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: MODEL, choices: [{ index: 0, delta: { content: 'token ' }, finish_reason: null }] })}\n\n`;
  const USAGE = Buffer.from(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: MODEL, choices: [], usage: { prompt_tokens: 7412, completion_tokens: 96 } })}\n\ndata: [DONE]\n\n`);
  const mib = quick ? 32 : 128;
  const rows = [];
  for (const size of [256, 4096, 65536]) {
    // Whole events only, so the stream stays well-formed up to its usage chunk.
    const source = Buffer.from(EVENT.repeat(Math.max(1, Math.floor(size / EVENT.length))));
    const n = Math.ceil((mib * MiB) / source.length);
    const ms = { tapped: [], plain: [] };
    for (let round = 0; round < 6; round++) {
      const tapped = round % 2 === 0;
      const started = performance.now();
      const tap = tapped ? createUsageTap(true) : null;
      for (let i = 0; i < n; i++) {
        const chunk = Buffer.from(source);
        tap?.push(chunk);
      }
      tap?.push(USAGE);
      if (tap && tap.read().completion_tokens !== 96) throw new Error('the usage tap missed the usage chunk');
      ms[tapped ? 'tapped' : 'plain'].push(performance.now() - started);
    }
    rows.push({ chunkBytes: source.length, addedMsPerMiB: (median(ms.tapped) - median(ms.plain)) / mib });
  }
  return rows;
}

async function withServers(body) {
  const scripted = await startChild('./upstream.mjs', ['scripted']);
  const sse = await startChild('./upstream.mjs', ['sse']);
  const proxyScripted = await startChild('./proxy-server.mjs', [scripted.info.url]);
  const bare = await startChild('./bare-forwarder.mjs', [scripted.info.url]);
  const proxySse = await startChild('./proxy-server.mjs', [sse.info.url]);
  // The same proxy with its usage tap off: what reading usage out of the answers costs.
  const untappedScripted = await startChild('./proxy-server.mjs', [scripted.info.url, 'reuse', '--no-usage']);
  const untappedSse = await startChild('./proxy-server.mjs', [sse.info.url, 'reuse', '--no-usage']);
  try {
    return await body({ scripted, sse, proxyScripted, bare, proxySse, untappedScripted, untappedSse });
  } finally {
    for (const { child } of [proxyScripted, bare, proxySse, untappedScripted, untappedSse, scripted, sse]) await stopChild(child);
  }
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export async function proxyOverhead({ quick = false } = {}) {
  return withServers(async ({ scripted, sse, proxyScripted, bare, proxySse, untappedScripted, untappedSse }) => {
    // Three ways to the same scripted upstream: directly, through a bare node:http forwarder (the
    // floor for any proxy written with node:http), and through the recording proxy.
    const arms = {
      direct: { to: target(scripted.info.url), middle: undefined },
      bare: { to: target(bare.info.url), middle: bare.child },
      proxied: { to: target(proxyScripted.info.url, LANE_TOKEN), middle: proxyScripted.child },
    };
    const names = Object.keys(arms);
    const results = { tapAlone: await usageTapAlone({ quick }) };

    // Warm-up, so that every process runs optimised code before anything is measured.
    for (const name of names) {
      const agent = agentFor(16);
      await load(arms[name].to, agent, quick ? 500 : 2000, 16, CHAT);
      agent.destroy();
    }

    // Concurrency 1: one request at a time, round-robin over the arms.
    {
      const n = quick ? 300 : 2000;
      const agents = Object.fromEntries(names.map((name) => [name, agentFor(1)]));
      const lat = Object.fromEntries(names.map((name) => [name, []]));
      const before = { bare: await ask(bare.child, 'usage'), proxied: await ask(proxyScripted.child, 'usage') };
      for (let i = 0; i < n * names.length; i++) {
        const name = names[i % names.length];
        lat[name].push((await exchange(arms[name].to, agents[name], CHAT)).total);
      }
      const after = { bare: await ask(bare.child, 'usage'), proxied: await ask(proxyScripted.child, 'usage') };
      results.c1 = { n };
      for (const name of names) {
        const sum = lat[name].reduce((a, b) => a + b, 0);
        results.c1[name] = {
          p50: median(lat[name]),
          p99: quantile(lat[name], 0.99),
          rps: (n / sum) * 1000,
          middleCpuPerRequestMs: before[name] ? (after[name].cpuMs - before[name].cpuMs) / n : 0,
        };
      }
      Object.values(agents).forEach((agent) => agent.destroy());
    }

    // Concurrency 16 and 64: blocks of requests per arm, rotating which arm goes first.
    for (const concurrency of [16, 64]) {
      const perBlock = quick ? 500 : 2000;
      const rounds = quick ? 2 : 4;
      const agents = Object.fromEntries(names.map((name) => [name, agentFor(concurrency)]));
      const totals = Object.fromEntries(names.map((name) => [name, { ms: 0, middle: 0, upstream: 0, client: 0 }]));
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(round + k) % names.length];
          const { to, middle } = arms[name];
          const [m0, u0, c0] = [middle ? (await ask(middle, 'usage')).cpuMs : 0, (await ask(scripted.child, 'usage')).cpuMs, cpuMs()];
          totals[name].ms += await load(to, agents[name], perBlock, concurrency, CHAT);
          const [m1, u1, c1] = [middle ? (await ask(middle, 'usage')).cpuMs : 0, (await ask(scripted.child, 'usage')).cpuMs, cpuMs()];
          totals[name].middle += m1 - m0;
          totals[name].upstream += u1 - u0;
          totals[name].client += c1 - c0;
        }
      }
      const total = perBlock * rounds;
      results[`c${concurrency}`] = { n: total };
      for (const name of names) {
        const t = totals[name];
        results[`c${concurrency}`][name] = { rps: (total / t.ms) * 1000, middleCpuPerRequestMs: t.middle / total, upstreamCpuPerRequestMs: t.upstream / total, clientCpuPerRequestMs: t.client / total };
      }
      Object.values(agents).forEach((agent) => agent.destroy());
    }

    // Streamed: time to the first byte of the SSE body from the scripted provider, and to its
    // last, interleaved: directly, through the proxy, and through the proxy with its usage tap off.
    // Case asks for the usage chunk, so the tap reads one in every answer.
    {
      const n = quick ? 100 : 500;
      const streamArms = { direct: arms.direct.to, proxied: arms.proxied.to, untapped: target(untappedScripted.info.url, LANE_TOKEN) };
      const streamNames = Object.keys(streamArms);
      const agents = Object.fromEntries(streamNames.map((name) => [name, agentFor(1)]));
      const body = { ...CHAT, stream: true, stream_options: { include_usage: true } };
      for (let i = 0; i < 50 * streamNames.length; i++) await exchange(streamArms[streamNames[i % 3]], agents[streamNames[i % 3]], body);
      const first = Object.fromEntries(streamNames.map((name) => [name, []]));
      const total = Object.fromEntries(streamNames.map((name) => [name, []]));
      for (let i = 0; i < 3 * n; i++) {
        const name = streamNames[i % 3];
        const r = await exchange(streamArms[name], agents[name], body);
        first[name].push(r.first);
        total[name].push(r.total);
      }
      results.ttft = {
        n,
        direct: median(first.direct),
        proxied: median(first.proxied),
        untapped: median(first.untapped),
        directP99: quantile(first.direct, 0.99),
        proxiedP99: quantile(first.proxied, 0.99),
        untappedP99: quantile(first.untapped, 0.99),
        totalProxied: median(total.proxied),
        totalUntapped: median(total.untapped),
      };
      Object.values(agents).forEach((agent) => agent.destroy());
    }

    // Buffering: the upstream sends one event, then waits 200 ms before the rest. A proxy that
    // buffered would deliver the first byte after the wait.
    {
      const gapMs = 200;
      const agents = [agentFor(1), agentFor(1)];
      const firsts = { direct: [], proxied: [] };
      const sseDirect = target(sse.info.url);
      const sseProxied = target(proxySse.info.url, LANE_TOKEN);
      for (let i = 0; i < 10; i++) {
        const r = await exchange(i % 2 ? sseProxied : sseDirect, agents[i % 2], sseAsk({ bytes: 65536, gapMs }));
        firsts[i % 2 ? 'proxied' : 'direct'].push(r.first);
      }
      results.gap = { gapMs, direct: median(firsts.direct), proxied: median(firsts.proxied) };
      agents.forEach((agent) => agent.destroy());
    }

    // A long stream: 256 MiB of chunk events, direct, proxied, and proxied with the usage tap
    // off, in rotation.
    {
      const bytes = (quick ? 32 : 256) * MiB;
      const longArms = { direct: { to: target(sse.info.url) }, proxied: { to: target(proxySse.info.url, LANE_TOKEN), child: proxySse.child }, untapped: { to: target(untappedSse.info.url, LANE_TOKEN), child: untappedSse.child } };
      const longNames = Object.keys(longArms);
      const agents = Object.fromEntries(longNames.map((name) => [name, agentFor(1)]));
      const rate = Object.fromEntries(longNames.map((name) => [name, []]));
      const first = Object.fromEntries(longNames.map((name) => [name, []]));
      const cpu = { proxied: 0, untapped: 0 };
      const streamed = { proxied: 0, untapped: 0 };
      for (let i = 0; i < 9; i++) {
        const name = longNames[i % 3];
        const { to, child } = longArms[name];
        const before = child ? (await ask(child, 'usage')).cpuMs : 0;
        const r = await exchange(to, agents[name], sseAsk({ bytes }));
        if (child) {
          cpu[name] += (await ask(child, 'usage')).cpuMs - before;
          streamed[name] += r.bytes;
        }
        rate[name].push(r.bytes / MiB / (r.total / 1000));
        first[name].push(r.first);
      }
      results.longStream = {
        bytes,
        direct: median(rate.direct),
        proxied: median(rate.proxied),
        untapped: median(rate.untapped),
        firstByte: { direct: median(first.direct), proxied: median(first.proxied), untapped: median(first.untapped) },
        proxyCpuMsPerMiB: cpu.proxied / (streamed.proxied / MiB),
        untappedCpuMsPerMiB: cpu.untapped / (streamed.untapped / MiB),
      };
      Object.values(agents).forEach((agent) => agent.destroy());
    }
    return results;
  });
}

// Benchmark 3: a fresh proxy per size, so each peak RSS belongs to one stream.
export async function streamingMemory({ quick = false } = {}) {
  const sizes = quick ? [64, 256] : [64, 256, 1024];
  const sse = await startChild('./upstream.mjs', ['sse']);
  const rows = [];
  try {
    for (const size of sizes) {
      const proxy = await startChild('./proxy-server.mjs', [sse.info.url]);
      try {
        const agent = agentFor(1);
        const to = target(proxy.info.url, LANE_TOKEN);
        await exchange(to, agent, sseAsk({ bytes: MiB }));
        const before = await ask(proxy.child, 'usage');
        const r = await exchange(to, agent, sseAsk({ bytes: size * MiB }));
        const after = await ask(proxy.child, 'usage');
        agent.destroy();
        rows.push({ sizeMiB: size, bytes: r.bytes, seconds: r.total / 1000, rssBeforeMiB: before.rss / MiB, peakRssMiB: after.maxRss / MiB, mibPerSecond: r.bytes / MiB / (r.total / 1000) });
      } finally {
        await stopChild(proxy.child);
      }
    }
  } finally {
    await stopChild(sse.child);
  }
  return rows;
}

// How the proxy uses connections to the upstream, measured both ways: `reuse` (kept alive, and a
// request whose kept connection the upstream had closed goes again on a new one) and `fresh` (a
// new connection per request). Against an upstream that closes after every streamed answer while
// announcing keep-alive (llama-server), and against one that keeps connections alive. The client
// sends each request as soon as the previous answer has ended, the tightest race with the close.
export async function connectionStrategies({ quick = false } = {}) {
  const n = quick ? 200 : 1000;
  const results = {};
  for (const upstreamMode of ['closing', 'sse']) {
    const upstream = await startChild('./upstream.mjs', [upstreamMode]);
    const proxies = {
      reuse: await startChild('./proxy-server.mjs', [upstream.info.url, 'reuse']),
      fresh: await startChild('./proxy-server.mjs', [upstream.info.url, 'fresh']),
    };
    try {
      const arms = Object.keys(proxies);
      const agents = Object.fromEntries(arms.map((arm) => [arm, agentFor(1)]));
      const body = { ...CHAT, stream: true };
      const lat = Object.fromEntries(arms.map((arm) => [arm, []]));
      const failures = Object.fromEntries(arms.map((arm) => [arm, 0]));
      for (let i = 0; i < 50 * arms.length; i++) {
        const arm = arms[i % arms.length];
        await exchange(target(proxies[arm].info.url, LANE_TOKEN), agents[arm], body).catch(() => undefined);
      }
      const before = Object.fromEntries(await Promise.all(arms.map(async (arm) => [arm, await ask(proxies[arm].child, 'attempts')])));
      const cpuBefore = Object.fromEntries(await Promise.all(arms.map(async (arm) => [arm, (await ask(proxies[arm].child, 'usage')).cpuMs])));
      for (let i = 0; i < n * arms.length; i++) {
        const arm = arms[i % arms.length];
        try {
          lat[arm].push((await exchange(target(proxies[arm].info.url, LANE_TOKEN), agents[arm], body)).total);
        } catch {
          failures[arm] += 1;
        }
      }
      const after = Object.fromEntries(await Promise.all(arms.map(async (arm) => [arm, await ask(proxies[arm].child, 'attempts')])));
      const cpuAfter = Object.fromEntries(await Promise.all(arms.map(async (arm) => [arm, (await ask(proxies[arm].child, 'usage')).cpuMs])));
      results[upstreamMode] = Object.fromEntries(
        arms.map((arm) => [
          arm,
          {
            n,
            p50: median(lat[arm]),
            p99: quantile(lat[arm], 0.99),
            failed: failures[arm] + (after[arm].failed - before[arm].failed),
            retried: after[arm].retried - before[arm].retried,
            proxyCpuPerRequestMs: (cpuAfter[arm] - cpuBefore[arm]) / n,
          },
        ]),
      );
      Object.values(agents).forEach((agent) => agent.destroy());
    } finally {
      for (const proxy of Object.values(proxies)) await stopChild(proxy.child);
      await stopChild(upstream.child);
    }
  }
  return results;
}

// Run alone: `node bench/proxy.mjs [--quick]` prints the raw figures.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const result = process.argv.includes('memory')
    ? await streamingMemory({ quick })
    : process.argv.includes('connections')
      ? await connectionStrategies({ quick })
      : await proxyOverhead({ quick });
  console.log(JSON.stringify(result, null, 2));
}
