const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

/** A text style the view uses. */
export type Style = keyof typeof STYLES;

/** Wraps text in a style, or leaves it plain when colour is off. */
export type Paint = (style: Style, text: string) => string;

/** Escape sequences for drawing a full-screen view. */
export const SCREEN = {
  enterAlternate: '\u001b[?1049h',
  leaveAlternate: '\u001b[?1049l',
  hideCursor: '\u001b[?25l',
  showCursor: '\u001b[?25h',
  home: '\u001b[H',
  clearLineEnd: '\u001b[K',
  clearBelow: '\u001b[J',
} as const;

/** An escape sequence, or else one character (a whole code point). */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const TOKEN = /\u001b\[[0-9;?]*[A-Za-z]|[\s\S]/gu;

/** Styles text when `isEnabled`; otherwise text stays plain. */
export function createPaint(isEnabled: boolean): Paint {
  if (!isEnabled) return (_style, text) => text;

  return (style, text) => {
    const [on, off] = STYLES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  };
}

/** Cuts a line to `columns` visible characters, keeping its escape sequences intact. */
export function fitToWidth(line: string, columns: number): string {
  let visible = 0;
  let result = '';

  for (const [token] of line.matchAll(TOKEN)) {
    const isEscape = token.length > 1 && token.startsWith('\u001b');
    if (isEscape) {
      result += token;
    } else if (visible < columns) {
      result += token;
      visible += 1;
    }
  }

  return result;
}
