#!/usr/bin/env node
// A committed shim, so the bin exists before the build creates dist/ (a fresh clone's install
// links bins before its `prepare` builds).
import '../dist/cli.js';
