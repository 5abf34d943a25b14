/**
 * @module cli/errors
 * One place that turns errors into the one line on stderr the design asks for.
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function printError(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`kubetwin: internal error: ${msg}\n`);
  return 70;
}
