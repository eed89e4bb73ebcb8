/** Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html). */

/** One event: `event`, `id` and JSON `data` lines, ended by a blank line. JSON has no raw newline, so one data line. */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by readers, but traffic that keeps proxies from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** How long a reader waits before reconnecting after the stream broke. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}
