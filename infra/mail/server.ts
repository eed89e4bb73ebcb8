import { once } from 'node:events';
import { resolve } from 'node:path';
import { createHttpApi } from './http.ts';
import { createMailbox } from './mailbox.ts';
import { createRefusals } from './refusals.ts';
import { createSmtpServer } from './smtp.ts';

/** Local mail catcher: SMTP in, JSON files on disk, HTTP out. Configured by environment only. */
const env = process.env;
const host = env.MAIL_BIND ?? '127.0.0.1';
const smtpPort = Number(env.SMTP_PORT ?? 1025);
const httpPort = Number(env.MAIL_HTTP_PORT ?? 8025);
const dir = resolve(env.MAIL_DIR ?? '.data/mail');
if (!Number.isInteger(smtpPort) || !Number.isInteger(httpPort)) {
  console.error('mail catcher: SMTP_PORT and MAIL_HTTP_PORT must be port numbers');
  process.exit(2);
}

const mailbox = await createMailbox(dir);
const refusals = createRefusals();
const smtp = createSmtpServer(mailbox, refusals);
const http = createHttpApi(mailbox, refusals);
try {
  smtp.listen(smtpPort, host);
  await once(smtp.server, 'listening');
  http.listen(httpPort, host);
  await once(http, 'listening');
} catch (error) {
  console.error(`mail catcher: cannot listen: ${(error as Error).message}`);
  process.exit(1);
}
smtp.on('error', (error) => console.error(`mail catcher: SMTP error: ${error.message}`));
console.log(`mail catcher: SMTP on ${host}:${smtpPort}, HTTP on http://${host}:${httpPort}/, mails in ${dir}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`mail catcher: ${signal}, stopping`);
  setTimeout(() => process.exit(1), 5_000).unref();
  await Promise.all([new Promise((done) => smtp.close(() => done(undefined))), new Promise((done) => http.close(() => done(undefined)))]);
  http.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
