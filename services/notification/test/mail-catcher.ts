import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts, waitForOk } from '@shop/testing/processes';
import type { StoredMail } from '../../../infra/mail/mailbox.ts';

export interface MailCatcher {
  smtpPort: number;
  /** Mails for `to`, oldest first. */
  messages(to: string): Promise<StoredMail[]>;
  /** Refuse (451) or accept again mail for one address; per address, so tests sharing a catcher stay apart. */
  refuse(to: string, on: boolean): Promise<void>;
}

const SERVER = fileURLToPath(new URL('../../../infra/mail/server.ts', import.meta.url));

/**
 * The project's mail catcher (infra/mail): the shared one when SMTP_PORT and MAIL_HTTP_PORT are
 * set (scripts/test.sh), else one of this file's own on free ports, stopped after the file.
 */
export async function mailCatcher(t: Pick<TestContext, 'after'>): Promise<MailCatcher> {
  let smtpPort = Number(process.env.SMTP_PORT);
  let httpPort = Number(process.env.MAIL_HTTP_PORT);
  if (!smtpPort || !httpPort) {
    [smtpPort, httpPort] = await freePorts(2);
    const dir = await mkdtemp(join(tmpdir(), 'mail-catcher-'));
    const child = spawn(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH ?? '', SMTP_PORT: String(smtpPort), MAIL_HTTP_PORT: String(httpPort), MAIL_DIR: dir },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    t.after(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    });
  }
  const api = `http://127.0.0.1:${httpPort}`;
  await waitForOk(`${api}/api/health`, 10_000);
  return {
    smtpPort,
    async messages(to) {
      const response = await fetch(`${api}/api/messages?to=${encodeURIComponent(to)}`);
      return (await response.json()) as StoredMail[];
    },
    async refuse(to, on) {
      const response = await fetch(`${api}/api/refuse`, { method: 'POST', body: JSON.stringify({ on, to }) });
      if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
    },
  };
}
