import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isProfileName } from '../credentials.js';
import { normalizeIssuer, type UsageLimitType } from '@nanogpt-signin/core';

/** A parsed `nanogpt-login` command line. Pure: no I/O, so it is unit-tested directly. */
export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'login';
      device: boolean;
      open: boolean;
      issuer: string | undefined;
      scope: string | undefined;
      clientName: string | undefined;
      timeoutSeconds: number | undefined;
      port: number | undefined;
      print: boolean;
      standard: boolean;
      profile: string | undefined;
      /** Write NANOGPT_API_KEY= into this dotenv file instead of storing the key. */
      envFile: string | undefined;
      /** Replace a stored device key (which can mint) with a browser key without asking. */
      force: boolean;
    }
  | {
      kind: 'mint';
      issuer: string | undefined;
      limit: number | undefined;
      period: UsageLimitType | undefined;
      expiresAt: Date | undefined;
      label: string | undefined;
      scope: string | undefined;
      clientName: string | undefined;
      print: boolean;
      output: string | undefined;
      /** Hand-off mode: the receiver's request (JSON printed by `nanogpt-login receive`). */
      to: string | undefined;
      /** The profile whose stored key pays for the new one. */
      profile: string | undefined;
      envFile: string | undefined;
      /** `mint … -- <command> [args…]`: run this with the new key in its environment. */
      run: string[] | undefined;
    }
  | {
      kind: 'receive';
      issuer: string | undefined;
      timeoutSeconds: number | undefined;
      port: number | undefined;
      label: string | undefined;
      print: boolean;
      output: string | undefined;
    }
  | { kind: 'status'; issuer: string | undefined; profile: string | undefined; envFile: string | undefined; fromEnvironment: boolean }
  | { kind: 'logout'; issuer: string | undefined; profile: string | undefined }
  | {
      kind: 'exec';
      issuer: string | undefined;
      profile: string | undefined;
      clientName: string | undefined;
      device: boolean;
      open: boolean;
      run: string[];
    };

