import { useCallback, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { type OrderUpdate, useLiveOrders } from '../api/live.ts';
import { useSession } from '../api/session.ts';
import { productsByIds } from '../catalog.ts';
import { ErrorNote, money, PageTitle, StatusBadge, useAsync } from '../ui.tsx';
import { RequireSignIn } from './RequireSignIn.tsx';

export function OrderPage() {
  return (
    <RequireSignIn>
      <OrderDetails />
    </RequireSignIn>
  );
}

const explanation: Record<string, string> = {
  pending: 'We are reserving your items and charging your card. This page updates by itself.',
  confirmed: 'Your order is confirmed. A confirmation mail is on its way.',
  failed: 'Your order failed and nothing was charged; the items went back into stock.',
  cancelled: 'Your order was cancelled.',
};

/** One order; its status follows the gateway's live stream (and a slow poll while that is down). */
function OrderDetails() {
  const { id = '' } = useParams();
  const session = useSession();
  const order = useAsync(async () => {
    const found = dataOf(await api.order.GET('/order/{id}', { params: { path: { id } } }));
    const products = new Map((await productsByIds(found.items.map((line) => line.productId))).map((p) => [p.id, p.name]));
    return { ...found, names: products };
  }, [id]);
  const { reload } = order;
  const onUpdate = useCallback((update: OrderUpdate) => update.orderId === id && reload(), [id, reload]);
  const live = useLiveOrders(session?.token, onUpdate);
  const pending = order.data?.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    // The stream may have missed the change between placing and subscribing: look again now and
    // then while pending (every 2 s while the stream is down, every 10 s while it is up).
    const timer = setInterval(reload, live === 'live' ? 10_000 : 2_000);
    return () => clearInterval(timer);
  }, [pending, live, reload]);

  if (order.error && !order.data) {
    return (
      <section>
        <PageTitle title="Order not found">Order not found</PageTitle>
        <p>There is no order with this number in your account.</p>
        <Link to="/orders">Your orders</Link>
      </section>
    );
  }
  const o = order.data;
  if (!o) return <p>Loading the order…</p>;
  return (
    <section>
      <PageTitle title={`Order ${o.id.slice(-6)}`}>Order {o.id.slice(-6)}</PageTitle>
      <div className="order-status" role="status" aria-live="polite">
        <p>
          Status: <StatusBadge status={o.status} />
        </p>
        <p>
          {explanation[o.status]}
          {o.reason && o.status !== 'confirmed' ? ` Reason: ${o.reason}.` : ''}
        </p>
      </div>
      <p className="muted live-state">{live === 'live' ? 'Live updates on' : live === 'offline' ? 'Live updates reconnecting…' : 'Connecting live updates…'}</p>
      <ErrorNote error={order.error} />
      <table>
        <caption className="visually-hidden">Items of this order</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Quantity</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {o.items.map((line) => (
            <tr key={line.productId}>
              <td>
                <Link to={`/product/${line.productId}`}>{o.names.get(line.productId) ?? line.productId}</Link>
              </td>
              <td>{line.quantity}</td>
              <td>{money(line.price, o.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td>{money(o.total, o.currency)}</td>
          </tr>
        </tfoot>
      </table>
      <h2>Delivery address</h2>
      <address>
        {o.address.line1}
        {o.address.line2 ? (
          <>
            <br />
            {o.address.line2}
          </>
        ) : null}
        <br />
        {o.address.postalCode} {o.address.city}, {o.address.country}
      </address>
      <p className="muted">Paid with: {o.paymentInfo === 'card_declined' ? 'test card (always declined)' : o.paymentInfo}</p>
    </section>
  );
}
