import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxImportBytes } from '../../src/server/modules/imports/imports.routes';
import { projectRoot } from '../helpers/cli.js';

// Keeps the deployment files (Dockerfile, deploy/, docs/deployment.md) honest against the code:
// they cannot be run here (no Docker), so what they name must at least exist.

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** The variables `loadConfig` reads: the keys of `envSchema` in src/server/config.ts. */
function configVariables(): Set<string> {
  const source = read('src/server/config.ts');
  const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
  return new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

/** What the postgres image reads (hub.docker.com/_/postgres): allowed beside the server's own. */
const postgresImageVariables = new Set(['POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE', 'POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS', 'POSTGRES_INITDB_WALDIR', 'POSTGRES_HOST_AUTH_METHOD', 'PGDATA']);

/** Names set or commented out in an env file: `NAME=…` or `#NAME=…`. */
function envFileVariables(text: string): string[] {
  return [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

/** Names in the compose file: keys of `environment:` maps and `${NAME…}` interpolations. */
function composeVariables(text: string): string[] {
  const keys: string[] = [];
  let inEnvironment = -1;
  for (const line of text.split('\n')) {
    const indent = line.search(/\S/);
    if (indent < 0 || line.trimStart().startsWith('#')) continue;
    if (inEnvironment >= 0 && indent <= inEnvironment) inEnvironment = -1;
    if (/^\s*environment:\s*$/.test(line)) inEnvironment = indent;
    else if (inEnvironment >= 0) keys.push(/^\s*([A-Z][A-Z0-9_]*):/.exec(line)?.[1] ?? `unparsed line: ${line.trim()}`);
  }
  return [...keys, ...[...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)];
}

/**
 * Names in docs/deployment.md that claim to be variables: table rows that start with one, `NAME=`
 * assignments, and backticked NAMES_WITH_UNDERSCORES. Backticked names that the server's code
 * spells as a string literal (error codes such as FILE_TOO_LARGE) are not variables.
 */
function docVariables(text: string): string[] {
  const code = sourceFiles(['src/server', 'src/cli']).map((f) => readFileSync(f, 'utf8')).join('\n');
  const rows = [...text.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((m) => m[1]!);
  const assigned = [...text.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)].map((m) => m[1]!);
  const named = [...text.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1]!).filter((n) => !code.includes(`'${n}'`));
  return [...rows, ...assigned, ...named];
}

/** Every non-test .ts file under the given folders. */
function sourceFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
    }
  };
  for (const d of dirs) walk(path.join(projectRoot, d));
  return out;
}

