import { useState, type FormEvent, type ReactNode } from 'react';
import type { AppErrorData } from '../../shared/errors';
import { NOT_LOGGED_IN } from '../stores/session-slice';
import { useAppStore } from '../stores/use-app-store';
import { ErrorMessage } from './error-message';
import { BrandMark } from './icons';

function CenterCard({ children, labelledBy }: { children: ReactNode; labelledBy: string }) {
  return (
    <main className="center-page">
      <section className="card center-card" aria-labelledby={labelledBy}>
        <div className="brand-line">
          <BrandMark /> Joinery
        </div>
        {children}
      </section>
    </main>
  );
}

/** Shown for the moment it takes to log in and read app.info. */
export function BootScreen() {
  return (
    <main className="center-page" aria-busy="true">
      <p className="booting">
        <span className="spinner" aria-hidden="true" /> Starting Joinery…
      </p>
    </main>
  );
}

/** `joinery serve --auth mysql`: the person logs in with their own database account. */
function AccountLoginScreen({ error }: { error: AppErrorData | null }) {
  const loginWithPassword = useAppStore((s) => s.loginWithPassword);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<AppErrorData | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const why = await loginWithPassword(user, password);
    setBusy(false);
    setRefused(why);
    if (why) setPassword('');
  };
  const shown = refused ?? (error?.message === NOT_LOGGED_IN.message ? null : error);
  return (
    <CenterCard labelledBy="login-title">
      <h1 id="login-title">Log in with your database account</h1>
      <p>This Joinery server uses the lab database&apos;s accounts: you see and change what your account may.</p>
      {shown && <ErrorMessage error={shown} />}
      <form className="login-form" onSubmit={(e) => void submit(e)}>
        <label>
          User
          <input autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !user.trim()}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </CenterCard>
  );
}

/** The browser has no session: the account form (`--auth mysql`), or how to use the printed link. */
export function LoginRequiredScreen({ error }: { error: AppErrorData | null }) {
  const auth = useAppStore((s) => s.session.auth);
  if (auth === 'account') return <AccountLoginScreen error={error} />;
  return (
    <CenterCard labelledBy="login-title">
      <h1 id="login-title">Open the link printed by joinery serve</h1>
      <p>
        {error?.message ?? NOT_LOGGED_IN.message} For safety, the server only lets in browsers that opened its login
        link.
      </p>
      <ol className="steps">
        <li>
          Find the terminal where <code>joinery serve</code> runs.
        </li>
        <li>
          Open the link it printed when it started, in this browser. It looks like:
          <div className="example">http://127.0.0.1:8765/?token=…</div>
        </li>
        <li>If the server was restarted, use the new link it printed; older links stop working.</li>
      </ol>
    </CenterCard>
  );
}

/** The core could not be reached at all: say so and offer to try again. */
export function StartFailedScreen({ error }: { error: AppErrorData }) {
  const boot = useAppStore((s) => s.boot);
  return (
    <CenterCard labelledBy="failed-title">
      <h1 id="failed-title">Joinery could not start</h1>
      <ErrorMessage error={error} />
      <div>
        <button type="button" className="btn btn-primary" onClick={() => void boot()}>
          Try again
        </button>
      </div>
    </CenterCard>
  );
}
