/**
 * Deterministic name resolution, shared by every namespace. Each standard
 * supplies a `NameRule` (how a name maps, how a collision suffix is added,
 * and what counts as the same name); `resolveNames` applies it to one
 * directory. Nothing is ever dropped: a name that collides after mapping gets
 * "~1", "~2"... ("_1", "_2" in ISO 9660, whose d-characters have no '~')
 * and the report lists it.
 */
export interface NameRule {
  /** The name in this namespace before collisions are resolved. */
  map(name: string, isDir: boolean): string;
  /** The collision suffix for number `n`: "~3" where the namespace allows '~'. */
  suffix(n: number): string;
  /** `mapped` with `suffix` added before any extension, still within the namespace's limits. */
  withSuffix(mapped: string, suffix: string, isDir: boolean): string;
  /** Names with the same key collide (e.g. ISO "FOO" directory and "FOO." file). */
  key(mapped: string, isDir: boolean): string;
}

/**
 * Names for `items`, in their given order (callers sort by original name so
 * the result does not depend on input order). A name that maps uniquely
 * keeps its mapped form; among names that collide, the first keeps it and
 * the others take the lowest free "~k".
 */
export function resolveNames(
  items: readonly { name: string; isDir: boolean }[],
  rule: NameRule,
): string[] {
  const mapped = items.map((it) => rule.map(it.name, it.isDir));
  const keys = mapped.map((m, i) => rule.key(m, (items[i] as { isDir: boolean }).isDir));
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const used = new Set(keys);
  const kept = new Set<string>();
  return mapped.map((m, i) => {
    const k = keys[i] as string;
    if (count.get(k) === 1 || !kept.has(k)) {
      kept.add(k);
      return m;
    }
    const isDir = (items[i] as { isDir: boolean }).isDir;
    for (let n = 1; ; n++) {
      const candidate = rule.withSuffix(m, rule.suffix(n), isDir);
      const ck = rule.key(candidate, isDir);
      if (!used.has(ck)) {
        used.add(ck);
        return candidate;
      }
    }
  });
}

/** Splits at the last dot that is not the first character: ["name", "ext"] or ["name", undefined]. */
export function splitExtension(name: string): [string, string | undefined] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, undefined];
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/** Code-unit order: the same on every machine, unlike locale collation. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
