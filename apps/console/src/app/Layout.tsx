import { Suspense, useState, type FormEvent } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession, type Scope } from '../session/session';
import { Loading } from '../ui/feedback';

export const NAV: { to: string; label: string; scope: Scope }[] = [
  { to: '/endpoints', label: 'Endpoints', scope: 'endpoints:read' },
  { to: '/deliveries', label: 'Delivery log', scope: 'deliveries:read' },
  { to: '/test', label: 'Test mode', scope: 'endpoints:write' },
  { to: '/catalog', label: 'Event catalog', scope: 'catalog:read' },
  { to: '/rules', label: 'Rules', scope: 'rules:read' },
  { to: '/contracts', label: 'Action contracts', scope: 'actions:read' },
  { to: '/inbound', label: 'Inbound sources', scope: 'inbound:read' },
];

/** The signed-in frame: navigation (only what the key may read), the tenant, the key's scopes, sign-out. */
export function Layout() {
  const session = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Hookline</span>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <TenantSwitch />
        <details className="key-info">
          <summary>{session.me.tenantId ? 'Tenant key' : 'Global key'}</summary>
          <div className="key-scopes">
            <p>This key may:</p>
            <ul>
              {session.me.scopes.map((s) => (
                <li key={s}>
                  <code>{s}</code>
                </li>
              ))}
            </ul>
            {session.me.roles.length > 0 && <p>Roles: {session.me.roles.join(', ')}</p>}
          </div>
        </details>
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" className={menuOpen ? 'open' : undefined} aria-label="Console">
        <ul>
          {NAV.filter((n) => session.can(n.scope)).map((n) => (
            <li key={n.to}>
              <NavLink to={n.to} onClick={() => setMenuOpen(false)}>
                {n.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** A tenant key shows its tenant; a global key may switch to another one. */
function TenantSwitch() {
  const session = useSession();
  const [value, setValue] = useState(session.tenantId);
  if (session.me.tenantId) return <span className="tenant">Tenant: {session.tenantId}</span>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) session.setTenant(value.trim());
  };
  return (
    <form className="tenant" onSubmit={submit}>
      <label htmlFor="tenant-switch">Tenant</label>
      <input id="tenant-switch" value={value} onChange={(e) => setValue(e.target.value)} size={12} />
      <button type="submit" disabled={value.trim() === session.tenantId}>
        Switch
      </button>
    </form>
  );
}
