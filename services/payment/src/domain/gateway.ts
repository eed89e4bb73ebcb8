import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChargeRequest {
  /** The payment id: asking twice with the same key gets the same answer and charges once. */
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  method: string;
}

export type ChargeResult = { status: 'success' } | { status: 'failure'; reason: string };

/** The card processor as the payment rules see it. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

/** A number in [0, 1) fixed by the key, so the same payment always draws the same lot. */
export function lot(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** The simulated processor's answer: a pure function of the request and the failure rate. */
export function simulatedAnswer(request: ChargeRequest, failureRate: number): ChargeResult {
  if (request.method === 'card_declined') return { status: 'failure', reason: 'card declined' };
  if (request.method !== 'card') return { status: 'failure', reason: `unsupported payment method "${request.method}"` };
  if (lot(request.idempotencyKey) < failureRate) return { status: 'failure', reason: 'declined by the issuer' };
  return { status: 'success' };
}

/** A deterministic stand-in for a real gateway, with configurable latency and failure rate. */
export function createSimulatedGateway(options: { latencyMs: number; failureRate: number }): PaymentGateway {
  return {
    async charge(request) {
      if (options.latencyMs > 0) await sleep(options.latencyMs);
      return simulatedAnswer(request, options.failureRate);
    },
  };
}
