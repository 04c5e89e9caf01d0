/** Every path to a value in a JSON tree (the root's is []), for replacing one value of a snapshot. */
export function jsonPaths(
  value: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => jsonPaths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) jsonPaths(v, [...at, k], out);
  return out;
}
