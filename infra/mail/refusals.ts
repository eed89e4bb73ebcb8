/** Which recipients the SMTP side turns away with a temporary failure, for fault tests. */
export interface Refusals {
  /** `to` given: refuse (or accept again) that address only; else every address. */
  set(on: boolean, to?: string): void;
  refuses(address: string): boolean;
  state(): { all: boolean; addresses: string[] };
}

export function createRefusals(): Refusals {
  let all = false;
  const addresses = new Set<string>();
  return {
    set(on, to) {
      if (to === undefined) {
        all = on;
        if (!on) addresses.clear();
      } else if (on) addresses.add(to.toLowerCase());
      else addresses.delete(to.toLowerCase());
    },
    refuses: (address) => all || addresses.has(address.toLowerCase()),
    state: () => ({ all, addresses: [...addresses] }),
  };
}
