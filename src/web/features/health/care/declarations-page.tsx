/** Placeholder until the page is built (issue 7). */
export function DeclarationsPage() {
  return null;
}
