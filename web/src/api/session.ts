import { useSyncExternalStore } from 'react';

/** Who is signed in: the token from POST /login and the user it was issued for. */
export interface Session {
  token: string;
  user: { id: string; name: string; email: string; role: 'customer' | 'admin' };
}

const KEY = 'shop.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** The session now, outside React (the API client's auth middleware reads it per request). */
export const currentSession = () => current;

/** Signs in (a session) or out (null); kept in localStorage so a reload stays signed in. */
export function setSession(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The session, re-rendering when it changes. */
export const useSession = () => useSyncExternalStore(subscribe, currentSession);
