import { Link } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { dateTime, ErrorNote, money, PageTitle, StatusBadge, useAsync } from '../ui.tsx';
import { RequireSignIn } from './RequireSignIn.tsx';

export function OrderHistory() {
  return (
    <RequireSignIn needs="customer">
      <Orders />
    </RequireSignIn>
  );
}

function Orders() {
  const session = useSession();
  const id = session?.user.id ?? '';
  const orders = useAsync(async () => dataOf(await api.order.GET('/orders/user/{id}', { params: { path: { id } } })).items, [id]);
  return (
    <section>
      <PageTitle title="Your orders">Your orders</PageTitle>
      <ErrorNote error={orders.error} />
      {orders.data?.length === 0 ? <p>No orders yet.</p> : null}
      {orders.data && orders.data.length > 0 ? (
        <table>
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Items</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>Order {o.id.slice(-6)}</Link>
                </td>
                <td>{dateTime(o.createdAt)}</td>
                <td>{o.items.reduce((n, line) => n + line.quantity, 0)}</td>
                <td>{money(o.total, o.currency)}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
