import { execFileSync } from 'node:child_process';

/**
 * `count` free TCP ports on 127.0.0.1, found by binding port 0 in a child
 * process (the Playwright config is evaluated synchronously). The ports are
 * kept in `process.env[envName]` so the runner and its workers, which evaluate
 * the config again, agree on them.
 */
export function freePorts(envName: string, count: number): number[] {
  const cached = process.env[envName];
  if (!cached) {
    const script = `
      const net = require('node:net');
      const servers = Array.from({ length: ${count} }, () => net.createServer());
      Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, '127.0.0.1', ok)))).then(() => {
        process.stdout.write(servers.map((s) => s.address().port).join(','));
        servers.forEach((s) => s.close());
      });`;
    process.env[envName] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  }
  const ports = process.env[envName]!.split(',').map(Number);
  if (ports.length !== count || ports.some((p) => !Number.isInteger(p) || p <= 0)) {
    throw new Error(`${envName} must hold ${count} comma-separated ports`);
  }
  return ports;
}
