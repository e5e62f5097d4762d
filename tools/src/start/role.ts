/** Set by the launcher on the child process that runs the stack (see main.ts). */
export const ROLE_VAR = 'HOOKLINE_START_ROLE';
