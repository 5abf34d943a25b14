/**
 * @module cli/commands/demo
 * `kubetwin demo`: placeholder replaced below.
 */
export async function runDemo(): Promise<number> {
  return 0;
}
