import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { productImageUrl } from '../art/product-art.ts';
import { listProducts, stockOf } from '../catalog.ts';
import { ErrorNote, money, PageTitle, useAsync } from '../ui.tsx';
import { AddToCart, StockText } from './AddToCart.tsx';

/** The storefront: every product, by category and search, with its live stock. */
export function Catalog() {
  const [params, setParams] = useSearchParams();
  const category = params.get('category') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const categories = useAsync(async () => [...new Set((await listProducts()).map((p) => p.category))].sort(), []);
  const products = useAsync(async () => {
    const items = await listProducts({ category, q });
    return { items, stock: await stockOf(items.map((p) => p.id)) };
  }, [category, q]);

  const apply = (next: { category?: string; q?: string }) => {
    const merged = { category, q, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({ q: search.trim() });
  };

  return (
    <section>
      <PageTitle title="Catalog">Catalog</PageTitle>
      <search>
        <form className="filters" onSubmit={submit}>
          <div className="field">
            <label htmlFor="search">Search products</label>
            <input id="search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="category">Category</label>
            <select id="category" value={category} onChange={(e) => apply({ category: e.target.value })}>
              <option value="">All categories</option>
              {(categories.data ?? []).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Search</button>
        </form>
      </search>
      <ErrorNote error={products.error} />
      {products.data ? (
        <>
          <p role="status" className="muted">
            {products.data.items.length} {products.data.items.length === 1 ? 'product' : 'products'}
            {category ? ` in ${category}` : ''}
            {q ? ` matching “${q}”` : ''}
          </p>
          <ul className="grid" aria-label="Products">
            {products.data.items.map((product) => {
              const available = products.data?.stock.get(product.id)?.available ?? null;
              return (
                <li key={product.id} className="card">
                  <img src={productImageUrl(product.id, product.category)} alt="" width={320} height={240} />
                  <h2>
                    <Link to={`/product/${product.id}`}>{product.name}</Link>
                  </h2>
                  <p className="muted">{product.category}</p>
                  <p className="price">{money(product.price, product.currency)}</p>
                  <StockText available={available} />
                  <AddToCart productId={product.id} name={product.name} available={available} />
                </li>
              );
            })}
          </ul>
        </>
      ) : products.loading ? (
        <p>Loading the catalog…</p>
      ) : null}
    </section>
  );
}
