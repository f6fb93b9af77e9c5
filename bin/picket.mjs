#!/usr/bin/env node
// Entry point for `npx picket`: runs the TypeScript sources through tsx so a
// fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// `picket triage --json … | head` closes our stdout early: that is the reader's
// choice, not an error. Further output is dropped and the command finishes
// normally, so nothing it must clean up (the demo's Redis keys) is skipped.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = () => true;
});

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
