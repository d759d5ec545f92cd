/** Prefix of the one stdout line on which a child process hands its result to the runner. */
export const RESULT_MARKER = '@@bench-result ';
