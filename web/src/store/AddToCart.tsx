import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../api/session.ts';
import { useCart } from '../cart.tsx';

/** "Add to cart" for one product: disabled when sold out; asks a visitor to log in first. */
export function AddToCart({ productId, name, available, quantity = 1 }: { productId: string; name: string; available: number | null; quantity?: number }) {
  const session = useSession();
  const cart = useCart();
  const navigate = useNavigate();
  const [note, setNote] = useState('');
  const soldOut = available !== null && available < 1;
  const add = async () => {
    if (!session) return navigate('/login', { state: { from: `/product/${productId}` } });
    setNote('Adding…');
    try {
      await cart.add(productId, quantity);
      setNote(`Added ${name} to your cart.`);
    } catch (error) {
      setNote(error instanceof Error ? error.message : 'Could not add to the cart.');
    }
  };
  if (session?.user.role === 'admin') return null;
  return (
    <div className="add-to-cart">
      <button type="button" onClick={add} disabled={soldOut}>
        {soldOut ? 'Sold out' : 'Add to cart'}
        <span className="visually-hidden">: {name}</span>
      </button>
      <span role="status" className="note">
        {note}
      </span>
    </div>
  );
}

/** Live stock in words. */
export function StockText({ available }: { available: number | null | undefined }) {
  if (available === undefined) return <span className="stock">Checking stock…</span>;
  if (available === null) return <span className="stock">Stock unknown</span>;
  if (available < 1) return <span className="stock stock-out">Sold out</span>;
  return <span className="stock stock-in">{available} in stock</span>;
}
