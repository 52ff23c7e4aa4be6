#!/usr/bin/env node
// The `argentum-server` command. It lives outside dist/ so the bin exists as soon as the package is
// installed (a workspace install links bins before anything is built); the CLI itself is built code.
//
// It runs the CLI in a child Node started with the garbage-collector settings a real-time audio
// server needs (docs/guides/voice-agent-server.md, "Capacity"): V8's heap sizes are fixed when Node
// starts, and the one that matters most, --initial-old-space-size, is not allowed in NODE_OPTIONS.
// ARGENTUM_NODE_FLAGS replaces the defaults ('' runs the CLI in this process, with no flags added);
// a flag already given to this Node (on its command line or in NODE_OPTIONS) is kept as given.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeFlagsToAdd } from './node-flags.js';

const CHILD_MARK = 'ARGENTUM_SERVER_CHILD';
const added = nodeFlagsToAdd();

if (process.env[CHILD_MARK] === '1' || added.length === 0) {
  await import('../dist/cli/main.js');
} else {
  const child = spawn(
    process.execPath,
    [...added, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [CHILD_MARK]: '1' } },
  );
  // A signal sent to this process alone (a process manager's SIGTERM) reaches the server too; the
  // server drains on the first and ignores repeats, so a terminal's Ctrl-C (sent to both) is safe.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`argentum-server: could not start Node (${error.message})`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
