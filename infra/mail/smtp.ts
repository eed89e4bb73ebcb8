import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import type { Mailbox } from './mailbox.ts';
import type { Refusals } from './refusals.ts';

const MAX_BYTES = 10 * 1024 * 1024;

function smtpError(code: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode: code });
}

/** An SMTP server that accepts every mail (no TLS, no auth) and keeps it, unless told to refuse. */
export function createSmtpServer(mailbox: Mailbox, refusals: Refusals): SMTPServer {
  return new SMTPServer({
    name: 'mail-catcher.local',
    banner: 'shop mail catcher',
    authOptional: true,
    // Plain text only: clients would otherwise try STARTTLS against a certificate they cannot trust.
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusals.refuses(address.address)) return callback(smtpError(451, '4.3.0 Mailbox temporarily unavailable, try again later'));
      callback();
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      if (to.some((address) => refusals.refuses(address))) {
        stream.on('end', () => callback(smtpError(451, '4.3.0 Mail not accepted right now, try again later')));
        stream.resume();
        return;
      }
      // Only the text is kept: no HTML made of it, no links looked for (most of the parser's work per mail).
      simpleParser(stream, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true })
        .then((parsed) => {
          if (stream.sizeExceeded) throw smtpError(552, '5.3.4 Message too big');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          return mailbox.save({
            from,
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
          });
        })
        .then(
          () => callback(),
          (error: SMTPServerError) => callback(error.responseCode ? error : smtpError(451, '4.3.0 Could not store the message')),
        );
    },
  });
}
