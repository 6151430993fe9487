#!/bin/sh
# `pnpm demo`: build the packages, then demo-app's own script (the mock and the demo) until
# Ctrl-C. The trap: see scripts/mock.sh.
trap : INT
pnpm -s run build || exit
pnpm -s --filter @nanogpt-signin/demo-app run demo "$@"
