import { listenForKeys, type KeyAction } from './keys.js';

/** How the demo may be ended, and what to do with the other keys meanwhile. */
export interface QuitOptions {
  /** Read keys from this terminal; `q` and Ctrl-C quit. */
  keyboard: NodeJS.ReadStream | undefined;
  onKey: (action: Exclude<KeyAction, 'quit'>) => void;
  /** Quit by itself after this many seconds. */
  durationS: number | undefined;
}

/**
 * Resolves with the reason the demo should end: a quit key, SIGINT or SIGTERM, or the end
 * of its run time. Every listener it set up is removed by then.
 */
export function waitForQuit(options: QuitOptions): Promise<string> {
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    const quit = (reason: string): void => {
      for (const cleanup of cleanups) cleanup();
      resolve(reason);
    };

    if (options.durationS !== undefined) {
      const timer = setTimeout(
        () => quit(`ran for ${options.durationS} s`),
        options.durationS * 1000,
      );
      cleanups.push(() => clearTimeout(timer));
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = (): void => quit(`got ${signal}`);
      process.once(signal, onSignal);
      cleanups.push(() => process.off(signal, onSignal));
    }

    if (options.keyboard !== undefined) {
      const onAction = (action: KeyAction): void => {
        if (action === 'quit') quit('quit key pressed');
        else options.onKey(action);
      };
      cleanups.push(listenForKeys(options.keyboard, onAction));
    }
  });
}
