/**
 * Says which options the opened file did not record, and which usual
 * defaults apply unless the person chooses: "trace this target again" must
 * not pass off a default as what the file measured with.
 */
import { defaultText, fieldLabel, type DraftField } from './formModel';

export function NotRecordedNotice({ fields }: { fields: readonly DraftField[] }) {
  return (
    <div className="hs-not-recorded" role="note" data-testid="not-recorded">
      <strong>Not recorded in the file.</strong> The usual defaults apply unless you choose:{' '}
      {fields.map((field, i) => (
        <span key={field}>
          {i > 0 && ', '}
          {fieldLabel(field).toLowerCase()} <em>{defaultText(field)}</em>
        </span>
      ))}
      .
    </div>
  );
}
