#!/usr/bin/env node
// Entry point for `npx picket`: runs the TypeScript sources through tsx so a
// fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// `picket triage --json … | head` closes our stdout early: that is the reader's
// choice, not an error worth a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
