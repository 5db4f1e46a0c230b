export function ensureDevVars(): void;
export function readDevVars(): Record<string, string>;
