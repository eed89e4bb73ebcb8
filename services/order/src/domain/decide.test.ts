import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type Fact, type OrderFacts, withFact } from './decide.ts';
import type { OrderStatus as Status } from './order.ts';

const succeeded: Fact = { kind: 'paymentSucceeded', paymentId: 'p1' };
const paymentFailed: Fact = { kind: 'paymentFailed', paymentId: 'p', reason: 'card declined' };
const committed: Fact = { kind: 'stockCommitted' };
const commitFailed: Fact = { kind: 'commitFailed', reason: 'gone' };
const expired: Fact = { kind: 'reservationExpired' };
const released: Fact = { kind: 'reservationReleased' };

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Feeds facts one by one as the service does; returns every status the order went through. */
function run(facts: Fact[]): Status[] {
  let status: Status = 'pending';
  let known: OrderFacts = {};
  const seen: Status[] = [];
  for (const fact of facts) {
    if (status !== 'pending') {
      seen.push(status);
      continue;
    }
    known = withFact(known, fact);
    status = decide(status, known)?.status ?? status;
    seen.push(status);
  }
  return seen;
}

const final = (facts: Fact[]) => run(facts).at(-1);

test('paid and committed, in either order, confirms; either alone stays pending', () => {
  for (const order of permutations<Fact>([succeeded, committed])) assert.equal(final(order), 'confirmed');
  assert.equal(final([succeeded]), 'pending');
  assert.equal(final([committed]), 'pending');
});

test('a failed payment or a failed commit fails the order in every order of arrival', () => {
  for (const order of permutations<Fact>([paymentFailed, released])) assert.equal(final(order), 'failed');
  for (const order of permutations<Fact>([succeeded, commitFailed])) assert.equal(final(order), 'failed');
  assert.equal(final([{ kind: 'aborted', reason: 'insufficient stock' }]), 'failed');
});

test('an expiry cancels only when no payment succeeded first; a paid expiry waits for commit or commit-failed', () => {
  assert.equal(final([expired]), 'cancelled');
  for (const order of permutations<Fact>([succeeded, expired, committed])) {
    const expected: Status = order.indexOf(expired) < order.indexOf(succeeded) ? 'cancelled' : 'confirmed';
    assert.equal(final(order), expected, JSON.stringify(order));
  }
  for (const order of permutations<Fact>([succeeded, expired, commitFailed])) {
    const at = (fact: Fact) => order.indexOf(fact);
    const expected: Status = at(expired) < at(succeeded) && at(expired) < at(commitFailed) ? 'cancelled' : 'failed';
    assert.equal(final(order), expected, JSON.stringify(order));
  }
  assert.equal(final([succeeded, expired]), 'pending');
});

test('in every order of every mix of events the status leaves pending at most once and never changes after', () => {
  const all = [succeeded, paymentFailed, committed, commitFailed, expired, released];
  for (const order of permutations(all)) {
    const seen = run([...order, ...order]);
    const firstTerminal = seen.findIndex((s) => s !== 'pending');
    assert.ok(firstTerminal >= 0, 'some fact ends the order');
    assert.ok(
      seen.slice(firstTerminal).every((s) => s === seen[firstTerminal]),
      JSON.stringify(seen),
    );
    // Confirmed only if both facts came before any fact that rules it out.
    if (seen[firstTerminal] === 'confirmed') {
      const prefix = order.slice(0, firstTerminal + 1);
      assert.ok(prefix.includes(succeeded) && prefix.includes(committed));
      assert.ok(!prefix.includes(paymentFailed) && !prefix.includes(commitFailed));
    }
  }
});

test('terminal states never change, whatever is decided from them', () => {
  const everything: OrderFacts = { paymentSucceeded: 'p', stockCommitted: true, paymentFailed: 'x', reservationExpired: true };
  for (const status of ['confirmed', 'failed', 'cancelled'] as const) assert.equal(decide(status, everything), null);
});

test('a fact repeated with another value keeps the first one', () => {
  const facts = withFact(withFact({}, succeeded), { kind: 'paymentSucceeded', paymentId: 'p2' });
  assert.equal(facts.paymentSucceeded, 'p1');
  assert.deepEqual(withFact(withFact({}, committed), committed), { stockCommitted: true });
});
