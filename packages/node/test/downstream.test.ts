import { isNanoGptKey } from '@nanogpt-signin/core';
import type { CreateKeyOptions } from '@nanogpt-signin/mock-server';
import { describe, expect, it } from 'vitest';
import {
  createDownstreamKey,
  createDownstreamKeyCode,
  handOffDownstreamKey,
  receiveDownstreamKey,
  NanoGptNodeError,
} from '../src/index.js';
import { isListening, modelsStatus } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();

const inDays = (days: number): Date => new Date(Date.now() + days * 24 * 3600 * 1000);

describe('createDownstreamKey (in-process)', () => {
  it('mints a capped, expiring key from a dashboard key', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    const expiresAt = inDays(30);
    const { key, scope } = await createDownstreamKey({
      sourceKey,
      issuer: mock.url,
      label: 'my agent',
      limit: 5,
      usageLimitType: 'daily',
      expiresAt,
      clientName: 'agent test',
    });
    expect(isNanoGptKey(key)).toBe(true);
    expect(key).not.toBe(sourceKey);
    expect(scope).toBe('models.read api.use');
    const inspected = await mock.controls.inspectKey(key);
    expect(inspected).toMatchObject({ limit: 5, usageLimitType: 'daily', revoked: false, scope: 'models.read api.use' });
    expect(inspected.expiresAt && new Date(inspected.expiresAt).getTime()).toBe(expiresAt.getTime());
    expect(inspected.name).toContain('my agent');
    expect(await modelsStatus(mock.url, key)).toBe(200);
  });

  it('defaults the period to monthly and can narrow the scope', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    const { key, scope } = await createDownstreamKey({ sourceKey, issuer: mock.url, limit: 1, scope: 'api.use' });
    expect(scope).toBe('api.use');
    expect(await mock.controls.inspectKey(key)).toMatchObject({ limit: 1, usageLimitType: 'monthly', expiresAt: null });
  });

  it('never outlives an expiring source key', async () => {
    const sourceExpiry = inDays(2).toISOString();
    const { key: sourceKey } = await mock.controls.createKey({ expiresAt: sourceExpiry });
    const { key } = await createDownstreamKey({ sourceKey, issuer: mock.url, expiresAt: inDays(30) });
    const inspected = await mock.controls.inspectKey(key);
    expect(new Date(inspected.expiresAt ?? 0).getTime()).toBe(new Date(sourceExpiry).getTime());
  });

  it('refuses an OAuth-created source key with advice', async () => {
    const { key: sourceKey } = await mock.controls.createKey({ kind: 'oauth' });
    const refused = createDownstreamKey({ sourceKey, issuer: mock.url });
    await expect(refused).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(refused).rejects.toMatchObject({ code: 'source_key_oauth', status: 400 });
    await expect(refused).rejects.toMatchObject({ message: expect.stringMatching(/NanoGPT settings/) });
    await expect(refused).rejects.toMatchObject({ message: expect.not.stringContaining(sourceKey) });
  });

  it('refuses a restricted source key with advice', async () => {
    const cases: CreateKeyOptions['restrictions'][] = [{ limit: 3, usageLimitType: 'daily' }, { models: ['gpt-4o-mini'] }, { origins: ['https://app.example'] }];
    for (const restrictions of cases) {
      const { key: sourceKey } = await mock.controls.createKey({ restrictions });
      await expect(createDownstreamKey({ sourceKey, issuer: mock.url })).rejects.toMatchObject({
        code: 'source_key_restricted',
        message: expect.stringMatching(/unrestricted key/),
      });
    }
  });

  it('refuses a revoked or unknown source key', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    await mock.controls.revokeKey(sourceKey);
    await expect(createDownstreamKey({ sourceKey, issuer: mock.url })).rejects.toMatchObject({ code: 'source_key_invalid', status: 401 });
    await expect(createDownstreamKey({ sourceKey: 'sk-nano-00000000-0000-4000-8000-000000000000', issuer: mock.url })).rejects.toMatchObject({ code: 'source_key_invalid' });
  });

  it('passes server validation errors through as invalid_request / invalid_scope', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    await expect(createDownstreamKey({ sourceKey, issuer: mock.url, scope: 'models.read' })).rejects.toMatchObject({ code: 'invalid_scope' });
    await expect(createDownstreamKey({ sourceKey, issuer: mock.url, expiresAt: 'not a date' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(createDownstreamKey({ sourceKey, issuer: mock.url, limit: -1 })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('honours abort', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    await expect(createDownstreamKey({ sourceKey, issuer: mock.url, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('hand-off to another process through a loopback redirect', () => {
  it('the receiver gets the key; the minter never sees it', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    const receiver = await receiveDownstreamKey({ issuer: mock.url });
    // The request is what crosses the process boundary: plain JSON, no verifier.
    const request = JSON.parse(JSON.stringify(receiver.request)) as typeof receiver.request;
    expect(Object.keys(request).sort()).toEqual(['codeChallenge', 'issuer', 'redirectUri', 'state']);
    expect(request.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const handed = await handOffDownstreamKey({ sourceKey, issuer: mock.url, request, label: 'sub-agent', limit: 2, usageLimitType: 'weekly' });
    expect(JSON.stringify(handed)).not.toMatch(/sk-nano-/);
    expect(handed.id).toBeTruthy();
    const { key } = await receiver.result;
    expect(await mock.controls.inspectKey(key)).toMatchObject({ limit: 2, usageLimitType: 'weekly' });
    expect(await isListening(Number(new URL(request.redirectUri).port))).toBe(false);
  });

  it('the low-level pieces: a code for the receiver, delivered with the wrong state, is refused', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    const receiver = await receiveDownstreamKey({ issuer: mock.url });
    const minted = await createDownstreamKeyCode({ sourceKey, issuer: mock.url, redirectUri: receiver.request.redirectUri, codeChallenge: receiver.request.codeChallenge });
    const wrong = new URL(receiver.request.redirectUri);
    wrong.searchParams.set('code', minted.code);
    wrong.searchParams.set('state', 'not-the-state');
    expect((await fetch(wrong)).status).toBe(400);
    // Still waiting: the right delivery goes through.
    const right = new URL(receiver.request.redirectUri);
    right.searchParams.set('code', minted.code);
    right.searchParams.set('state', receiver.request.state);
    expect((await fetch(right)).status).toBe(200);
    await expect(receiver.result).resolves.toMatchObject({ scope: 'models.read api.use' });
  });

  it('refuses to send the source key to an issuer the receiver names but the minter did not choose', async () => {
    const { key: sourceKey } = await mock.controls.createKey();
    const receiver = await receiveDownstreamKey({ issuer: mock.url });
    const before = await mock.controls.counters();
    await expect(
      handOffDownstreamKey({ sourceKey, issuer: 'https://nano-gpt.com', request: receiver.request }),
    ).rejects.toMatchObject({ code: 'issuer_mismatch' });
    await expect(
      handOffDownstreamKey({ sourceKey, issuer: mock.url, request: { ...receiver.request, redirectUri: 'https://evil.example/callback' } }),
    ).rejects.toMatchObject({ code: 'invalid_redirect_uri' });
    expect((await mock.controls.counters()).apiRequests).toBe(before.apiRequests);
    await receiver.close();
  });

  it('close() stops the receiver: the waiting result rejects with aborted and the port is free', async () => {
    const receiver = await receiveDownstreamKey({ issuer: mock.url });
    const port = Number(new URL(receiver.request.redirectUri).port);
    expect(await isListening(port)).toBe(true);
    await receiver.close();
    await expect(receiver.result).rejects.toMatchObject({ name: 'NanoGptNodeError', code: 'aborted' });
    expect(await isListening(port)).toBe(false);
  });

  it('the receiver times out with a typed error and closes', async () => {
    let port: number | null = null;
    // On a very slow machine the timeout can fall while the receiver is still starting.
    const received = receiveDownstreamKey({ issuer: mock.url, timeoutMs: 100 }).then((receiver) => {
      port = Number(new URL(receiver.request.redirectUri).port);
      return receiver.result;
    });
    await expect(received).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(received).rejects.toMatchObject({ code: 'timeout' });
    if (port !== null) expect(await isListening(port)).toBe(false);
  });
});