/** Stable codes of usage errors (exit code 2), printed as the line's `[code]` suffix. */
export type UsageErrorCode =
  | 'unknown_command'
  | 'unknown_option'
  | 'missing_value'
  | 'invalid_value'
  | 'unexpected_argument'
  | 'conflicting_options'
  | 'missing_command';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code: UsageErrorCode;
  constructor(code: UsageErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const HELP = `Usage: nanogpt-login [options]           sign in through your browser (loopback redirect)
       nanogpt-login --device [options]  sign in by approving a code in any browser
       nanogpt-login exec [options] -- <command> [args...]
                                         run a command with NANOGPT_API_KEY in its environment
       nanogpt-login mint [mint options] [-- <command> [args...]]
                                         create a capped key for an agent from the stored key
       nanogpt-login receive [options]   wait for a key handed over by "mint --to" (for agents)
       nanogpt-login status              show the stored key (masked), its spend, and check it works
       nanogpt-login logout              forget the stored key

Sign-in options:
  --device               device login instead of the loopback redirect (for SSH, no browser)
  --no-open              do not open a browser; just print the URL
  --issuer URL           NanoGPT origin (default $NANOGPT_ISSUER or https://nano-gpt.com)
  --profile NAME         keep this key under NAME (default "default"; kept per issuer)
  --scope SCOPES         default "api.use models.read" (not with --device: it takes no scope)
  --client-name NAME     shown on the consent screen (default "nanogpt-login")
  --timeout SECONDS      give up after this long (default 300; device: the server's expiry)
  --port N               loopback port on 127.0.0.1 (default: any free port)
  --standard             standard OAuth 2.0 flow (dynamic registration) instead of the shortcut
  --force                replace a stored device key with a browser key without asking
  --print                write NANOGPT_API_KEY=<key> to stdout instead of storing it
  --env-file FILE        write NANOGPT_API_KEY=<key> into the dotenv FILE instead of storing it
                         (other lines kept, mode 0600, refused when git tracks FILE)

Exec options (the key reaches the command only through its environment:
NANOGPT_API_KEY and NANOGPT_BASE_URL; signs in first when no working key is stored):
  --profile NAME, --issuer URL, --client-name NAME, --device, --no-open

Mint options:
  --limit USD            spend cap in USD (0 blocks paid spend)
  --period P             daily, weekly or monthly (default monthly when --limit is given)
  --expires DATE         YYYY-MM-DD (end of that day, UTC) or an ISO time
                         (default with "-- <command>": 24 hours from now)
  --label TEXT           the key's name in NanoGPT settings
  --scope SCOPES, --client-name NAME
  --profile NAME         the stored key that pays for the new one (default "default")
  --print                write NANOGPT_API_KEY=<key> to stdout
  --output FILE          save NANOGPT_API_KEY=<key> to FILE (mode 0600)
                         (default: a new file in <config dir>/keys/)
  --env-file FILE        write or update NANOGPT_API_KEY=<key> in the dotenv FILE
  --to JSON              hand the key to a waiting "nanogpt-login receive" instead
  -- <command> [args...] run the command with the new key in its environment (nothing saved)
  Source key: $NANOGPT_SOURCE_KEY if set, else the stored key (browser sign-in keys are
  OAuth keys, which NanoGPT does not let mint: use --device or a key from settings).

Receive options (the agent's side of "mint --to"):
  prints one JSON line (no secret) on stdout, waits on 127.0.0.1, redeems the code itself;
  --issuer URL, --timeout SECONDS (default 300), --port N, --label TEXT, --print, --output FILE

Status options: --profile NAME, --issuer URL; --env-file FILE checks the key in FILE instead,
  --key-from-env the key in $NANOGPT_API_KEY (e.g. inside "mint -- <command>").

Credentials: $NANOGPT_CONFIG_DIR, else $XDG_CONFIG_HOME/nanogpt, else ~/.config/nanogpt
  (mode 0600 files in a 0700 folder). Keys are shown masked except with --print.
Exit codes: 0 success, 1 failure, 2 bad usage, 130 interrupted; exec and mint -- <command>:
  the command's own exit code (or its signal).
`;

function positiveInteger(value: string | undefined, flag: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || Number(value) > max) throw new UsageError('invalid_value', `${flag} needs a whole number between 1 and ${max}.`);
  return Number(value);
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError('invalid_value', '--port needs a number between 0 and 65535.');
  return Number(value);
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UsageError('invalid_value', '--limit needs an amount in USD, 0 or more, like 5 or 2.50.');
  return Number(trimmed);
}

function parsePeriod(value: string | undefined): UsageLimitType | undefined {
  if (value === undefined) return undefined;
  if (value === 'daily' || value === 'weekly' || value === 'monthly') return value;
  throw new UsageError('invalid_value', '--period must be daily, weekly or monthly.');
}

function parseProfile(value: string | undefined): string | undefined {
  if (value === undefined || isProfileName(value)) return value;
  throw new UsageError('invalid_value', '--profile needs a name of 1 to 64 letters, digits, "_", "." or "-".');
}

/** The core's issuer rule (an https origin; plain http only on loopback), in the option's name. */
function parseIssuer(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return normalizeIssuer(value);
  } catch (error) {
    // The core says "Issuer must be …"; a command line names the option.
    const rule = (error as Error).message.replace(/^Issuer /, '');
    throw new UsageError('invalid_value', `--issuer ${rule}`);
  }
}

/** `YYYY-MM-DD` means the end of that day (UTC); anything else must be an ISO time. */
export function parseExpires(value: string | undefined, now: Date = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  let date: Date;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) date = new Date(`${value}T23:59:59.999Z`);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) date = new Date(value);
  else throw new UsageError('invalid_value', '--expires needs a date like 2026-12-31 or an ISO time.');
  if (Number.isNaN(date.getTime())) throw new UsageError('invalid_value', '--expires is not a valid date.');
  if (date.getTime() <= now.getTime()) throw new UsageError('invalid_value', '--expires must be in the future.');
  return date;
}

