/** One frame of a text/event-stream: an event (with its JSON data) or a comment. */
export type Frame = { kind: 'event'; event: string; id?: string; data: unknown } | { kind: 'comment'; text: string };

/**
 * Reads a Server-Sent Events stream with fetch, as the web app does (EventSource cannot send the
 * Authorization header), collecting frames until `close()`.
 */
export async function openStream(url: string, token?: string) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const reading = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          frames.push(parseFrame(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    for (const wake of waiters) wake();
  })();

  return {
    response,
    frames,
    get ended() {
      return ended;
    },
    /** Resolves with the first frame `match` accepts, or throws after `timeoutMs`. */
    async waitFor(match: (frame: Frame) => boolean, timeoutMs = 30_000): Promise<Frame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        if (ended) throw new Error(`stream ended without the frame; got ${JSON.stringify(frames)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`frame not seen in ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    /** Resolves once the server has ended the stream. */
    async whenEnded(): Promise<void> {
      await reading;
    },
    async close(): Promise<void> {
      abort.abort();
      await reading;
    },
  };
}

function parseFrame(text: string): Frame {
  if (text.startsWith(':')) return { kind: 'comment', text: text.slice(1).trim() };
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const data = fields.get('data');
  return { kind: 'event', event: fields.get('event') ?? 'message', id: fields.get('id'), data: data === undefined ? undefined : JSON.parse(data) };
}
