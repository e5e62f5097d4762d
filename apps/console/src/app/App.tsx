import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/client';
import { SessionProvider, useSession, useSignIn } from '../session/session';
import { Layout, NAV } from './Layout';
import { SignIn } from './SignIn';

// Each page is its own chunk, loaded when first opened: signing in does not wait for the rule builder or the charts.
const page = <K extends string>(load: () => Promise<Record<K, () => React.JSX.Element>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));
const EndpointsPage = page(() => import('../pages/endpoints'), 'EndpointsPage');
const EndpointPage = page(() => import('../pages/endpoints'), 'EndpointPage');
const DeliveriesPage = page(() => import('../pages/deliveries'), 'DeliveriesPage');
const DeliveryPage = page(() => import('../pages/deliveries'), 'DeliveryPage');
const TestModePage = page(() => import('../pages/test-mode'), 'TestModePage');
const CatalogPage = page(() => import('../pages/catalog'), 'CatalogPage');
const EventTypePage = page(() => import('../pages/catalog'), 'EventTypePage');
const RulesPage = page(() => import('../pages/rules'), 'RulesPage');
const RulePage = page(() => import('../pages/rules'), 'RulePage');
const ContractsPage = page(() => import('../pages/contracts'), 'ContractsPage');
const ContractPage = page(() => import('../pages/contracts'), 'ContractPage');
const InboundSourcesPage = page(() => import('../pages/inbound'), 'InboundSourcesPage');
const InboundSourcePage = page(() => import('../pages/inbound'), 'InboundSourcePage');

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; a network error or 5xx may.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <BrowserRouter basename="/console">
          <Pages />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function Pages() {
  const { signedIn } = useSignIn();
  if (!signedIn) return <SignIn />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="endpoints" element={<EndpointsPage />} />
        <Route path="endpoints/:id" element={<EndpointPage />} />
        <Route path="deliveries" element={<DeliveriesPage />} />
        <Route path="deliveries/:id" element={<DeliveryPage />} />
        <Route path="test" element={<TestModePage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="catalog/:name" element={<EventTypePage />} />
        <Route path="rules" element={<RulesPage />} />
        <Route path="rules/new" element={<RulePage />} />
        <Route path="rules/:id" element={<RulePage />} />
        <Route path="contracts" element={<ContractsPage />} />
        <Route path="contracts/:id" element={<ContractPage />} />
        <Route path="inbound" element={<InboundSourcesPage />} />
        <Route path="inbound/:id" element={<InboundSourcePage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** The first page the key may read (a key without endpoints:read lands on what it has). */
function Home() {
  const session = useSession();
  const first = NAV.find((n) => session.can(n.scope));
  if (first) return <Navigate to={first.to} replace />;
  return (
    <section>
      <h1>Nothing to show</h1>
      <p>This API key carries no scope the console has a page for. Ask for a key with endpoints:read or deliveries:read.</p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no such page in the console. Pick one from the menu.</p>
    </section>
  );
}
