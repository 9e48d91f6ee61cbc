import { Alert, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';

/** The message to show for any thrown error: the server's localized detail, else a generic text. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('error.network');
      return error.problem.detail ?? error.problem.title ?? t('error.generic');
    }
    return t('error.generic');
  };
}

export function ProblemAlert({ error, testId }: { error: unknown; testId?: string }) {
  const message = useErrorMessage();
  if (!error) return null;
  return (
    <Alert type="error" showIcon title={message(error)} data-testid={testId} style={{ marginBottom: 16 }} />
  );
}

/**
 * Puts validation issues next to the fields they name. Returns true when every issue found its field, so the
 * caller can skip a form-level alert.
 */
export function applyIssues(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError) || !error.problem.issues?.length) return false;
  const known = error.problem.issues.filter((issue) => fields.includes(issueField(issue.field)));
  form.setFields(known.map((issue) => ({ name: issueField(issue.field), errors: [issue.message] })));
  return known.length === error.problem.issues.length;
}

// Issue paths may come as "scope.regionCode" or "body.username"; forms here are flat.
function issueField(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'body');
  return parts[parts.length - 1] ?? path;
}

/** Server-side field errors go stale once the user edits the field; clear them on change. */
export function clearChangedErrors(form: FormInstance, changed: Record<string, unknown>): void {
  form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })));
}

export const secretStyle = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  wordBreak: 'break-all',
  background: '#f5f7fa',
  border: '1px solid #e5e8ef',
  borderRadius: 6,
  padding: '8px 12px',
} as const;
