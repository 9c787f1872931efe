/**
 * Reads a Dockerfile's stages the way `docker build` would: global ARG defaults substituted
 * into FROM, line continuations joined, comments dropped. Enough to check what an image holds
 * without a Docker engine.
 */
export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=', 2);
      args[name] = value;
    } else if (upper === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new Error(`cannot read ${line}`);
      const base = m[1]!.replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_, a?: string, b?: string) => args[(a ?? b)!] ?? '',
      );
      stages.push({ name: m[2] ?? String(stages.length), base, instructions: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`${op} before the first FROM`);
      stage.instructions.push({ op: upper, args: rest });
    }
  }
  return { args, stages };
}

export function stage(file: Dockerfile, name: string): Stage {
  const found = file.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

/** ENV KEY=VALUE pairs of a stage (quoted values unquoted). */
export function stageEnv(s: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of s.instructions.filter((x) => x.op === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) env[m[1]!] = m[3] ?? m[2]!;
  }
  return env;
}

export interface CopyStep {
  from: string | null;
  sources: string[];
  dest: string;
}

/** COPY instructions of a stage, flags other than --from dropped. */
export function stageCopies(s: Stage): CopyStep[] {
  return s.instructions
    .filter((x) => x.op === 'COPY')
    .map((x) => {
      const words = x.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1]! };
    });
}

/** The exec-form CMD of a stage. */
export function stageCmd(s: Stage): string[] | null {
  const cmd = s.instructions.filter((x) => x.op === 'CMD').pop();
  return cmd ? (JSON.parse(cmd.args) as string[]) : null;
}

export function stageWorkdir(s: Stage): string {
  return s.instructions.filter((x) => x.op === 'WORKDIR').pop()?.args ?? '/';
}
