import { useState } from 'react';
import { Link } from 'react-router';
import { productImageUrl } from '../art/product-art.ts';
import { useCart } from '../cart.tsx';
import { productsByIds } from '../catalog.ts';
import { ErrorNote, money, PageTitle, useAsync } from '../ui.tsx';
import { RequireSignIn } from './RequireSignIn.tsx';

export function CartPage() {
  return (
    <RequireSignIn needs="customer">
      <CartContents />
    </RequireSignIn>
  );
}

function CartContents() {
  const cart = useCart();
  const ids = cart.lines.map((line) => line.productId);
  const products = useAsync(async () => new Map((await productsByIds(ids)).map((p) => [p.id, p])), [ids.join(',')]);
  const [error, setError] = useState<unknown>(null);
  const act = (work: () => Promise<void>) => () => {
    setError(null);
    work().catch(setError);
  };
  const total = cart.lines.reduce((sum, line) => sum + (products.data?.get(line.productId)?.price ?? 0) * line.quantity, 0);
  return (
    <section>
      <PageTitle title="Your cart">Your cart</PageTitle>
      <ErrorNote error={error ?? products.error} />
      {cart.lines.length === 0 ? (
        <p>
          Your cart is empty. <Link to="/">Browse the catalog</Link>
        </p>
      ) : (
        <>
          <ul className="cart-lines" aria-label="Cart items">
            {cart.lines.map((line) => {
              const product = products.data?.get(line.productId);
              const name = product?.name ?? 'Product';
              return (
                <li key={line.productId} className="cart-line">
                  {product ? <img src={productImageUrl(product.id, product.category)} alt="" width={96} height={72} /> : null}
                  <div className="grow">
                    <Link to={`/product/${line.productId}`}>{name}</Link>
                    {product ? <div className="muted">{money(product.price, product.currency)} each</div> : null}
                  </div>
                  <QuantityInput
                    label={`Quantity of ${name}`}
                    value={line.quantity}
                    onChange={(quantity) => act(() => cart.setQuantity(line.productId, quantity))()}
                  />
                  <button type="button" className="secondary" onClick={act(() => cart.remove(line.productId))} aria-label={`Remove ${name}`}>
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="total">
            Total: <strong>{money(Math.round(total * 100) / 100)}</strong>
            <span className="muted"> (prices are confirmed when you place the order)</span>
          </p>
          <Link className="button" to="/checkout">
            Go to checkout
          </Link>
        </>
      )}
    </section>
  );
}

/** A quantity field that saves when it changes and loses focus (or Enter), not on every keystroke. */
function QuantityInput({ label, value, onChange }: { label: string; value: number; onChange: (quantity: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  const save = () => {
    const quantity = Math.trunc(Number(draft));
    if (quantity >= 1 && quantity !== value) onChange(quantity);
    else setDraft(String(value));
  };
  return (
    <label className="quantity">
      <span className="visually-hidden">{label}</span>
      <input
        type="number"
        min={1}
        max={10000}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && save()}
      />
    </label>
  );
}
