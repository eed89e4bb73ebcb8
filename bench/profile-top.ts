/**
 * Reads a .cpuprofile (from `node --cpu-prof`) and prints where the time went: by origin
 * (package, node core, own code, GC), the top functions by self time, and the project's own
 * functions by inclusive time.
 *   node bench/profile-top.ts <file.cpuprofile> [--top 20] [--from-us N --to-us N]
 */
import { parseArgs } from 'node:util';
import { readProfile, summariseProfile } from './lib/profile.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '20' }, 'from-us': { type: 'string' }, 'to-us': { type: 'string' } },
});
if (positionals.length === 0) {
  console.error('usage: node bench/profile-top.ts <file.cpuprofile> [--top 20] [--from-us N --to-us N]');
  process.exit(2);
}
for (const file of positionals) {
  const window = values['from-us'] && values['to-us'] ? { fromUs: Number(values['from-us']), toUs: Number(values['to-us']) } : undefined;
  const summary = summariseProfile(readProfile(file), window, Number(values.top));
  console.log(`${file}: ${summary.windowMs.toFixed(0)} ms sampled, ${summary.busyMs.toFixed(0)} ms busy`);
  const print = (title: string, list: typeof summary.topSelf) => {
    console.log(`\n${title}`);
    for (const f of list) console.log(`  ${f.ms.toFixed(0).padStart(7)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.frame}  ${f.where}`);
  };
  print('by origin', summary.byOrigin);
  print('self time', summary.topSelf);
  print('own code, inclusive', summary.topOwnInclusive);
}
