import { Id, Page, PageQuery, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

export const Notification = Type.Object({
  id: Id,
  userId: Id,
  orderId: Type.Optional(Id),
  type: Type.String({ description: 'The event it tells about, e.g. order.confirmed' }),
  subject: Type.String(),
  message: Type.String(),
  channel: Type.Literal('email'),
  status: Type.Union([Type.Literal('SENT'), Type.Literal('FAILED'), Type.Literal('PENDING')], {
    description: 'PENDING only until the first attempt; FAILED ones are retried with backoff',
  }),
  attempts: Type.Integer({ minimum: 0 }),
  error: Type.Optional(Type.String({ description: 'Why the last attempt failed' })),
  createdAt: Timestamp,
  sentAt: Type.Optional(Timestamp),
});

export const ListQuery = Type.Object({ ...PageQuery, userId: Type.Optional(Id), cursor: Type.Optional(Id) }, { additionalProperties: false });
export const NotificationPage = Page(Notification);
