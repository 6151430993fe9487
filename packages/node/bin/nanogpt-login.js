#!/usr/bin/env -S node --
// A committed shim, so the bin exists before the build creates dist/ (a fresh clone's install
// links bins before its `prepare` builds). `node --`: Node 20 reads `--env-file` anywhere on its
// command line, even after the script, and exits before our code runs when the file is missing;
// the `--` keeps our own `--env-file` ours. (npm and pnpm copy this line's interpreter and
// arguments into the bin shims they install.)
import '../dist/cli.js';
