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
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { nodeFlagsToAdd } from './node-flags.js';

const CHILD_MARK = 'ARGENTUM_SERVER_CHILD';
/** Under an inspector (`node --inspect …`) the server runs in this process: the one being debugged. */
const debugging = process.execArgv.some((flag) => /^--(inspect|debug)/.test(flag));
const added = debugging ? [] : nodeFlagsToAdd();

if (process.env[CHILD_MARK] === '1' || added.length === 0) {
  await import('../dist/cli/main.js');
} else {
  // The server drains when this launcher closes the IPC channel: on SIGINT, SIGTERM or SIGHUP sent
  // to the launcher (a process manager's SIGTERM reaches only it; on Windows a child cannot be
  // signalled without being killed), and when the launcher dies, even by SIGKILL — never an orphan.
  const child = spawn(
    process.execPath,
    [...added, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...process.env, [CHILD_MARK]: '1' } },
  );
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const drain = () => {
    if (child.connected) child.disconnect();
  };
  for (const signal of signals) process.on(signal, drain);
  child.on('error', (error) => {
    console.error(`argentum-server: could not start Node (${error.message})`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, drain);
    if (signal === null) process.exit(code ?? 1);
    // Die of the same signal; if this process ignores it, exit as a shell reports a signal death.
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
}
