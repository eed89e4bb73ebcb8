import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { testBrokers } from '@shop/testing/env';

/**
 * startSystem() (tests/e2e/system.ts) runs the services in their default consumer groups
 * (`cart-service`, ...). Two systems on one Kafka at once would share those groups and take each
 * other's events: a cart never created, an inventory record that never appears. Until each
 * system gets groups of its own, wait until no one else is a member of them, and no service
 * process of another system on this Kafka is starting (it joins the groups only seconds after it
 * was spawned). Other test files that start a system come earlier in the test command's file
 * order, so they started first.
 */
const sharedGroups = ['cart-service', 'inventory-service', 'notification-service', 'order-service', 'payment-service'];

export async function waitForSharedGroupsIdle(options: { idleMs?: number; timeoutMs?: number; log?: (line: string) => void } = {}): Promise<void> {
  const idleMs = options.idleMs ?? 3000;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const admin = new Admin({ clientId: 'fuzz-guard', bootstrapBrokers: testBrokers() });
  try {
    let idleSince = Date.now();
    let told = false;
    for (;;) {
      const groups = await admin.describeGroups({ groups: sharedGroups });
      const busy = [...groups.values()].filter((group) => group.members.size > 0).map((group) => group.id);
      busy.push(...(await otherServiceProcesses()));
      if (busy.length > 0) {
        idleSince = Date.now();
        if (!told) options.log?.(`waiting for another system to leave the consumer groups ${busy.join(', ')}`);
        told = true;
      } else if (Date.now() - idleSince >= idleMs) {
        return;
      }
      if (Date.now() > deadline) throw new Error(`still in use by another system: ${busy.join(', ')}`);
      await sleep(500);
    }
  } finally {
    await admin.close();
  }
}

/** Service processes (services/<name>/src/server.ts) on this Kafka not started by this process (Linux /proc; none elsewhere). */
async function otherServiceProcesses(): Promise<string[]> {
  const broker = testBrokers().join(',');
  const found: string[] = [];
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      const service = /services\/(\w+)\/src\/server\.ts/.exec(cmdline)?.[1];
      if (!service) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s*(\d+)/m.exec(status)?.[1]) === process.pid) continue;
      const env = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      if (env.includes(`KAFKA_BROKER=${broker}`)) found.push(`${service} (pid ${pid})`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
