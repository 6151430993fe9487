// The mock server under benchmark, in its own process so the load generator does not share
// its event loop. Answers IPC requests for memory figures and store sizes.
import { startMockServer } from '../dist/index.js';

// The load generator is one IP doing thousands of flows a minute: no per-IP limits here.
const server = await startMockServer({
  port: 0,
  deviceRateLimit: { startPerMinute: null, pollPerMinute: null },
  oauthRateLimit: { perMinute: null },
});
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  return m;
};
setInterval(sample, 100).unref();

process.on('message', async (msg) => {
  if (msg === 'memory') {
    globalThis.gc?.();
    const m = sample();
    const stats = await (await fetch(`${server.url}/__mock/stats`)).json();
    const cpu = process.cpuUsage();
    process.send({ rss: m.rss, heapUsed: m.heapUsed, peakRss, peakHeap, stats, cpuMicros: cpu.user + cpu.system });
  } else if (msg === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.send({ url: server.url });
