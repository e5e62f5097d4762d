import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorized, unwrap, setApiKey, type ResponseOf } from '../api/client';

export type CurrentKey = ResponseOf<'/v1/api-keys/current', 'get'>;
export type Scope = CurrentKey['scopes'][number];

/**
 * A signed-in console: the API key (in this tab's memory and session storage
 * only, so closing the tab signs out; never in a URL or local storage), what
 * admin-api says the key may do, and the tenant the pages work on (the key's
 * own, or one a global key picks).
 */
export interface Session {
  key: string;
  me: CurrentKey;
  tenantId: string;
  /** Whether the key carries the scope (`admin` carries every one); what it lacks is hidden or disabled, and refused by the API anyway. */
  can(scope: Scope): boolean;
  setTenant(tenantId: string): void;
  signOut(): void;
}

interface Stored {
  key: string;
  me: CurrentKey;
  tenantId: string;
}

const STORAGE = 'hookline.console.session';
type SignedOut = { signIn(stored: Stored): void; signedOut: true; refused: boolean };
const SessionContext = createContext<(Session & { signIn(stored: Stored): void }) | SignedOut | null>(null);

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE);
    const stored = raw ? (JSON.parse(raw) as Stored) : null;
    if (stored) setApiKey(stored.key);
    return stored;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(load);
  const queries = useQueryClient();
  const save = useCallback(
    (next: Stored | null) => {
      // What one key (or tenant) read is never shown to the next.
      if (next?.key !== stored?.key || next?.tenantId !== stored?.tenantId) queries.clear();
      setApiKey(next?.key ?? null);
      if (next) sessionStorage.setItem(STORAGE, JSON.stringify(next));
      else sessionStorage.removeItem(STORAGE);
      setStored(next);
    },
    [queries, stored],
  );
  // A key revoked while the tab is open: the next refused call signs out, and the sign-in page says why.
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    onUnauthorized(() => {
      setRefused(true);
      save(null);
    });
    return () => onUnauthorized(null);
  }, [save]);
  const value = useMemo(() => {
    const signIn = (next: Stored) => {
      setRefused(false);
      save(next);
    };
    if (!stored) return { signIn, signedOut: true as const, refused };
    return {
      ...stored,
      signIn,
      can: (scope: Scope) => stored.me.scopes.includes('admin') || stored.me.scopes.includes(scope),
      setTenant: (tenantId: string) => save({ ...stored, tenantId }),
      signOut: () => save(null),
    };
  }, [stored, save, refused]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The signed-in session; only pages under the signed-in layout call it. */
export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value || 'signedOut' in value) throw new Error('useSession outside a signed-in console');
  return value;
}

export function useSignIn(): { signedIn: boolean; refused: boolean; signIn(key: string, tenantId?: string): Promise<void> } {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSignIn outside SessionProvider');
  return {
    signedIn: !('signedOut' in value),
    /** Signed out because admin-api refused the key (revoked while the tab was open). */
    refused: 'signedOut' in value && value.refused,
    async signIn(key, tenantId) {
      setApiKey(key);
      try {
        const me = await unwrap(api.GET('/v1/api-keys/current'));
        const tenant = me.tenantId ?? tenantId?.trim();
        if (!tenant) throw new Error('a global key works on one tenant at a time: name it');
        value.signIn({ key, me, tenantId: tenant });
      } catch (error) {
        setApiKey(null);
        throw error;
      }
    },
  };
}
