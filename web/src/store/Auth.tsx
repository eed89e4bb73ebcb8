import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, dataOf } from '../api/client.ts';
import { setSession } from '../api/session.ts';
import { ErrorNote, PageTitle } from '../ui.tsx';

async function logIn(email: string, password: string) {
  const { token, user } = dataOf(await api.user.POST('/login', { body: { email, password } }));
  setSession({ token, user: { id: user.id, name: user.name, email: user.email, role: user.role } });
  return user;
}

/** After signing in: back where the visitor came from, an admin to the console. */
function useAfterSignIn() {
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return (role: string) => navigate(from ?? (role === 'admin' ? '/admin' : '/'));
}

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const done = useAfterSignIn();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      done((await logIn(email, password)).role);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="narrow-page">
      <PageTitle title="Log in">Log in</PageTitle>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input id="login-email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </section>
  );
}

export function Register() {
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const done = useAfterSignIn();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      dataOf(await api.user.POST('/register', { body: form }));
      done((await logIn(form.email, form.password)).role);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="narrow-page">
      <PageTitle title="Create an account">Create an account</PageTitle>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="register-name">Name</label>
          <input id="register-name" autoComplete="name" required maxLength={100} value={form.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor="register-email">Email</label>
          <input id="register-email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} />
        </div>
        <div className="field">
          <label htmlFor="register-password">Password</label>
          <input
            id="register-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="password-hint"
            value={form.password}
            onChange={set('password')}
          />
          <small id="password-hint" className="hint">
            At least 8 characters.
          </small>
        </div>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Create account
        </button>
      </form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
