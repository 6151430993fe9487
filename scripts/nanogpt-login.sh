#!/bin/sh
# `pnpm nanogpt-login [args]`: the CLI of this checkout, built first only when the build is stale
# (a `tsc -b` costs about half a second even when it has nothing to do). The trap: see
# scripts/mock.sh (Ctrl-C is the CLI's to handle: it exits 130).
trap : INT

# Stale: no build yet, or a source, package.json or tsconfig of the core or the node package is
# newer than packages/node's last build.
stale() {
  [ ! -f packages/node/dist/cli.js ] || [ ! -f packages/node/tsconfig.tsbuildinfo ] || [ -n "$(
    find tsconfig.base.json packages/core/package.json packages/core/tsconfig.json packages/core/src \
      packages/node/package.json packages/node/tsconfig.json packages/node/src \
      -newer packages/node/tsconfig.tsbuildinfo -print -quit
  )" ]
}

if stale; then pnpm -s run build || exit; fi
# `node --`: Node must not take an `--env-file` of ours for itself.
node -- packages/node/dist/cli.js "$@"
