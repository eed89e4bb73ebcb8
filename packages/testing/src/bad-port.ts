import { once } from 'node:events';
import type { Server } from 'node:net';

/** Ports fetch refuses (the spec's "bad ports"; 6000, inventory-service's, is one too but often taken). */
const FETCH_BAD_PORTS = [6665, 6666, 6667, 6668, 6669];

/**
 * Makes `server` listen on loopback on the first free port among 6665-6669, which fetch refuses,
 * and returns that port: for tests that a client reaches a service fetch would not. Throws when
 * all of them are taken. The caller closes the server.
 */
export async function listenOnBadPort(server: Server): Promise<number> {
  for (const candidate of FETCH_BAD_PORTS) {
    server.listen(candidate, '127.0.0.1');
    // once() rejects when the server emits 'error' first (EADDRINUSE): then try the next port.
    const listening = await once(server, 'listening').then(
      () => true,
      () => false,
    );
    if (listening) return candidate;
  }
  throw new Error(`no free port among ${FETCH_BAD_PORTS.join(', ')}`);
}
