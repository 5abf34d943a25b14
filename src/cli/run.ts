/**
 * @module cli/run
 * Process entry: `node dist/cli/run.js …` or `tsx src/cli/run.ts …` in development.
 */
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`kubetwin: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
