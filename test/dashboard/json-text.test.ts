import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/dashboard/json-text.js';

describe('jsonText', () => {
  it('writes plain data as indented JSON', () => {
    expect(jsonText({ step: 3, files: ['a.csv'] })).toEqual({
      text: '{\n  "step": 3,\n  "files": [\n    "a.csv"\n  ]\n}',
      truncated: false,
    });
  });

  it('shows a bigint and an object met again instead of throwing', () => {
    const shared: Record<string, unknown> = { id: 1 };
    shared.self = shared;

    const { text } = jsonText({ count: 12n, shared });

    expect(JSON.parse(text)).toEqual({ count: '12n', shared: { id: 1, self: '[seen above]' } });
  });

  it('says so when a getter of the data throws', () => {
    const data = {
      get broken(): never {
        throw new Error('no');
      },
    };

    expect(jsonText(data).text).toBe('"[data that cannot be shown as JSON]"');
  });

  it('cuts text past the limit and says it did', () => {
    expect(jsonText({ long: 'x'.repeat(100) }, 20)).toEqual({
      text: '{\n  "long": "xxxxxxx',
      truncated: true,
    });
  });
});