/** How long a key minted for `mint … -- <command>` lives when `--expires` is not given. */
export const RUN_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  issuer: { type: 'string' },
  scope: { type: 'string' },
  'client-name': { type: 'string' },
  print: { type: 'boolean' },
  profile: { type: 'string' },
  'env-file': { type: 'string' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--limit -3` is one option with a (bad) value to us, but an ambiguous option to parseArgs:
 * join a negative number to its option so that our own validation answers it.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** parseArgs' errors in our own words (its texts suggest syntax we do not want to teach). */
function usageErrorFrom(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError('unknown_option', `Unknown option ${option}.`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new UsageError('unexpected_argument', `Unexpected argument "${word}".`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take')) return new UsageError('invalid_value', `${option} takes no value.`);
    return new UsageError('missing_value', `${option} needs a value (one starting with "-" is written ${option}=-VALUE).`);
  }
  return new UsageError('invalid_value', message.replace(/\s+/g, ' ').trim());
}

/** The flags of one subcommand: unknown flags and stray words are usage errors. */
function parseFlags<const T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageErrorFrom(error);
  }
}

/** `[flags…] -- <command> [args…]`: the flags, and the command after the first `--` (undefined without one). */
function splitCommand(args: readonly string[]): { flags: string[]; run: string[] | undefined } {
  const dash = args.indexOf('--');
  if (dash === -1) return { flags: [...args], run: undefined };
  return { flags: args.slice(0, dash), run: args.slice(dash + 1) };
}

function requireRun(run: string[] | undefined, usage: string): string[] {
  if (!run || run.length === 0) throw new UsageError('missing_command', `Name the command to run: ${usage}.`);
  return run;
}

function atMostOne(flags: Record<string, boolean>): void {
  const given = Object.keys(flags).filter((flag) => flags[flag]);
  if (given.length > 1) throw new UsageError('conflicting_options', `Use only one of ${given.join(', ')}.`);
}

export function parseCommand(commandLine: readonly string[], now: Date = new Date()): Command {
  // `pnpm nanogpt-login -- --env-file x` passes its `--` on (pnpm runs on Node, which would
  // otherwise take `--env-file` for itself): a leading `--` means nothing to us.
  const argv = commandLine[0] === '--' ? commandLine.slice(1) : commandLine;
  const first = argv[0];
  const sub = first !== undefined && !first.startsWith('-') ? first : 'login';
  const rest = sub === first ? argv.slice(1) : [...argv];
  switch (sub) {
    case 'login': {
      const values = parseFlags(rest, {
        ...COMMON,
        version: { type: 'boolean' },
        device: { type: 'boolean' },
        'no-open': { type: 'boolean' },
        timeout: { type: 'string' },
        port: { type: 'string' },
        standard: { type: 'boolean' },
        force: { type: 'boolean' },
      });
      if (values.help) return { kind: 'help' };
      if (values.version) return { kind: 'version' };
      if (values.device && values.standard) throw new UsageError('conflicting_options', '--standard applies to the browser sign-in, not --device.');
      if (values.device && values.port !== undefined) throw new UsageError('conflicting_options', '--port applies to the browser sign-in, not --device.');
      // Device login cannot ask for scopes (spec §9): ignoring --scope would hand out a broader key than asked for.
      if (values.device && values.scope !== undefined) throw new UsageError('conflicting_options', '--scope applies to the browser sign-in; device login cannot request scopes (mint a narrower key with: nanogpt-login mint --scope).');
      atMostOne({ '--print': values.print ?? false, '--env-file': values['env-file'] !== undefined });
      return {
        kind: 'login',
        device: values.device ?? false,
        open: !(values['no-open'] ?? false),
        issuer: parseIssuer(values.issuer),
        scope: values.scope,
        clientName: values['client-name'],
        timeoutSeconds: positiveInteger(values.timeout, '--timeout', 24 * 3600),
        port: parsePort(values.port),
        print: values.print ?? false,
        standard: values.standard ?? false,
        profile: parseProfile(values.profile),
        envFile: values['env-file'],
        force: values.force ?? false,
      };
    }
    case 'mint': {
      const { flags, run } = splitCommand(rest);
      const values = parseFlags(flags, {
        ...COMMON,
        limit: { type: 'string' },
        period: { type: 'string' },
        expires: { type: 'string' },
        label: { type: 'string' },
        output: { type: 'string', short: 'o' },
        to: { type: 'string' },
      });
      if (values.help) return { kind: 'help' };
      atMostOne({
        '--print': values.print ?? false,
        '--output': values.output !== undefined,
        '--env-file': values['env-file'] !== undefined,
        '--to': values.to !== undefined,
        '-- <command>': run !== undefined,
      });
      const command = run === undefined ? undefined : requireRun(run, 'nanogpt-login mint [options] -- <command> [args...]');
      const expiresAt = parseExpires(values.expires, now) ?? (command ? new Date(now.getTime() + RUN_KEY_LIFETIME_MS) : undefined);
      return {
        kind: 'mint',
        issuer: parseIssuer(values.issuer),
        limit: parseLimit(values.limit),
        period: parsePeriod(values.period),
        expiresAt,
        label: values.label,
        scope: values.scope,
        clientName: values['client-name'],
        print: values.print ?? false,
        output: values.output,
        to: values.to,
        profile: parseProfile(values.profile),
        envFile: values['env-file'],
        run: command,
      };
    }
    case 'exec': {
      const { flags, run } = splitCommand(rest);
      const values = parseFlags(flags, {
        help: COMMON.help,
        issuer: COMMON.issuer,
        profile: COMMON.profile,
        'client-name': COMMON['client-name'],
        device: { type: 'boolean' },
        'no-open': { type: 'boolean' },
      });
      if (values.help) return { kind: 'help' };
      return {
        kind: 'exec',
        issuer: parseIssuer(values.issuer),
        profile: parseProfile(values.profile),
        clientName: values['client-name'],
        device: values.device ?? false,
        open: !(values['no-open'] ?? false),
        run: requireRun(run, 'nanogpt-login exec [options] -- <command> [args...]'),
      };
    }
    case 'receive': {
      const values = parseFlags(rest, {
        help: COMMON.help,
        issuer: COMMON.issuer,
        print: COMMON.print,
        timeout: { type: 'string' },
        port: { type: 'string' },
        label: { type: 'string' },
        output: { type: 'string', short: 'o' },
      });
      if (values.help) return { kind: 'help' };
      atMostOne({ '--print': values.print ?? false, '--output': values.output !== undefined });
      return {
        kind: 'receive',
        issuer: parseIssuer(values.issuer),
        timeoutSeconds: positiveInteger(values.timeout, '--timeout', 24 * 3600),
        port: parsePort(values.port),
        label: values.label,
        print: values.print ?? false,
        output: values.output,
      };
    }
    case 'status': {
      const values = parseFlags(rest, {
        help: COMMON.help,
        issuer: COMMON.issuer,
        profile: COMMON.profile,
        'env-file': COMMON['env-file'],
        'key-from-env': { type: 'boolean' },
      });
      if (values.help) return { kind: 'help' };
      atMostOne({ '--env-file': values['env-file'] !== undefined, '--key-from-env': values['key-from-env'] ?? false, '--profile': values.profile !== undefined });
      return {
        kind: 'status',
        issuer: parseIssuer(values.issuer),
        profile: parseProfile(values.profile),
        envFile: values['env-file'],
        fromEnvironment: values['key-from-env'] ?? false,
      };
    }
    case 'logout': {
      const values = parseFlags(rest, { help: COMMON.help, issuer: COMMON.issuer, profile: COMMON.profile });
      if (values.help) return { kind: 'help' };
      return { kind: 'logout', issuer: parseIssuer(values.issuer), profile: parseProfile(values.profile) };
    }
    case 'help':
      return { kind: 'help' };
    default:
      throw new UsageError('unknown_command', `Unknown command "${sub}".`);
  }
}
