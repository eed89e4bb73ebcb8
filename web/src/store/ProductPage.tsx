import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { productImageUrl } from '../art/product-art.ts';
import { ErrorNote, money, PageTitle, useAsync } from '../ui.tsx';
import { AddToCart, StockText } from './AddToCart.tsx';

/** One product with its live stock (product-service fetches it from inventory-service). */
export function ProductPage() {
  const { id = '' } = useParams();
  const product = useAsync(async () => dataOf(await api.product.GET('/product/{id}', { params: { path: { id } } })), [id]);
  const [quantity, setQuantity] = useState(1);
  if (product.error) {
    return (
      <section>
        <PageTitle title="Product not found">Product not found</PageTitle>
        <ErrorNote error={product.error} />
        <Link to="/">Back to the catalog</Link>
      </section>
    );
  }
  const p = product.data;
  if (!p) return <p>Loading…</p>;
  const available = p.inventory?.available ?? null;
  return (
    <article className="product">
      <img src={productImageUrl(p.id, p.category)} alt={`Illustration of ${p.name}`} width={320} height={240} />
      <div>
        <PageTitle title={p.name}>{p.name}</PageTitle>
        <p className="muted">
          <Link to={`/?category=${encodeURIComponent(p.category)}`}>{p.category}</Link>
        </p>
        <p className="price">{money(p.price, p.currency)}</p>
        <p>
          <StockText available={available} />
        </p>
        {p.description ? <p>{p.description}</p> : null}
        <div className="field narrow">
          <label htmlFor="quantity">Quantity</label>
          <input
            id="quantity"
            type="number"
            min={1}
            max={Math.max(1, available ?? 1)}
            value={quantity}
            onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))}
          />
        </div>
        <AddToCart productId={p.id} name={p.name} available={available} quantity={quantity} />
      </div>
    </article>
  );
}
