import { useState } from 'react';
import { api, dataOf } from '../api/client.ts';
import { dateTime, ErrorNote, money, PageTitle, StatusBadge, useAsync } from '../ui.tsx';

const statuses = ['pending', 'confirmed', 'failed', 'cancelled'] as const;
type OrderStatus = (typeof statuses)[number];

/** Every customer's orders by status (order-service GET /orders, admin only). */
export function AdminOrders() {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [cursor, setCursor] = useState<string | null>(null);
  const orders = useAsync(async () => {
    const page = dataOf(await api.order.GET('/orders', { params: { query: { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } } }));
    return { items: page.items, nextCursor: page.nextCursor, from: cursor };
  }, [status, cursor]);
  const pick = (next: OrderStatus | '') => {
    setStatus(next);
    setCursor(null);
  };
  return (
    <section>
      <PageTitle title="Orders">Orders</PageTitle>
      <div className="field narrow">
        <label htmlFor="order-status">Status</label>
        <select id="order-status" value={status} onChange={(e) => pick(e.target.value as OrderStatus | '')}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={orders.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Placed</th>
              <th scope="col">Total</th>
              <th scope="col">Payment</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {(orders.data?.items ?? []).map((o) => (
              <tr key={o.id}>
                <td>
                  <code>{o.id.slice(-8)}</code>
                </td>
                <td>
                  <code>{o.userId.slice(-8)}</code>
                </td>
                <td>{dateTime(o.createdAt)}</td>
                <td>{money(o.total, o.currency)}</td>
                <td>{o.paymentInfo}</td>
                <td>
                  <StatusBadge status={o.status} />
                  {o.reason ? <div className="muted">{o.reason}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {orders.data?.items.length === 0 ? <p>No orders{status ? ` with status ${status}` : ''}.</p> : null}
      <div className="pager">
        {orders.data?.from ? (
          <button type="button" className="secondary" onClick={() => setCursor(null)}>
            Newest orders
          </button>
        ) : null}
        {orders.data?.nextCursor ? (
          <button type="button" className="secondary" onClick={() => setCursor(orders.data?.nextCursor ?? null)}>
            Older orders
          </button>
        ) : null}
      </div>
    </section>
  );
}
