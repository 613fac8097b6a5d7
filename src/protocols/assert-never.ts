/**
 * Ends an exhaustive `switch`: the call fails to compile when a case is missing, and throws if a
 * value the types ruled out arrives at run time anyway.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
