/**
 * Who may do what in Kafka: deploy/kafka-access.json (topics each service writes and reads) turned
 * into ACL grants by one rule, so compose, Kubernetes and the test on a real broker agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topics as contractTopics } from '@shop/contracts';
import { ROOT } from './support.ts';

export interface ServiceAccess {
  writes: string[];
  reads: string[];
  /** Reads every `<topic>.dlq` (the gateway's dead-letter pages). */
  readsDeadLetters?: boolean;
}

export type Operation = 'Read' | 'Write' | 'Describe';

/** One resource and what a principal may do with it (literal names only). */
export interface Grant {
  type: 'topic' | 'group';
  name: string;
  operations: Operation[];
}

export function kafkaAccess(): Record<string, ServiceAccess> {
  const table = JSON.parse(readFileSync(join(ROOT, 'deploy/kafka-access.json'), 'utf8')) as Record<string, ServiceAccess | string>;
  return Object.fromEntries(Object.entries(table).filter((entry): entry is [string, ServiceAccess] => typeof entry[1] === 'object'));
}

/**
 * The rule: a service writes its own topics and the dead-letter topics of what it consumes
 * (`<topic>.dlq`), reads what it consumes in its own consumer group (its name), and may see
 * (Describe) every topic it checks for at start, the DLQs included. Nothing else: no Create, no
 * Alter, no other group. One addition, for the gateway's dead-letter pages: `readsDeadLetters`
 * reads every `<topic>.dlq`.
 */
export function grantsFor(service: string, access: ServiceAccess): Grant[] {
  const topics = new Map<string, Set<Operation>>();
  const allow = (name: string, ...operations: Operation[]) => {
    const set = topics.get(name) ?? new Set<Operation>();
    for (const operation of operations) set.add(operation);
    topics.set(name, set);
  };
  for (const topic of access.writes) allow(topic, 'Write', 'Describe');
  for (const topic of access.reads) allow(topic, 'Read', 'Describe');
  for (const topic of access.reads) allow(`${topic}.dlq`, 'Write', 'Describe');
  for (const topic of access.writes) allow(`${topic}.dlq`, 'Describe');
  if (access.readsDeadLetters) for (const topic of Object.values(contractTopics)) allow(`${topic}.dlq`, 'Read', 'Describe');
  const order: Operation[] = ['Read', 'Write', 'Describe'];
  const grants: Grant[] = [...topics]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, operations]) => ({ type: 'topic', name, operations: order.filter((op) => operations.has(op)) }));
  if (access.reads.length > 0) grants.push({ type: 'group', name: service, operations: ['Read'] });
  return grants;
}

/** Grants compared as sorted `type:name:Operation` lines, whatever their grouping. */
export function grantLines(grants: Grant[]): string[] {
  return grants.flatMap((grant) => grant.operations.map((operation) => `${grant.type}:${grant.name}:${operation}`)).sort();
}
