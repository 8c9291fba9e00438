/**
 * The settings page's passkeys: the list (name, added, last used), "Add a passkey", and per passkey
 * Rename and Remove. Removing asks for a fresh second factor (a passkey or a current code). One form
 * is open at a time; each keeps its own state.
 */
import { useEffect, useState } from "react";
import { errorPlacement, getPasskeys, isUnauthorized } from "../../api/client.ts";
import { Alert, Status } from "../../components/ui.tsx";
import type { Passkey } from "../../types/api.ts";
import { AddPasskey } from "./AddPasskey.tsx";
import { RemovePasskey } from "./RemovePasskey.tsx";
import { RenamePasskey } from "./RenamePasskey.tsx";

type Open = { kind: "none" } | { kind: "rename" | "remove"; passkey: Passkey };

function when(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export interface PasskeysProps {
  onUnauthorized: () => void;
  /** A passkey was added or removed: two-factor may have turned on or off with it (see TwoFactorStatus.passkey). */
  onAddedOrRemoved?: () => void;
}

export function Passkeys({ onUnauthorized, onAddedOrRemoved }: PasskeysProps) {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>({ kind: "none" });
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    getPasskeys().then(
      (list) => {
        if (!cancelled) setPasskeys(list.passkeys);
      },
      (failure: unknown) => {
        if (cancelled) return;
        if (isUnauthorized(failure)) onUnauthorized();
        else setLoadError(errorPlacement(failure, []).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [onUnauthorized]);

  function done(next: Passkey[], message: string): void {
    setPasskeys(next);
    setNotice(message);
    setOpen({ kind: "none" });
  }

  function openForm(kind: "rename" | "remove", passkey: Passkey): void {
    setNotice(null);
    setOpen({ kind, passkey });
  }

  return (
    <section className="passkeys" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p className="hint">
        A passkey signs you in with this device&apos;s fingerprint, face or PIN: instead of a code, or with no
        password at all.
      </p>
      <Alert message={loadError} />
      {notice && <Status>{notice}</Status>}
      {passkeys === null && !loadError && <Status>Loading…</Status>}
      {passkeys?.length === 0 && <p className="hint">You have no passkeys yet.</p>}
      {passkeys && passkeys.length > 0 && (
        <ul className="passkey-list">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="passkey">
              <span className="passkey-name">{passkey.name}</span>
              <span className="hint">
                Added {when(passkey.created)} ·{" "}
                {passkey.lastUsed ? `last used ${when(passkey.lastUsed)}` : "never used"}
              </span>
              {open.kind !== "none" && open.passkey.id === passkey.id ? (
                open.kind === "rename" ? (
                  <RenamePasskey
                    passkey={passkey}
                    onRenamed={(renamed) =>
                      done(
                        passkeys.map((each) => (each.id === renamed.id ? renamed : each)),
                        `Renamed to “${renamed.name}”.`,
                      )
                    }
                    onCancel={() => setOpen({ kind: "none" })}
                    onUnauthorized={onUnauthorized}
                  />
                ) : (
                  <RemovePasskey
                    passkey={passkey}
                    onRemoved={(left) => {
                      done(left, `Removed “${passkey.name}”.`);
                      onAddedOrRemoved?.();
                    }}
                    onCancel={() => setOpen({ kind: "none" })}
                    onUnauthorized={onUnauthorized}
                  />
                )
              ) : (
                <div className="actions">
                  <button
                    type="button"
                    className="button-small"
                    aria-label={`Rename ${passkey.name}`}
                    onClick={() => openForm("rename", passkey)}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="button-small button-danger"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() => openForm("remove", passkey)}
                  >
                    Remove
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {passkeys !== null && (
        <AddPasskey
          onAdded={(added) => {
            done([...passkeys, added], `Added “${added.name}”.`);
            onAddedOrRemoved?.();
          }}
          onUnauthorized={onUnauthorized}
        />
      )}
    </section>
  );
}
