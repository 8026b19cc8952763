/** Placeholder until the page is built (issue 7). */
export function CasesPage() {
  return null;
}
