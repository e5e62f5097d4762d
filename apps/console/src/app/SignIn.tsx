import { useState, type FormEvent } from 'react';
import { useSignIn } from '../session/session';
import { ErrorNotice } from '../ui/feedback';
import { Field } from '../ui/form';

/** Sign-in with an API key: kept in this tab only, checked against admin-api before anything is shown. */
export function SignIn() {
  const { signIn, refused } = useSignIn();
  const [key, setKey] = useState('');
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim(), tenant);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Hookline console</h1>
        <p>Sign in with an API key. It stays in this browser tab only: closing the tab signs you out.</p>
        {refused && error === null && (
          <div className="notice notice-warning" role="alert">
            admin-api refused your API key (revoked, or unknown to it), so you were signed out. Sign in with a valid key.
          </div>
        )}
        <Field
          label="API key"
          hint={
            <>
              A tenant key, or the admin token <code>npm start</code> printed (also in <code>.data/admin-token</code>).
            </>
          }
        >
          {(props) => <input {...props} type="password" autoComplete="off" spellCheck={false} required value={key} onChange={(e) => setKey(e.target.value)} />}
        </Field>
        <Field label="Tenant" hint="Only for a global key (like the admin token): the tenant to work on. A tenant key always works on its own.">
          {(props) => <input {...props} placeholder="acme" value={tenant} onChange={(e) => setTenant(e.target.value)} />}
        </Field>
        {error !== null && <ErrorNotice error={error} title="Sign-in failed" />}
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
