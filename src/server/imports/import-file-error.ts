/** Why an uploaded file could not be turned into a table; the UI translates the code. */
export type ImportFileErrorCode =
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_FILE_TYPE'
  | 'MALFORMED_FILE'
  | 'UNSAFE_FILE'
  | 'TOO_MANY_ROWS'
  | 'TOO_MANY_COLUMNS'
  | 'EMPTY_FILE';

/** A file-level import failure with a stable code and a message a clerk can act on. */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImportFileError';
  }
}
