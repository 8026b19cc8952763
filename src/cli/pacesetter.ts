import { main } from './main';

// A reader that stops early (`pacesetter jobs list | head -3`) closes the pipe: end quietly, as Unix
// tools do, instead of crashing on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
if (process.argv[2] !== 'serve' || process.exitCode !== 0) {
  // Give stdout a moment to flush, then leave even if a handle lingers.
  setTimeout(() => process.exit(process.exitCode ?? 0), 50).unref();
}
