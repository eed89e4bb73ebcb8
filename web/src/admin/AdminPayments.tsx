import { useState } from 'react';
import { api, dataOf } from '../api/client.ts';
import { dateTime, ErrorNote, money, PageTitle, StatusBadge, useAsync } from '../ui.tsx';

/** Every payment (payment-service GET /payments as admin); refunds are payments whose status is refunded. */
export function AdminPayments() {
  const [onlyRefunds, setOnlyRefunds] = useState(false);
  const payments = useAsync(async () => dataOf(await api.payment.GET('/payments', { params: { query: { limit: 200 } } })).items, []);
  const shown = (payments.data ?? []).filter((p) => !onlyRefunds || p.status === 'refunded');
  return (
    <section>
      <PageTitle title="Payments and refunds">Payments and refunds</PageTitle>
      <div className="choice">
        <input id="only-refunds" type="checkbox" checked={onlyRefunds} onChange={(e) => setOnlyRefunds(e.target.checked)} />
        <label htmlFor="only-refunds">Refunds only</label>
      </div>
      <ErrorNote error={payments.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col">Order</th>
              <th scope="col">Amount</th>
              <th scope="col">Method</th>
              <th scope="col">Status</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <td>
                  <code>{p.id.slice(-8)}</code>
                </td>
                <td>
                  <code>{p.orderId.slice(-8)}</code>
                </td>
                <td>{money(p.amount, p.currency)}</td>
                <td>{p.method}</td>
                <td>
                  <StatusBadge status={p.status} />
                  {p.reason ? <div className="muted">{p.reason}</div> : null}
                  {p.refundReason ? <div className="muted">Refunded: {p.refundReason}</div> : null}
                </td>
                <td>{dateTime(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {payments.data && shown.length === 0 ? <p>No {onlyRefunds ? 'refunds' : 'payments'} yet.</p> : null}
    </section>
  );
}
