import { AppError } from '@warren/http';
import { OperationsError } from '@warren/operations';

/** The library's failures as the edge's problems (status from the library), anything else as it is. */
export function asProblem(error: unknown): unknown {
  if (!(error instanceof OperationsError)) return error;
  const title = error.status === 404 ? 'Not found' : error.status === 422 ? 'Unprocessable content' : error.status === 409 ? 'Conflict' : 'Service unavailable';
  return new AppError(error.code, error.status, title, { detail: error.message, cause: error, extensions: { errors: error.issues.map((message) => ({ path: 'data', message })) } });
}

/** Editing parked messages is off unless `CONSOLE_ALLOW_EDIT=true`. */
export class EditDisabledError extends AppError {
  constructor() {
    super('edit_disabled', 403, 'Forbidden', { detail: 'Editing parked messages is off in this console (CONSOLE_ALLOW_EDIT).' });
  }
}
