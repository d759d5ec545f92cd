import { OrbitError } from '../errors/orbit-error.js';
import type { CronFieldName } from './cron-field-spec.js';

/** An `INVALID_CRON` error about one field: names the field, its text and what is wrong. */
export function fieldError(field: CronFieldName, text: string, problem: string): OrbitError {
  return new OrbitError('INVALID_CRON', `cron ${field} field '${clip(text)}': ${problem}`);
}

/** An `INVALID_CRON` error about the expression as a whole. */
export function expressionError(expression: string, problem: string): OrbitError {
  return new OrbitError('INVALID_CRON', `cron expression '${clip(expression)}': ${problem}`);
}

const SHOWN_CHARS = 80;

function clip(text: string): string {
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS)}...`;
}
