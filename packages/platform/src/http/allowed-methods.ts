/**
 * Which methods the routes of this app answer for a path, so that a known path asked with
 * another method gets 405 with `Allow` (RFC 9110), not a 404 that says the resource is not there.
 * Fastify itself answers 404 for both.
 */
export function createRouteTable() {
  const routes: { method: string; pattern: RegExp }[] = [];
  // `/order/:id` → ^/order/[^/]+$ ; a wildcard `*` matches the rest.
  const toPattern = (url: string) =>
    new RegExp(
      `^${url
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:[^/]+/g, '[^/]+')
        .replace(/\*/g, '.*')}/?$`,
    );
  return {
    add(methods: string | string[], url: string) {
      for (const method of [methods].flat()) routes.push({ method: method.toUpperCase(), pattern: toPattern(url) });
    },
    /** The methods some route answers for this path (HEAD comes with GET); empty when the path is unknown. */
    allowed(path: string): string[] {
      const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
      if (methods.has('GET')) methods.add('HEAD');
      return [...methods].sort();
    },
  };
}
