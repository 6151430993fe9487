import { execFileSync } from 'node:child_process';

/**
 * `count` free TCP ports on 127.0.0.1 for the config's web servers, kept in
 * `process.env[envName]` so the runner and its workers (which evaluate the
 * config again) agree on them.
 *
 * The ports are drawn below the kernel's ephemeral range (32768+ on Linux, 49152+
 * elsewhere), where the port-0 servers of other test runs on the machine land:
 * a port picked here stays free between picking it and the server binding it,
 * instead of being handed to someone else's `listen(0)` in the meantime.
 * The config is evaluated synchronously, so the probing runs in a child process.
 */
export function freePorts(envName: string, count: number): number[] {
  if (!process.env[envName]) {
    const script = `
      const net = require('node:net');
      const probe = (port) => new Promise((ok) => {
        const server = net.createServer().once('error', () => ok(false));
        server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
      });
      (async () => {
        const ports = new Set();
        for (let tries = 0; ports.size < ${count} && tries < 500; tries++) {
          const port = 20000 + Math.floor(Math.random() * 12000);
          if (!ports.has(port) && (await probe(port))) ports.add(port);
        }
        process.stdout.write([...ports].join(','));
      })();`;
    process.env[envName] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  }
  const ports = process.env[envName]!.split(',').map(Number);
  if (ports.length !== count || ports.some((p) => !Number.isInteger(p) || p <= 0)) {
    throw new Error(`${envName} must hold ${count} comma-separated free ports`);
  }
  return ports;
}
