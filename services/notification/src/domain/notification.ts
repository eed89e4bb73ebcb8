/** `PENDING` only between storing a notification and its first attempt (or while it is being sent). */
export type NotificationStatus = 'PENDING' | 'SENT' | 'FAILED';

/** What an event says to its user, before it is stored. */
export interface NotificationDraft {
  /** The event it comes from: one notification per event, however often the event is delivered. */
  eventId: string;
  userId: string;
  orderId?: string;
  type: string;
  subject: string;
  message: string;
}

export interface NotificationRecord extends NotificationDraft {
  id: string;
  channel: 'email';
  status: NotificationStatus;
  /** The address it goes to; unknown until the recipient is found. */
  to?: string;
  attempts: number;
  error?: string;
  createdAt: Date;
  sentAt?: Date;
  /** When the sweeper may (re)try it; also the end of a claim's lease. Absent once SENT or given up. */
  nextAttemptAt?: Date;
}

export interface Recipient {
  email: string;
  name: string;
}

export function toPublicNotification(n: NotificationRecord) {
  return {
    id: n.id,
    userId: n.userId,
    ...(n.orderId ? { orderId: n.orderId } : {}),
    type: n.type,
    subject: n.subject,
    message: n.message,
    channel: n.channel,
    status: n.status,
    attempts: n.attempts,
    ...(n.error ? { error: n.error } : {}),
    createdAt: n.createdAt.toISOString(),
    ...(n.sentAt ? { sentAt: n.sentAt.toISOString() } : {}),
  };
}
