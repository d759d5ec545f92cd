import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackHostHeader } from '../../src/dashboard/loopback.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '[::1]', 'localhost', 'LocalHost'])(
    'takes %s for loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2', 'localhost.example', 'example.com'])(
    'takes %s for an address other machines may reach',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  it('takes an IPv4 loopback address written as IPv6 for loopback', () => {
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
  });
});

describe('isLoopbackHostHeader', () => {
  it.each(['127.0.0.1:4020', 'localhost:4020', '[::1]:4020', 'localhost'])('accepts %s', (host) => {
    expect(isLoopbackHostHeader(host)).toBe(true);
  });

  it.each([
    'rebound.example:4020',
    'evil.example@127.0.0.1:4020',
    '127.0.0.1.nip.example',
    '127.0.0.1:4020/path',
    '',
    undefined,
  ])('refuses %s', (host) => {
    expect(isLoopbackHostHeader(host)).toBe(false);
  });
});
