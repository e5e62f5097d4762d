import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { formatTime } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { keys, type Endpoint, type KeyAlgorithm, type ModulusLength, type SigningKey } from './api';
import { CopyButton } from '../../ui/CopyButton';
import { ConfirmPanel } from '../../ui/ConfirmPanel';

// Records over the API's enums, so a new algorithm or size fails the type check until it is offered here.
const ALGORITHMS: Record<KeyAlgorithm, string> = {
  ed25519: 'Ed25519 (fast; recommended)',
  'rsa-sha256': 'RSA with SHA-256',
};
const MODULUS_LENGTHS: Record<ModulusLength, string> = { 2048: '2048 bits', 3072: '3072 bits (default)', 4096: '4096 bits' };

/**
 * The endpoint's key pairs for asymmetric signatures: public halves only (the
 * API never returns a private key), a way to add one, and to delete one.
 */
export function SigningKeysPanel({ tenantId, endpoint, canWrite }: { tenantId: string; endpoint: Endpoint; canWrite: boolean }) {
  const titleId = useId();
  const queryClient = useQueryClient();
  const id = endpoint.id;
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ed25519');
  const [modulusLength, setModulusLength] = useState<ModulusLength>(3072);
  const [deleting, setDeleting] = useState<SigningKey | null>(null);

  const list = useQuery({
    queryKey: keys.signingKeys(tenantId, id),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints/{id}/keys', { params: { path: { tenantId, id } } })),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.signingKeys(tenantId, id) });
    void queryClient.invalidateQueries({ queryKey: keys.one(tenantId, id) });
  };
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/tenants/{tenantId}/endpoints/{id}/keys', {
          params: { path: { tenantId, id } },
          body: algorithm === 'rsa-sha256' ? { algorithm, modulusLength } : { algorithm },
        }),
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE('/v1/tenants/{tenantId}/endpoints/{id}/keys/{keyId}', { params: { path: { tenantId, id, keyId } } })),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const signsWith = (a: KeyAlgorithm) => endpoint.signatureSchemes.includes(a);

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Signing keys</h2>
      <p className="muted">
        Key pairs for asymmetric signatures (<code>ed25519</code>, <code>rsa-sha256</code>): receivers verify with the public key. The endpoint signs with the
        schemes <strong>{endpoint.signatureSchemes.join(', ')}</strong>.
      </p>
      {list.isPending ? (
        <Loading what="signing keys" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="The signing keys could not be loaded" retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title="No signing keys">
          {canWrite
            ? 'The endpoint signs with its shared secret only. Add a key below to sign with a key pair as well; receivers then need only its public half.'
            : 'The endpoint signs with its shared secret only.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Key id</th>
                <th scope="col">Algorithm</th>
                <th scope="col">Public key</th>
                <th scope="col">Created</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((k) => (
                <tr key={k.keyId}>
                  <td className="endpoints-key-id">
                    <code>{k.keyId}</code>
                  </td>
                  <td>
                    {k.algorithm}
                    {!signsWith(k.algorithm) && <span className="muted"> (not signing: the endpoint does not use this scheme)</span>}
                  </td>
                  <td className="endpoints-public-key">
                    <details>
                      <summary>Show public key</summary>
                      <pre className="json">{k.publicKey}</pre>
                      <CopyButton value={k.publicKey} label="Copy public key" name={`Copy public key ${k.keyId}`} />
                    </details>
                  </td>
                  <td>{formatTime(k.createdAt)}</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="danger" onClick={() => setDeleting(k)} aria-label={`Delete key ${k.keyId}`}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <ConfirmPanel
          title={`Delete the ${deleting.algorithm} key ${deleting.keyId}?`}
          confirmLabel="Yes, delete key"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(deleting.keyId)}
          onCancel={() => {
            setDeleting(null);
            remove.reset();
          }}
        >
          <p>It stops signing at once; receivers that verify with it will reject the next deliveries.</p>
          {remove.error && <ErrorNotice error={remove.error} title="The key was not deleted" />}
        </ConfirmPanel>
      )}
      {canWrite && (
        <form className="endpoints-key-form" onSubmit={submit} aria-label="Add signing key">
          <Field label="Algorithm" name="algorithm" error={add.error}>
            {(p) => (
              <select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value as KeyAlgorithm)}>
                {(Object.keys(ALGORITHMS) as KeyAlgorithm[]).map((a) => (
                  <option key={a} value={a}>
                    {ALGORITHMS[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {algorithm === 'rsa-sha256' && (
            <Field label="Key size" name="modulusLength" error={add.error} hint="Larger keys cost more to sign with, per delivery.">
              {(p) => (
                <select {...p} value={modulusLength} onChange={(e) => setModulusLength(Number(e.target.value) as ModulusLength)}>
                  {(Object.keys(MODULUS_LENGTHS).map(Number) as ModulusLength[]).map((m) => (
                    <option key={m} value={m}>
                      {MODULUS_LENGTHS[m]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <button type="submit" className="primary" disabled={add.isPending}>
            {add.isPending ? 'Adding…' : 'Add signing key'}
          </button>
        </form>
      )}
      {add.error && <ErrorNotice error={add.error} title="The key was not added" />}
    </section>
  );
}
