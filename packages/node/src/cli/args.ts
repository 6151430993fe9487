import { parseArgs, type ParseArgsConfig } from 'node:util';

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
    }
  | {
      kind: 'mint';
      issuer: string | undefined;
      limit: number | undefined;
      period: 'daily' | 'weekly' | 'monthly' | undefined;
      expiresAt: Date | undefined;
      label: string | undefined;
      scope: string | undefined;
      clientName: string | undefined;
      print: boolean;
      output: string | undefined;
      /** Hand-off mode: the receiver's request (JSON printed by `nanogpt-login receive`). */
      to: string | undefined;
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
  | { kind: 'status'; issuer: string | undefined }
  | { kind: 'logout' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Usage: nanogpt-login [options]          sign in through your browser (loopback redirect)
       nanogpt-login --device [options] sign in by approving a code in any browser
       nanogpt-login mint [mint options] create a capped key for an agent from the stored key
       nanogpt-login receive [options]   wait for a key handed over by "mint --to" (for agents)
       nanogpt-login status              show the stored key (masked) and check that it works
       nanogpt-login logout              forget the stored key

Sign-in options:
  --device               device login instead of the loopback redirect (for SSH, no browser)
  --no-open              do not open a browser; just print the URL
  --issuer URL           NanoGPT origin (default $NANOGPT_ISSUER or https://nano-gpt.com)
  --scope SCOPES         default "api.use models.read" (not with --device: it takes no scope)
  --client-name NAME     shown on the consent screen (default "nanogpt-login")
  --timeout SECONDS      give up after this long (default 300; device: the server's expiry)
  --port N               loopback port on 127.0.0.1 (default: any free port)
  --standard             standard OAuth 2.0 flow (dynamic registration) instead of the shortcut
  --print                write NANOGPT_API_KEY=<key> to stdout instead of storing it

Mint options:
  --limit USD            spend cap in USD (0 blocks paid spend)
  --period P             daily, weekly or monthly (default monthly when --limit is given)
  --expires DATE         YYYY-MM-DD (end of that day, UTC) or an ISO time
  --label TEXT           the key's name in NanoGPT settings
  --scope SCOPES, --client-name NAME
  --print                write NANOGPT_API_KEY=<key> to stdout
  --output FILE          save NANOGPT_API_KEY=<key> to FILE (mode 0600)
                         (default: a new file in <config dir>/keys/)
  --to JSON              hand the key to a waiting "nanogpt-login receive" instead
  Source key: $NANOGPT_SOURCE_KEY if set, else the stored key (browser sign-in keys are
  OAuth keys, which NanoGPT does not let mint: use --device or a key from settings).

Receive options (the agent's side of "mint --to"):
  prints one JSON line (no secret) on stdout, waits on 127.0.0.1, redeems the code itself;
  --issuer URL, --timeout SECONDS (default 300), --port N, --label TEXT, --print, --output FILE

Credentials: $NANOGPT_CONFIG_DIR, else $XDG_CONFIG_HOME/nanogpt, else ~/.config/nanogpt
  (credentials.json, mode 0600, folder 0700). Keys are shown masked except with --print.
Exit codes: 0 success, 1 failure, 130 interrupted.
`;

function positiveInteger(value: string | undefined, flag: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || Number(value) > max) throw new UsageError(`${flag} needs a whole number between 1 and ${max}.`);
  return Number(value);
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError('--port needs a number between 0 and 65535.');
  return Number(value);
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UsageError('--limit needs an amount in USD, like 5 or 2.50.');
  return Number(trimmed);
}

function parsePeriod(value: string | undefined): 'daily' | 'weekly' | 'monthly' | undefined {
  if (value === undefined) return undefined;
  if (value === 'daily' || value === 'weekly' || value === 'monthly') return value;
  throw new UsageError('--period must be daily, weekly or monthly.');
}

/** `YYYY-MM-DD` means the end of that day (UTC); anything else must be an ISO time. */
export function parseExpires(value: string | undefined, now: Date = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  let date: Date;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) date = new Date(`${value}T23:59:59.999Z`);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) date = new Date(value);
  else throw new UsageError('--expires needs a date like 2026-12-31 or an ISO time.');
  if (Number.isNaN(date.getTime())) throw new UsageError('--expires is not a valid date.');
  if (date.getTime() <= now.getTime()) throw new UsageError('--expires must be in the future.');
  return date;
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  issuer: { type: 'string' },
  scope: { type: 'string' },
  'client-name': { type: 'string' },
  print: { type: 'boolean' },
} as const;

/** The flags of one subcommand: unknown flags and stray words are usage errors. */
function parseFlags<const T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
}

export function parseCommand(argv: readonly string[], now: Date = new Date()): Command {
  const first = argv[0];
  const sub = first !== undefined && !first.startsWith('-') ? first : 'login';
  const rest = sub === first ? argv.slice(1) : [...argv];
  try {
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
        });
        if (values.help) return { kind: 'help' };
        if (values.version) return { kind: 'version' };
        if (values.device && values.standard) throw new UsageError('--standard applies to the browser sign-in, not --device.');
        if (values.device && values.port !== undefined) throw new UsageError('--port applies to the browser sign-in, not --device.');
        // Device login cannot ask for scopes (spec §9): ignoring --scope would hand out a broader key than asked for.
        if (values.device && values.scope !== undefined) throw new UsageError('--scope applies to the browser sign-in; device login cannot request scopes (mint a narrower key with: nanogpt-login mint --scope).');
        return {
          kind: 'login',
          device: values.device ?? false,
          open: !(values['no-open'] ?? false),
          issuer: values.issuer,
          scope: values.scope,
          clientName: values['client-name'],
          timeoutSeconds: positiveInteger(values.timeout, '--timeout', 24 * 3600),
          port: parsePort(values.port),
          print: values.print ?? false,
          standard: values.standard ?? false,
        };
      }
      case 'mint': {
        const values = parseFlags(rest, {
          ...COMMON,
          limit: { type: 'string' },
          period: { type: 'string' },
          expires: { type: 'string' },
          label: { type: 'string' },
          output: { type: 'string', short: 'o' },
          to: { type: 'string' },
        });
        if (values.help) return { kind: 'help' };
        if (values.print && values.output !== undefined) throw new UsageError('Use either --print or --output, not both.');
        if (values.to !== undefined && (values.print || values.output !== undefined)) {
          throw new UsageError('--to hands the key to the receiver; --print and --output do not apply.');
        }
        return {
          kind: 'mint',
          issuer: values.issuer,
          limit: parseLimit(values.limit),
          period: parsePeriod(values.period),
          expiresAt: parseExpires(values.expires, now),
          label: values.label,
          scope: values.scope,
          clientName: values['client-name'],
          print: values.print ?? false,
          output: values.output,
          to: values.to,
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
        if (values.print && values.output !== undefined) throw new UsageError('Use either --print or --output, not both.');
        return {
          kind: 'receive',
          issuer: values.issuer,
          timeoutSeconds: positiveInteger(values.timeout, '--timeout', 24 * 3600),
          port: parsePort(values.port),
          label: values.label,
          print: values.print ?? false,
          output: values.output,
        };
      }
      case 'status': {
        const values = parseFlags(rest, { help: COMMON.help, issuer: COMMON.issuer });
        if (values.help) return { kind: 'help' };
        return { kind: 'status', issuer: values.issuer };
      }
      case 'logout': {
        const values = parseFlags(rest, { help: COMMON.help });
        if (values.help) return { kind: 'help' };
        return { kind: 'logout' };
      }
      case 'help':
        return { kind: 'help' };
      default:
        throw new UsageError(`Unknown command "${sub}". Run nanogpt-login --help.`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // parseArgs errors (unknown option, missing value) carry a readable message.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
