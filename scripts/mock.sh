#!/bin/sh
# `pnpm mock [options]`: build, then the mock server in the foreground until Ctrl-C.
# Ctrl-C reaches the server from the terminal and closes it (exit 0). pnpm passes a second SIGINT
# to its child, this shell (the root script execs it): trapped here, so the server is not killed
# by it and pnpm sees the server's own exit code.
trap : INT
pnpm -s run build || exit
node packages/mock-server/dist/cli.js "$@"
