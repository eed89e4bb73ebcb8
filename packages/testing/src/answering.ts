import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { createServiceClient, type ServiceClient } from '@shop/platform/http/client';

/**
 * A client of `name` talking to a real local HTTP server that answers every request with
 * `status` and `body` as JSON (closed after the test): a dependency whose answer changed shape.
 */
export async function clientAnswering(t: TestContext, name: string, status: number, body: unknown): Promise<ServiceClient> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return createServiceClient({ name, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000, serviceToken: () => 'test', retries: 0 });
}

/** Matches the 503 a caller gives for an answer outside the contract, naming the mismatched field. */
export function contractMismatch(field: string) {
  return (error: { code?: string; status?: number; details?: { detail?: unknown } }) =>
    error.code === 'DEPENDENCY_UNAVAILABLE' && error.status === 503 && String(error.details?.detail).includes(field);
}
