import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One received mail, as the HTTP API shows it. Addresses are the SMTP envelope's. */
export interface StoredMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  date: string;
  messageId?: string;
}

export interface Mailbox {
  save(mail: Omit<StoredMail, 'id' | 'date'>): Promise<StoredMail>;
  /** Oldest first; only mails with `to` among their recipients (any case) when given. */
  list(to?: string): Promise<StoredMail[]>;
  clear(): Promise<void>;
}

/** Mails kept as one JSON file each, named so that the name order is the arrival order. */
export async function createMailbox(dir: string): Promise<Mailbox> {
  await mkdir(dir, { recursive: true });
  let seq = 0;
  const files = async () => (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return {
    async save(mail) {
      const stored: StoredMail = { id: randomUUID(), date: new Date().toISOString(), ...mail };
      const name = `${Date.now()}-${String(seq++ % 1e6).padStart(6, '0')}-${stored.id}.json`;
      // Written aside and renamed, so a reader never sees half a file.
      await writeFile(join(dir, `.${name}.tmp`), JSON.stringify(stored));
      await rename(join(dir, `.${name}.tmp`), join(dir, name));
      return stored;
    },
    async list(to) {
      const wanted = to?.trim().toLowerCase();
      const mails: StoredMail[] = [];
      for (const name of await files()) {
        const mail = JSON.parse(await readFile(join(dir, name), 'utf8').catch(() => 'null')) as StoredMail | null;
        if (mail && (!wanted || mail.to.some((address) => address.toLowerCase() === wanted))) mails.push(mail);
      }
      return mails;
    },
    async clear() {
      for (const name of await files()) await rm(join(dir, name), { force: true });
    },
  };
}
