/** A labelled form field with its error or hint line, the text input most fields use, and the port chips. */
import type { ReactNode } from 'react';
import { PORT_PRESETS, type DraftField } from './formModel';

export interface InputExtras {
  testId?: string;
  numeric?: boolean;
  /** Allows a decimal point on touch keyboards. */
  decimal?: boolean;
  unit?: string;
  placeholder?: string;
  disabled?: boolean;
  title?: string;
  value?: string;
}

interface TextInputProps extends InputExtras {
  id: string;
  field: DraftField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

export function TextInput({
  id,
  field,
  value,
  error,
  onChange,
  testId,
  numeric,
  decimal,
  unit,
  placeholder,
  disabled,
  title,
}: TextInputProps) {
  // Text, not type=number: what was typed stays visible, so the message about it makes sense.
  const control = (
    <input
      id={id}
      name={field}
      data-testid={testId}
      className={`hs-input${numeric ? ' hs-input--numeric' : ''}`}
      type="text"
      inputMode={numeric ? (decimal ? 'decimal' : 'numeric') : undefined}
      autoComplete="off"
      spellCheck={false}
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      title={title}
      aria-invalid={error ? true : undefined}
      aria-describedby={`${id}-note`}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
  if (unit === undefined) return control;
  return (
    <span className="hs-input-unit">
      {control}
      <span aria-hidden="true">{unit}</span>
    </span>
  );
}

export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className={`hs-field${error ? ' has-error' : ''}`}>
      <label className="hs-label" htmlFor={id}>
        {label}
      </label>
      {children}
      <p className={error ? 'hs-field-error' : 'hs-field-hint'} id={`${id}-note`} role={error ? 'alert' : undefined}>
        {error ?? hint ?? ''}
      </p>
    </div>
  );
}

/** One-click common ports, and "custom" to type any. */
export function PortPresets({
  port,
  enabled,
  onPick,
  onCustom,
}: {
  port: string;
  /** The protocol uses ports. */
  enabled: boolean;
  onPick: (port: string) => void;
  onCustom: () => void;
}) {
  return (
    <div className="hs-port-presets" role="group" aria-label="Common ports">
      {PORT_PRESETS.map((preset) => (
        <button
          key={preset.port}
          type="button"
          className={`hs-chip${enabled && port === String(preset.port) ? ' is-on' : ''}`}
          disabled={!enabled}
          aria-pressed={enabled && port === String(preset.port)}
          title={`Port ${preset.port} (${preset.label})`}
          onClick={() => onPick(String(preset.port))}
        >
          {preset.port} <span>{preset.label}</span>
        </button>
      ))}
      <button
        type="button"
        className={`hs-chip${enabled && port !== '' && !PORT_PRESETS.some((p) => String(p.port) === port) ? ' is-on' : ''}`}
        disabled={!enabled}
        title="Type any port"
        onClick={onCustom}
      >
        custom
      </button>
    </div>
  );
}
