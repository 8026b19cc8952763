import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
if (process.argv[2] !== 'serve' || process.exitCode !== 0) {
  // Give stdout a moment to flush, then leave even if a handle lingers.
  setTimeout(() => process.exit(process.exitCode ?? 0), 50).unref();
}
