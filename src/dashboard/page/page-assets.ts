import { PAGE_ICON_SVG } from './page-icon.js';
import { SCRIPT_FORMAT } from './page-script-format.js';
import { SCRIPT_STREAM } from './page-script-stream.js';
import { SCRIPT_TABLES } from './page-script-tables.js';
import { PAGE_STYLE } from './page-style.js';

export { PAGE_HTML } from './page-html.js';

/** A file the page loads. */
export interface PageAsset {
  readonly contentType: string;
  readonly body: string;
}

/** The page's script: its three parts in one strict-mode function scope. */
export const PAGE_SCRIPT = [
  '(function () {',
  "  'use strict';",
  SCRIPT_FORMAT,
  SCRIPT_TABLES,
  SCRIPT_STREAM,
  '})();',
].join('\n');

/** What `/assets/<name>` serves. */
export const PAGE_ASSETS: ReadonlyMap<string, PageAsset> = new Map([
  ['dashboard.js', { contentType: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT }],
  ['dashboard.css', { contentType: 'text/css; charset=utf-8', body: PAGE_STYLE }],
  ['icon.svg', { contentType: 'image/svg+xml', body: PAGE_ICON_SVG }],
]);
