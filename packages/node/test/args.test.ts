import { describe, expect, it } from 'vitest';
import { parseCommand, parseExpires, UsageError } from '../src/cli/args.js';

describe('parseCommand', () => {
  it('defaults to the loopback login', () => {
    expect(parseCommand([])).toEqual({
      kind: 'login',
      device: false,
      open: true,
      issuer: undefined,
      scope: undefined,
      clientName: undefined,
      timeoutSeconds: undefined,
      port: undefined,
      print: false,
      standard: false,
      profile: undefined,
      envFile: undefined,
      force: false,
    });
  });

  it('reads every login flag', () => {
    const command = parseCommand(['--no-open', '--issuer', 'http://127.0.0.1:4010', '--scope', 'api.use', '--client-name', 'x', '--timeout', '30', '--port', '8123', '--print']);
    expect(command).toMatchObject({ kind: 'login', open: false, issuer: 'http://127.0.0.1:4010', scope: 'api.use', clientName: 'x', timeoutSeconds: 30, port: 8123, print: true });
  });

  it('reads --device', () => {
    expect(parseCommand(['--device'])).toMatchObject({ kind: 'login', device: true });
  });

  it('checks --issuer with the core rule in every command: a bad origin is bad usage (invalid_value)', () => {
    const commandLines = (issuer: string): string[][] => [
      ['--issuer', issuer],
      ['mint', '--issuer', issuer],
      ['exec', '--issuer', issuer, '--', 'env'],
      ['receive', '--issuer', issuer],
      ['status', '--issuer', issuer],
      ['logout', '--issuer', issuer],
    ];
    for (const line of commandLines('https://example.com/x')) {
      expect(() => parseCommand(line)).toThrow(
        expect.objectContaining({ name: 'UsageError', code: 'invalid_value', message: '--issuer must be a plain origin like https://nano-gpt.com.' }),
      );
    }
    for (const line of commandLines('http://example.com')) {
      expect(() => parseCommand(line)).toThrow(/^--issuer must be https; plain http only on 127\.0\.0\.1, localhost or \[::1\]\.$/);
    }
    // A good one is normalised to its origin, as every later use would.
    expect(parseCommand(['status', '--issuer', 'https://nano-gpt.com/'])).toMatchObject({ issuer: 'https://nano-gpt.com' });
  });

  it('rejects bad values and unknown flags with a usage error', () => {
    expect(() => parseCommand(['--timeout', 'soon'])).toThrow(UsageError);
    expect(() => parseCommand(['--timeout', '0'])).toThrow(UsageError);
    expect(() => parseCommand(['--port', '70000'])).toThrow(UsageError);
    expect(() => parseCommand(['--bogus'])).toThrow(UsageError);
    expect(() => parseCommand(['frobnicate'])).toThrow(/Unknown command/);
    expect(() => parseCommand(['--device', '--port', '1234'])).toThrow(UsageError);
    expect(() => parseCommand(['--device', '--scope', 'api.use'])).toThrow(/--scope applies to the browser sign-in/);
  });

  it('parses mint options', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const command = parseCommand(['mint', '--limit', '5', '--period', 'daily', '--expires', '2026-12-31', '--label', 'my agent'], now);
    expect(command).toMatchObject({ kind: 'mint', limit: 5, period: 'daily', label: 'my agent', print: false });
    expect(command.kind === 'mint' && command.expiresAt?.toISOString()).toBe('2026-12-31T23:59:59.999Z');
  });

  it('rejects bad mint options', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(() => parseCommand(['mint', '--limit', 'five'], now)).toThrow(UsageError);
    expect(() => parseCommand(['mint', '--limit', '-1'], now)).toThrow(UsageError);
    expect(() => parseCommand(['mint', '--period', 'hourly'], now)).toThrow(UsageError);
    expect(() => parseCommand(['mint', '--expires', '2025-01-01'], now)).toThrow(/future/);
    expect(() => parseCommand(['mint', '--print', '--output', 'x.env'], now)).toThrow(UsageError);
  });

  it('knows status, logout and help', () => {
    expect(parseCommand(['status'])).toEqual({ kind: 'status', issuer: undefined, profile: undefined, envFile: undefined, fromEnvironment: false });
    expect(parseCommand(['logout'])).toEqual({ kind: 'logout' });
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['mint', '-h'])).toEqual({ kind: 'help' });
    expect(() => parseCommand(['logout', 'extra'])).toThrow(UsageError);
  });
});

describe('parseExpires', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('takes ISO times as they are', () => {
    expect(parseExpires('2026-07-01T10:00:00Z', now)?.toISOString()).toBe('2026-07-01T10:00:00.000Z');
  });
  it('rejects other formats', () => {
    expect(() => parseExpires('next week', now)).toThrow(UsageError);
    expect(() => parseExpires('2026-13-45', now)).toThrow(UsageError);
  });
});
