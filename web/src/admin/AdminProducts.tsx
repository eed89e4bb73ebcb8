import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { productImageUrl } from '../art/product-art.ts';
import { listProducts, type Product, type Stock, stockOf } from '../catalog.ts';
import { ErrorNote, money, PageTitle, useAsync } from '../ui.tsx';

const emptyForm = { name: '', category: '', price: '', description: '', stock: '0' };

/** Products: create, edit, delete, and set each one's stock on hand. */
export function AdminProducts() {
  const products = useAsync(async () => {
    const items = await listProducts();
    return { items, stock: await stockOf(items.map((p) => p.id)) };
  }, []);
  const [note, setNote] = useState('');
  return (
    <section>
      <PageTitle title="Products">Products</PageTitle>
      <CreateProduct
        onCreated={(name) => {
          setNote(`Created ${name}.`);
          products.reload();
        }}
      />
      <p role="status" className="note">
        {note}
      </p>
      <ErrorNote error={products.error} />
      <h2>All products ({products.data?.items.length ?? '…'})</h2>
      <ul className="admin-products" aria-label="All products">
        {(products.data?.items ?? []).map((product) => (
          <ProductRow
            key={product.id}
            product={product}
            stock={products.data?.stock.get(product.id) ?? null}
            onChanged={(what) => {
              setNote(what);
              products.reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function CreateProduct({ onCreated }: { onCreated: (name: string) => void }) {
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = {
        name: form.name,
        category: form.category,
        price: Number(form.price),
        stock: Number(form.stock),
        ...(form.description.trim() ? { description: form.description } : {}),
      };
      dataOf(await api.product.POST('/product', { body }));
      setForm(emptyForm);
      onCreated(body.name);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-product">
      <h2 id="new-product">New product</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="new-name">Name</label>
          <input id="new-name" required maxLength={200} value={form.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor="new-category">Category</label>
          <input id="new-category" required maxLength={100} value={form.category} onChange={set('category')} />
        </div>
        <div className="field">
          <label htmlFor="new-price">Price (USD)</label>
          <input id="new-price" type="number" required min={0} step={0.01} value={form.price} onChange={set('price')} />
        </div>
        <div className="field">
          <label htmlFor="new-stock">Stock on hand</label>
          <input id="new-stock" type="number" required min={0} step={1} value={form.stock} onChange={set('stock')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="new-description">Description (optional)</label>
        <textarea id="new-description" maxLength={5000} rows={2} value={form.description} onChange={set('description')} />
      </div>
      <ErrorNote error={error} />
      <button type="submit">Create product</button>
    </form>
  );
}

function ProductRow({ product, stock, onChanged }: { product: Product; stock: Stock | null; onChanged: (what: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name: product.name, category: product.category, price: String(product.price), description: product.description ?? '' });
  const [onHand, setOnHand] = useState(String(stock?.onHand ?? 0));
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const run = (work: () => Promise<string>) => {
    setError(null);
    work().then(onChanged, setError);
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const body = { name: form.name, category: form.category, price: Number(form.price), description: form.description };
      dataOf(await api.product.PATCH('/product/{id}', { params: { path: { id: product.id } }, body }));
      setEditing(false);
      return `Saved ${form.name}.`;
    });
  };
  const remove = () => {
    if (!window.confirm(`Delete ${product.name}? Its stock record goes too.`)) return;
    run(async () => {
      const answer = await api.product.DELETE('/product/{id}', { params: { path: { id: product.id } } });
      if (!answer.response.ok) dataOf(answer);
      return `Deleted ${product.name}.`;
    });
  };
  const setStock = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      if (!stock?.id) throw new Error('This product has no stock record yet; try again in a moment.');
      dataOf(await api.inventory.PATCH('/inventory/{id}', { params: { path: { id: stock.id } }, body: { onHand: Number(onHand) } }));
      return `Set the stock of ${product.name} to ${onHand}.`;
    });
  };
  return (
    <li className="admin-product">
      <img src={productImageUrl(product.id, product.category)} alt="" width={96} height={72} />
      <div className="grow">
        {editing ? (
          <form onSubmit={save} aria-label={`Edit ${product.name}`}>
            <div className="form-grid">
              <div className="field">
                <label htmlFor={`name-${product.id}`}>Name</label>
                <input id={`name-${product.id}`} required value={form.name} onChange={set('name')} />
              </div>
              <div className="field">
                <label htmlFor={`category-${product.id}`}>Category</label>
                <input id={`category-${product.id}`} required value={form.category} onChange={set('category')} />
              </div>
              <div className="field">
                <label htmlFor={`price-${product.id}`}>Price</label>
                <input id={`price-${product.id}`} type="number" min={0} step={0.01} required value={form.price} onChange={set('price')} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`description-${product.id}`}>Description</label>
              <textarea id={`description-${product.id}`} rows={2} value={form.description} onChange={set('description')} />
            </div>
            <button type="submit">Save</button>{' '}
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <h3>
              <Link to={`/product/${product.id}`}>{product.name}</Link>
            </h3>
            <p className="muted">
              {product.category} · {money(product.price, product.currency)} ·{' '}
              {stock ? `${stock.onHand} on hand, ${stock.reserved} reserved, ${stock.available} available` : 'no stock record yet'}
            </p>
            <button type="button" className="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${product.name}`}>
              Edit
            </button>{' '}
            <button type="button" className="danger" onClick={remove} aria-label={`Delete ${product.name}`}>
              Delete
            </button>
          </>
        )}
        <form className="inline-form" onSubmit={setStock}>
          <label htmlFor={`onhand-${product.id}`}>Stock on hand of {product.name}</label>
          <input id={`onhand-${product.id}`} type="number" min={0} step={1} value={onHand} onChange={(e) => setOnHand(e.target.value)} />
          <button type="submit" className="secondary">
            Set stock
          </button>
        </form>
        <ErrorNote error={error} />
      </div>
    </li>
  );
}
