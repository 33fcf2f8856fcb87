/** One figure of `npm run bench`: printed as one JSON object per line. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** A reference measured in the same run, so the figure reads against this machine. */
  readonly reference?: { readonly name: string; readonly value: number; readonly unit: string };
  /** The project's target for this figure, and whether this run met it. */
  readonly target?: { readonly op: '>=' | '<='; readonly value: number; readonly met: boolean };
}

export function figure(
  name: string,
  value: number,
  unit: string,
  extra: Omit<Figure, 'name' | 'value' | 'unit'> = {},
): Figure {
  return { name, value: Math.round(value * 100) / 100, unit, ...extra };
}

export function target(
  op: '>=' | '<=',
  goal: number,
  value: number,
): NonNullable<Figure['target']> {
  return { op, value: goal, met: op === '>=' ? value >= goal : value <= goal };
}

/** Copy throughput of this machine for buffers of `size` bytes: the reference for transport figures. */
export function memcpyMbps(size: number, totalBytes: number): number {
  const src = new Uint8Array(size).fill(7);
  const dst = new Uint8Array(size);
  const rounds = Math.max(1, Math.floor(totalBytes / size));
  const started = performance.now();
  for (let i = 0; i < rounds; i++) dst.set(src);
  const seconds = (performance.now() - started) / 1000;
  return (rounds * size) / 1e6 / seconds;
}
