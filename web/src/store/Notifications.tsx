import { Link } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { dateTime, ErrorNote, PageTitle, useAsync } from '../ui.tsx';
import { RequireSignIn } from './RequireSignIn.tsx';

export function Notifications() {
  return (
    <RequireSignIn needs="customer">
      <NotificationList />
    </RequireSignIn>
  );
}

/** What notification-service told the customer (and mailed them). */
function NotificationList() {
  const session = useSession();
  const userId = session?.user.id ?? '';
  const list = useAsync(async () => dataOf(await api.notification.GET('/notifications', { params: { query: { userId } } })).items, [userId]);
  return (
    <section>
      <PageTitle title="Notifications">Notifications</PageTitle>
      <button type="button" className="secondary" onClick={list.reload}>
        Refresh
      </button>
      <ErrorNote error={list.error} />
      {list.data?.length === 0 ? <p>No notifications yet.</p> : null}
      <ul className="notifications" aria-label="Notifications">
        {(list.data ?? []).map((n) => (
          <li key={n.id}>
            <h2>{n.subject}</h2>
            <p>{n.message}</p>
            <p className="muted">
              {dateTime(n.createdAt)} · by {n.channel}: {n.status === 'SENT' ? 'sent' : n.status === 'PENDING' ? 'sending' : 'not sent yet, retrying'}
              {n.orderId ? (
                <>
                  {' · '}
                  <Link to={`/orders/${n.orderId}`}>Order {n.orderId.slice(-6)}</Link>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
