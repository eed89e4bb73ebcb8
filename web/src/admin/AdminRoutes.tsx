import { NavLink, Route, Routes } from 'react-router';
import { RequireSignIn } from '../store/RequireSignIn.tsx';
import { AdminOrders } from './AdminOrders.tsx';
import { AdminPayments } from './AdminPayments.tsx';
import { AdminProducts } from './AdminProducts.tsx';
import { AdminStock } from './AdminStock.tsx';
import { AdminUsers } from './AdminUsers.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { SystemPage } from './SystemPage.tsx';

const sections = [
  ['', 'Products'],
  ['stock', 'Stock and reservations'],
  ['orders', 'Orders'],
  ['payments', 'Payments'],
  ['users', 'Users'],
  ['dead-letters', 'Dead letters'],
  ['system', 'System'],
] as const;

/** The admin console (admin role only): its own navigation, one page per section. */
export function AdminRoutes() {
  return (
    <RequireSignIn needs="admin">
      <div className="admin">
        <nav aria-label="Admin">
          <ul>
            {sections.map(([path, label]) => (
              <li key={path}>
                <NavLink to={`/admin${path ? `/${path}` : ''}`} end>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="admin-page">
          <Routes>
            <Route index element={<AdminProducts />} />
            <Route path="stock" element={<AdminStock />} />
            <Route path="orders" element={<AdminOrders />} />
            <Route path="payments" element={<AdminPayments />} />
            <Route path="users" element={<AdminUsers />} />
            <Route path="dead-letters" element={<DeadLetters />} />
            <Route path="system" element={<SystemPage />} />
          </Routes>
        </div>
      </div>
    </RequireSignIn>
  );
}
