/** A passkey's name ("Work laptop"), with its visible label and its error right under it. */
import { useId } from "react";
import { Alert } from "../../components/ui.tsx";

export const NAME_MAX_LENGTH = 64;

export function NameField({
  label,
  value,
  onChange,
  error,
  disabled,
  autoFocus = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
  autoFocus?: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="name"
        type="text"
        autoComplete="off"
        maxLength={NAME_MAX_LENGTH}
        autoFocus={autoFocus}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <Alert message={error} id={errorId} />
    </div>
  );
}
