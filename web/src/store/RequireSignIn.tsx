import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../api/session.ts';

/** Renders its children for a signed-in user of the role; sends anyone else to log in. */
export function RequireSignIn({ needs: role, children }: { needs?: 'customer' | 'admin'; children: ReactNode }) {
  const session = useSession();
  const { pathname } = useLocation();
  if (!session || (role && session.user.role !== role)) return <Navigate to="/login" replace state={{ from: pathname }} />;
  return children;
}
