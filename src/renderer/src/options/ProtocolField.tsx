/**
 * The protocol menu and its note about protocols this mtr-packet cannot
 * send. The note shows only when it matters: an unsupported protocol is
 * chosen, or the person is pointing at (or focused on) the menu.
 */
import type { MtrPacketStatus } from '@shared/ipc';
import { PROTOCOL_LABELS, PROTOCOLS, type Protocol } from '@shared/protocols';
import { isProtocol } from './formModel';
import { protocolAvailability } from './protocolSupport';
import { Field } from './fields';

function unsupportedProtocols(mtrStatus: MtrPacketStatus | null) {
  return PROTOCOLS.map((p) => [p, protocolAvailability(mtrStatus, p)] as const).filter(([, a]) => !a.enabled);
}

export function ProtocolField({
  id,
  protocol,
  mtrStatus,
  error,
  onHover,
  onChange,
}: {
  id: string;
  protocol: Protocol;
  mtrStatus: MtrPacketStatus | null;
  error: string | undefined;
  onHover: (hovered: boolean) => void;
  onChange: (protocol: Protocol) => void;
}) {
  const unsupported = unsupportedProtocols(mtrStatus);
  return (
    <Field id={`${id}-protocol`} label="Protocol" error={error}>
      <select
        id={`${id}-protocol`}
        name="protocol"
        data-testid="protocol-select"
        className="hs-input"
        value={protocol}
        title={unsupported.map(([, a]) => a.reason).join('\n') || undefined}
        aria-describedby={`${id}-protocol-note`}
        onPointerEnter={() => onHover(true)}
        onPointerLeave={() => onHover(false)}
        onFocus={() => onHover(true)}
        onBlur={() => onHover(false)}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isProtocol(value)) onChange(value);
        }}
      >
        {PROTOCOLS.map((p) => {
          const availability = protocolAvailability(mtrStatus, p);
          return (
            <option key={p} value={p} disabled={!availability.enabled} title={availability.reason}>
              {PROTOCOL_LABELS[p]}
              {availability.enabled ? '' : ' (unsupported)'}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

export function ProtocolNote({
  id,
  protocol,
  mtrStatus,
  hovered,
}: {
  id: string;
  protocol: Protocol;
  mtrStatus: MtrPacketStatus | null;
  hovered: boolean;
}) {
  const unsupported = unsupportedProtocols(mtrStatus);
  if (unsupported.length === 0 || !(hovered || unsupported.some(([p]) => p === protocol))) return null;
  return (
    <p
      id={`${id}-protocol-note`}
      className="hs-field-hint hs-row-note"
      data-testid="protocol-note"
      title={unsupported.map(([, a]) => a.reason).join('\n')}
    >
      {unsupported.map(([p]) => PROTOCOL_LABELS[p]).join(', ')} not supported by{' '}
      {mtrStatus?.version ? `mtr-packet ${mtrStatus.version}` : 'this mtr-packet'}
    </p>
  );
}
