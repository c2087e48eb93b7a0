/** A small argv parser: `--flag`, `--key value`, `--key=value`, positionals. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq > 0) options.set(key, arg.slice(eq + 1));
    else if (valued.has(key)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      options.set(key, value);
    } else options.set(key, true);
  }
  return { positionals, options };
}

/** A misspelt option must not be silently ignored (`--prot 9000` would serve on the default port). */
export function rejectUnknownOptions(args: ParsedArgs, known: ReadonlySet<string>): void {
  for (const key of args.options.keys()) if (!known.has(key)) throw new UsageError(`unknown option --${key}`);
}

/** The value of `--key value`; undefined when absent, an error when given as a bare flag. */
export function optionValue(args: ParsedArgs, key: string): string | undefined {
  const value = args.options.get(key);
  if (value === true) throw new UsageError(`--${key} needs a value`);
  return value;
}

/** Bad command-line usage: exit status 2 with a message, never a stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
