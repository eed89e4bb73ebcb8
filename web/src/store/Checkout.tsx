import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { useCart } from '../cart.tsx';
import { ErrorNote, PageTitle } from '../ui.tsx';
import { RequireSignIn } from './RequireSignIn.tsx';

const countries = [
  ['US', 'United States'],
  ['GB', 'United Kingdom'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['CA', 'Canada'],
  ['AU', 'Australia'],
] as const;

export function Checkout() {
  return (
    <RequireSignIn needs="customer">
      <CheckoutForm />
    </RequireSignIn>
  );
}

function CheckoutForm() {
  const session = useSession();
  const cart = useCart();
  const navigate = useNavigate();
  const [address, setAddress] = useState({ line1: '', line2: '', city: '', postalCode: '', country: 'US' });
  const [payment, setPayment] = useState<'card' | 'card_declined'>('card');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per visit of this page: pressing "Place order" twice (or retrying after a network
  // error) gives the same order, never two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const set = (key: keyof typeof address) => (e: { target: { value: string } }) => setAddress({ ...address, [key]: e.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      const { line2, ...required } = address;
      const order = dataOf(
        await api.order.POST('/order', {
          params: { header: { 'idempotency-key': idempotencyKey } },
          body: { userId: session.user.id, address: { ...required, ...(line2.trim() ? { line2 } : {}) }, paymentInfo: payment },
        }),
      );
      void cart.refresh();
      navigate(`/orders/${order.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (cart.lines.length === 0 && !busy) {
    return (
      <section>
        <PageTitle title="Checkout">Checkout</PageTitle>
        <p>
          Your cart is empty. <Link to="/">Browse the catalog</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow-page">
      <PageTitle title="Checkout">Checkout</PageTitle>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Delivery address</legend>
          <div className="field">
            <label htmlFor="line1">Street and number</label>
            <input id="line1" autoComplete="address-line1" required maxLength={200} value={address.line1} onChange={set('line1')} />
          </div>
          <div className="field">
            <label htmlFor="line2">Apartment, suite (optional)</label>
            <input id="line2" autoComplete="address-line2" maxLength={200} value={address.line2} onChange={set('line2')} />
          </div>
          <div className="field">
            <label htmlFor="city">City</label>
            <input id="city" autoComplete="address-level2" required maxLength={100} value={address.city} onChange={set('city')} />
          </div>
          <div className="field">
            <label htmlFor="postalCode">Postal code</label>
            <input
              id="postalCode"
              autoComplete="postal-code"
              required
              pattern="[A-Za-z0-9][A-Za-z0-9 \-]{1,11}"
              aria-describedby="postal-hint"
              value={address.postalCode}
              onChange={set('postalCode')}
            />
            <small id="postal-hint" className="hint">
              2 to 12 letters, digits, spaces or dashes.
            </small>
          </div>
          <div className="field">
            <label htmlFor="country">Country</label>
            <select id="country" autoComplete="country" value={address.country} onChange={set('country')}>
              {countries.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>Payment method</legend>
          <div className="choice">
            <input id="pay-card" type="radio" name="payment" value="card" checked={payment === 'card'} onChange={() => setPayment('card')} />
            <label htmlFor="pay-card">Card</label>
          </div>
          <div className="choice">
            <input
              id="pay-declined"
              type="radio"
              name="payment"
              value="card_declined"
              checked={payment === 'card_declined'}
              onChange={() => setPayment('card_declined')}
              aria-describedby="declined-hint"
            />
            <label htmlFor="pay-declined">Test card: always declined</label>
            <small id="declined-hint" className="hint">
              For trying out a failed payment: the order fails and the stock is given back.
            </small>
          </div>
        </fieldset>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Placing order…' : 'Place order'}
        </button>
      </form>
    </section>
  );
}
