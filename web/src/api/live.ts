import { useEffect, useState } from 'react';
import { parseSse } from './sse.ts';

/** A change of one of the caller's orders, as the gateway streams it from order-events. */
export interface OrderUpdate {
  orderId: string;
  status?: string;
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Follows GET /api/gateway/live/orders (Server-Sent Events) with fetch, because EventSource
 * cannot send the Authorization header. Reconnects after a drop; calls `onUpdate` per event.
 */
export function useLiveOrders(token: string | undefined, onUpdate: (update: OrderUpdate) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!token) return;
    const stop = new AbortController();
    const follow = async () => {
      while (!stop.signal.aborted) {
        try {
          const response = await fetch('/api/gateway/live/orders', {
            headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
            signal: stop.signal,
          });
          if (!response.ok || !response.body) throw new Error(`live orders answered ${response.status}`);
          setState('live');
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseSse(buffer + value);
            buffer = parsed.rest;
            for (const event of parsed.events) {
              const update = toUpdate(event.data);
              if (update) onUpdate(update);
            }
          }
        } catch {
          if (stop.signal.aborted) return;
        }
        setState('offline');
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    };
    void follow();
    return () => stop.abort();
  }, [token, onUpdate]);
  return state;
}

function toUpdate(data: string): OrderUpdate | null {
  try {
    const parsed = JSON.parse(data) as { orderId?: unknown; id?: unknown; status?: unknown };
    const orderId = typeof parsed.orderId === 'string' ? parsed.orderId : typeof parsed.id === 'string' ? parsed.id : null;
    if (!orderId) return null;
    return typeof parsed.status === 'string' ? { orderId, status: parsed.status } : { orderId };
  } catch {
    return null;
  }
}
