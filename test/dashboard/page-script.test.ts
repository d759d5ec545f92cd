import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PAGE_ASSETS, PAGE_HTML, PAGE_SCRIPT } from '../../src/dashboard/page/page-assets.js';

describe('the dashboard page', () => {
  it('has a script that compiles', () => {
    expect(() => new Script(PAGE_SCRIPT, { filename: 'dashboard.js' })).not.toThrow();
  });

  it('loads only files that the server has, and holds no inline script or style', () => {
    const loaded = [...PAGE_HTML.matchAll(/(?:src|href)="assets\/([^"]+)"/g)].map((m) => m[1]);

    expect(new Set(loaded)).toEqual(new Set(PAGE_ASSETS.keys()));
    expect(PAGE_HTML).not.toMatch(/<script>|<style|style="|\bon[a-z]+=/);
  });
});
