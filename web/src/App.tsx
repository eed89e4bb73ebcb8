import { Link, NavLink, Route, Routes, useNavigate } from 'react-router';
import { AdminRoutes } from './admin/AdminRoutes.tsx';
import { setSession, useSession } from './api/session.ts';
import { CartProvider, useCart } from './cart.tsx';
import { Login, Register } from './store/Auth.tsx';
import { CartPage } from './store/CartPage.tsx';
import { Catalog } from './store/Catalog.tsx';
import { Checkout } from './store/Checkout.tsx';
import { Notifications } from './store/Notifications.tsx';
import { OrderHistory } from './store/OrderHistory.tsx';
import { OrderPage } from './store/OrderPage.tsx';
import { ProductPage } from './store/ProductPage.tsx';
import { PageTitle } from './ui.tsx';

export function App() {
  return (
    <CartProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main">
        <Routes>
          <Route path="/" element={<Catalog />} />
          <Route path="/product/:id" element={<ProductPage />} />
          <Route path="/login" element={<Login />} />
          <Route path="/register" element={<Register />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/checkout" element={<Checkout />} />
          <Route path="/orders" element={<OrderHistory />} />
          <Route path="/orders/:id" element={<OrderPage />} />
          <Route path="/notifications" element={<Notifications />} />
          <Route path="/admin/*" element={<AdminRoutes />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </CartProvider>
  );
}

function Header() {
  const session = useSession();
  const { count } = useCart();
  const navigate = useNavigate();
  const logOut = () => {
    setSession(null);
    navigate('/');
  };
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Shop
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/" end>
              Catalog
            </NavLink>
          </li>
          {session?.user.role === 'customer' ? (
            <>
              <li>
                <NavLink to="/cart">
                  Cart <span className="count">{count}</span>
                  <span className="visually-hidden"> items</span>
                </NavLink>
              </li>
              <li>
                <NavLink to="/orders">Orders</NavLink>
              </li>
              <li>
                <NavLink to="/notifications">Notifications</NavLink>
              </li>
            </>
          ) : null}
          {session?.user.role === 'admin' ? (
            <li>
              <NavLink to="/admin">Admin</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
      <div className="account">
        {session ? (
          <>
            <span className="who">{session.user.name}</span>
            <button type="button" className="link-button" onClick={logOut}>
              Log out
            </button>
          </>
        ) : (
          <>
            <NavLink to="/login">Log in</NavLink>
            <NavLink to="/register">Register</NavLink>
          </>
        )}
      </div>
    </header>
  );
}

function NotFound() {
  return (
    <section>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>
        <Link to="/">Back to the catalog</Link>
      </p>
    </section>
  );
}
