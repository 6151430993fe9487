// Throughput and memory of complete sign-in flows against the built mock server.
//   node bench/flows.mjs [--count N] [--concurrency C]
// Shortcut flow: GET /auth -> POST /consent (approve) -> POST /api/v1/auth/keys
// Standard flow: (register once) GET /oauth/authorize -> POST /consent -> POST /oauth/token
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { followConsent } from '../dist/index.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, concurrency: { type: 'string' }, memoryFlows: { type: 'string' } } });
const COUNT = Number(values.count ?? 2000);
const CONCURRENCY = Number(values.concurrency ?? 10);
const MEMORY_FLOWS = Number(values.memoryFlows ?? 10000);
const CALLBACK = 'http://127.0.0.1:5555/callback';

const child = fork(new URL('./server.mjs', import.meta.url), { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const [{ url }] = await once(child, 'message');
const ask = async (msg) => {
  child.send(msg);
  const [answer] = await once(child, 'message');
  return answer;
};

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function post(path, body, type = 'json') {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: type === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${json.error}`);
  return json;
}

async function shortcutFlow() {
  const p = pkce();
  const q = new URLSearchParams({ callback_url: CALLBACK, code_challenge: p.challenge, state: 'bench', client_name: 'Bench' });
  const location = await followConsent(`${url}/auth?${q}`);
  const code = new URL(location).searchParams.get('code');
  const { key } = await post('/api/v1/auth/keys', { code, code_verifier: p.verifier });
  if (!key.startsWith('sk-nano-')) throw new Error('no key');
}

const { client_id: clientId } = await post('/oauth/register', { client_name: 'Bench', redirect_uris: [CALLBACK] });

async function standardFlow() {
  const p = pkce();
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'api.use models.read', state: 'bench', code_challenge: p.challenge, code_challenge_method: 'S256' });
  const location = await followConsent(`${url}/oauth/authorize?${q}`);
  const code = new URL(location).searchParams.get('code');
  const { access_token } = await post('/oauth/token', { grant_type: 'authorization_code', client_id: clientId, redirect_uri: CALLBACK, code, code_verifier: p.verifier }, 'form');
  if (!access_token.startsWith('sk-nano-')) throw new Error('no key');
}

async function run(flow, count) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        await flow();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: count / seconds };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// warm-up (JIT, connection pool)
await run(shortcutFlow, 200);
await run(standardFlow, 200);
const before = await ask('memory');

async function measure(name, flow) {
  const cpuBefore = (await ask('memory')).cpuMicros;
  const result = await run(flow, COUNT);
  const cpuAfter = (await ask('memory')).cpuMicros;
  const serverMs = (cpuAfter - cpuBefore) / 1000 / COUNT;
  console.log(
    `${name} flows: ${COUNT} at concurrency ${CONCURRENCY} in ${result.seconds.toFixed(2)} s = ${result.perSecond.toFixed(0)} flows/s` +
      ` (server CPU ${serverMs.toFixed(2)} ms/flow)`,
  );
}
await measure('shortcut', shortcutFlow);
await measure('standard', standardFlow);

// Memory: MEMORY_FLOWS more flows in 4 rounds (half shortcut, half standard); heap after GC
// after each round should stay flat because codes, consents and device logins are swept.
const rounds = [];
for (let i = 0; i < 4; i++) {
  const n = Math.floor(MEMORY_FLOWS / 8);
  await run(shortcutFlow, n);
  await run(standardFlow, n);
  rounds.push(await ask('memory'));
}
const after = rounds.at(-1);
console.log(`server memory after warm-up: rss ${mb(before.rss)}, heap ${mb(before.heapUsed)} (after GC)`);
console.log(`server heap after GC every ${MEMORY_FLOWS / 4} flows: ${rounds.map((r) => mb(r.heapUsed)).join(' -> ')}`);
console.log(`server memory after ${MEMORY_FLOWS} more flows: rss ${mb(after.rss)}, heap ${mb(after.heapUsed)} (after GC)`);
console.log(`server peak: rss ${mb(after.peakRss)}, heap ${mb(after.peakHeap)}`);
console.log(`server stores at the end: ${JSON.stringify(after.stats)}`);
child.send('close');
await once(child, 'exit');
