import { useState } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { listProducts, stockOf } from '../catalog.ts';
import { dateTime, ErrorNote, PageTitle, StatusBadge, useAsync } from '../ui.tsx';

const statuses = ['PENDING', 'COMMITTED', 'CANCELLED', 'EXPIRED'] as const;
type ReservationStatus = (typeof statuses)[number];

/** Stock per product (inventory-service) and the reservations orders hold on it. */
export function AdminStock() {
  const [status, setStatus] = useState<ReservationStatus | ''>('');
  const stock = useAsync(async () => {
    const products = await listProducts();
    return { products, levels: await stockOf(products.map((p) => p.id)) };
  }, []);
  const reservations = useAsync(
    async () => dataOf(await api.inventory.GET('/inventory/reservations', { params: { query: status ? { status } : {} } })).items,
    [status],
  );
  const names = new Map((stock.data?.products ?? []).map((p) => [p.id, p.name]));
  return (
    <section>
      <PageTitle title="Stock and reservations">Stock and reservations</PageTitle>
      <h2>Stock</h2>
      <ErrorNote error={stock.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">On hand</th>
              <th scope="col">Reserved</th>
              <th scope="col">Available</th>
            </tr>
          </thead>
          <tbody>
            {(stock.data?.products ?? []).map((p) => {
              const level = stock.data?.levels.get(p.id);
              return (
                <tr key={p.id}>
                  <td>
                    <Link to={`/product/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{level?.onHand ?? '—'}</td>
                  <td>{level?.reserved ?? '—'}</td>
                  <td>{level?.available ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Reservations</h2>
      <div className="field narrow">
        <label htmlFor="reservation-status">Status</label>
        <select id="reservation-status" value={status} onChange={(e) => setStatus(e.target.value as ReservationStatus | '')}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={reservations.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Reservation</th>
              <th scope="col">Order</th>
              <th scope="col">Items</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {(reservations.data ?? []).map((r) => (
              <tr key={r.reservationId}>
                <td>
                  <code>{r.reservationId.slice(-8)}</code>
                </td>
                <td>
                  <code>{r.orderId.slice(-8)}</code>
                </td>
                <td>{r.items.map((i) => `${i.quantity} × ${names.get(i.productId) ?? i.productId.slice(-6)}`).join(', ')}</td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.reason ? <div className="muted">{r.reason}</div> : null}
                </td>
                <td>{dateTime(r.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {reservations.data?.length === 0 ? <p>No reservations{status ? ` with status ${status.toLowerCase()}` : ''}.</p> : null}
    </section>
  );
}
