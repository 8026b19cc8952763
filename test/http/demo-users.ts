/** The demo accounts the route matrix calls as (a module of its own: the matrix files import it at load time). */
export const demoUsers = ['admin', 'security', 'auditor', 'manager', 'leader', 'clerk', 'viewer', 'access', 'guard', 'health', 'grid'] as const;
export type DemoUser = (typeof demoUsers)[number];
