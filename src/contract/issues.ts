/** What both zod and zod/mini report of a failed parse. */
export interface ParseIssues {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/** One line naming every bad field: `children.0.name: must match …; strategy: …`. */
export function describeIssues(error: ParseIssues): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
