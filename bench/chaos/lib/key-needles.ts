/** What to search output for, per API key: the whole key and its secret part alone. */
export function keyNeedles(secrets: readonly string[]): string[] {
  return secrets.flatMap((key) => [key, key.split('_').slice(2).join('_')]).filter((n) => n.length >= 20);
}