/** The Dockerfile's instructions, continuation lines joined. */
function dockerInstructions(): { op: string; args: string }[] {
  return read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.trim().split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('deployment files', () => {
  it('every environment variable in deploy/.env.example, deploy/compose.yaml and docs/deployment.md is read by config.ts (or the postgres image)', () => {
    const known = configVariables();
    expect(known.size).toBeGreaterThan(25);
    expect(known).toContain('DATABASE_URL');
    const sources = {
      'deploy/.env.example': envFileVariables(read('deploy/.env.example')),
      'deploy/compose.yaml': composeVariables(read('deploy/compose.yaml')),
      'docs/deployment.md': docVariables(read('docs/deployment.md')),
      Dockerfile: dockerInstructions()
        .filter((i) => i.op === 'ENV')
        .map((i) => i.args.split('=')[0]!),
    };
    expect(sources['deploy/.env.example']).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'PACESETTER_KEY']));
    expect(sources['deploy/compose.yaml']).toEqual(expect.arrayContaining(['DATABASE_URL', 'PACESETTER_KEY', 'TRUST_PROXY']));
    expect(sources['docs/deployment.md']).toEqual(expect.arrayContaining(['DATABASE_REPLICA_URL', 'PORT', 'TRUST_PROXY']));
    // The Dockerfile's build arguments (PG_MAJOR) are named too; they are not the server's.
    const buildArgs = new Set(dockerInstructions().filter((i) => i.op === 'ARG').map((i) => i.args.split('=')[0]!));
    const allowed = (n: string) => known.has(n) || postgresImageVariables.has(n) || buildArgs.has(n);
    const unknown = Object.entries(sources).flatMap(([file, names]) => [...new Set(names)].filter((n) => !allowed(n)).map((n) => `${file}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it("the Dockerfile starts a file that exists, copies only paths that exist and that .dockerignore keeps, and exposes config's default port", () => {
    const steps = dockerInstructions();
    const cmd = JSON.parse(steps.find((s) => s.op === 'CMD')!.args) as string[];
    expect(cmd).toEqual(['node', 'bin/pacesetter.mjs', 'serve']);
    expect(existsSync(path.join(projectRoot, cmd[1]!))).toBe(true);
    expect(read('src/cli/main.ts')).toContain(".command('serve')");
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.includes('*'));
    const copied = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from')).flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(copied).toEqual(expect.arrayContaining(['package-lock.json', 'bin', 'src/server']));
    for (const source of copied) {
      expect(existsSync(path.join(projectRoot, source)), `COPY ${source}`).toBe(true);
      expect(ignored.filter((i) => source === i || source.startsWith(`${i}/`)), `COPY ${source} is in .dockerignore`).toEqual([]);
    }
    // The runtime stage takes the web build from where vite writes it.
    expect(steps.find((s) => s.op === 'COPY' && s.args.startsWith('--from=build'))?.args).toContain('/app/dist/web');
    expect(read('vite.config.ts')).toContain("'./dist/web'");
    const port = /PORT: z\.coerce\.number\(\)[^\n]*\.default\((\d+)\)/.exec(read('src/server/config.ts'))?.[1];
    expect(steps.find((s) => s.op === 'EXPOSE')?.args).toBe(port);
    expect(read('deploy/nginx.conf')).toContain(`server app:${port} `);
  });

  it('everything the server and the CLI import is a runtime dependency (the image installs with --omit=dev)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const files = [...sourceFiles(['src/server', 'src/cli', 'src/domain']), path.join(projectRoot, 'bin', 'pacesetter.mjs')];
    const missing = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // `import type` is erased; every other import of a package is loaded at run time.
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?'([^'.][^']*)'/gm), ...text.matchAll(/\bimport\('([^'.][^']*)'\)/g)].map((m) => m[1]!);
      for (const s of specifiers) {
        if (s.startsWith('node:')) continue;
        const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
        if (!(name in pkg.dependencies)) missing.add(`${name} (${path.relative(projectRoot, file)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('the compose file is plain YAML of the expected shape: no `version:`, the three services, two app replicas', () => {
    const text = read('deploy/compose.yaml');
    const lines = text.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
    expect(text).not.toContain('\t');
    // Every line is `key:`, `key: value` or `- item`, indented by steps of two.
    const odd = lines.filter((l) => !/^( {2})*(- |[A-Za-z_][\w.-]*:( |$))/.test(l));
    expect(odd).toEqual([]);
    expect(lines.filter((l) => /^\S/.test(l)).map((l) => l.split(':')[0])).toEqual(['name', 'services', 'volumes']);
    expect(lines.filter((l) => /^ {2}\S/.test(l) && lines.indexOf(l) < lines.indexOf('volumes:')).map((l) => l.trim().replace(/:$/, ''))).toEqual(['db', 'app', 'proxy']);
    expect(text).toMatch(/^ {4}image: postgres:16$/m);
    expect(text).toMatch(/^ {6}replicas: 2$/m);
    expect(text).toMatch(/test: \["CMD-SHELL", "pg_isready/);
    expect(text).toContain('condition: service_healthy');
    for (const mounted of [...text.matchAll(/- \.\/([\w.-]+):/g)].map((m) => m[1]!)) {
      if (mounted !== 'certs') expect(existsSync(path.join(projectRoot, 'deploy', mounted)), `deploy/${mounted}`).toBe(true);
    }
  });

  it("nginx lets through the server's largest upload and passes the request id and the client's address", () => {
    const conf = read('deploy/nginx.conf');
    const mb = Number(/client_max_body_size (\d+)m;/.exec(conf)?.[1]);
    expect(mb * 1024 * 1024).toBeGreaterThanOrEqual(maxImportBytes);
    expect(conf).toContain('proxy_set_header X-Request-Id $request_id;');
    expect(conf).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(conf).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
  });
});
