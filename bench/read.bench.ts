/**
 * Reading figures (issue 17): saving a disc from the virtual recorder
 * through the whole host stack (READ(10) over Bulk-Only, the save step's
 * overlapped writes, SHA-256 + MD5), against this machine's memory copy;
 * and the hashes a save runs: hash-wasm (the engine's, in the worker and
 * the page) and the project's pure-TypeScript SHA-256, each against
 * node:crypto measured in the same run (target: at least 0.5 of it).
 */
import { createHash } from 'node:crypto';
import { createMD5, createSHA256 } from 'hash-wasm';
import { createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { WebdiscService } from '../engine/service.ts';
import { VIRTUAL_ID, virtualSource } from '../engine/virtual-source.ts';
import { Sha256 } from '../engine/recording/sha256.ts';
import { figure, memcpyMbps, target, type Figure } from './report.ts';

const MB = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function saveMbps(sectors: number): Promise<number> {
  const drive = createVirtualRecorder({ media: 'dvd+r' });
  const service = new WebdiscService({
    sessionId: 'bench',
    coordinator: new MemoryCoordinator(),
    sources: [virtualSource(drive)],
    mcnIntervalMs: 0,
  });
  const image = new Uint8Array(sectors * 2048).map((_, i) => i & 0xff);
  const burned = await service.burnImage(
    VIRTUAL_ID,
    { kind: 'bytes', bytes: image },
    { clientName: 'Bench' },
  );
  if (!burned.ok) throw new Error(burned.error.message);
  const sink = { write: async () => {} };
  const digests = () => {
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    return {
      update: (b: Uint8Array) => void (sha.update(b), md5.update(b)),
      digest: () => ({ sha256: sha.digest('hex'), md5: md5.digest('hex') }),
    };
  };
  await service.saveDisc(VIRTUAL_ID, sink, {}, { digests: digests() }); // warm-up
  const started = performance.now();
  const r = await service.saveDisc(VIRTUAL_ID, sink, {}, { digests: digests() });
  const ms = performance.now() - started;
  if (!r.ok) throw new Error(r.error.message);
  service.dispose();
  return MB(r.value.bytes, ms);
}

async function hashMbps(
  update: (b: Uint8Array) => void,
  finish: () => void,
  total: number,
): Promise<number> {
  const chunk = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
  const rounds = Math.ceil(total / chunk.length);
  for (let i = 0; i < 8; i++) update(chunk); // warm-up
  finish();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) update(chunk);
  finish();
  return MB(rounds * chunk.length, performance.now() - started);
}

export async function readBench(): Promise<Figure[]> {
  const sectors = Number(process.env.WEBDISC_BENCH_READ_SECTORS ?? 100_000); // ~205 MB
  const memcpy = memcpyMbps(256 * 2048, 1 << 30);
  const save = await saveMbps(sectors);
  const total = 512 << 20;
  let node = createHash('sha256');
  const nodeSha = await hashMbps(
    (b) => node.update(b),
    () => void (node.digest(), (node = createHash('sha256'))),
    total,
  );
  const wasm = await createSHA256();
  wasm.init();
  const wasmSha = await hashMbps(
    (b) => wasm.update(b),
    () => void (wasm.digest(), wasm.init()),
    total,
  );
  const md5w = await createMD5();
  md5w.init();
  const wasmMd5 = await hashMbps(
    (b) => md5w.update(b),
    () => void (md5w.digest(), md5w.init()),
    total,
  );
  let nmd5 = createHash('md5');
  const nodeMd5 = await hashMbps(
    (b) => nmd5.update(b),
    () => void (nmd5.digest(), (nmd5 = createHash('md5'))),
    total,
  );
  let ts = new Sha256();
  const tsSha = await hashMbps(
    (b) => ts.update(b),
    () => void (ts.digest(), (ts = new Sha256())),
    128 << 20,
  );
  const ref = (name: string, value: number) => ({
    reference: { name, value: Math.round(value), unit: 'MB/s' },
  });
  return [
    figure('read.save_virtual_mbps', save, 'MB/s', ref('read.memcpy_512k_mbps', memcpy)),
    figure('read.sha256.node_crypto_mbps', nodeSha, 'MB/s'),
    figure(
      'read.sha256.hash_wasm_mbps',
      wasmSha,
      'MB/s',
      ref('read.sha256.node_crypto_mbps', nodeSha),
    ),
    figure('read.sha256.hash_wasm_vs_node_crypto', wasmSha / nodeSha, 'x', {
      ...ref('read.sha256.node_crypto_mbps', nodeSha),
      target: target('>=', 0.5, wasmSha / nodeSha),
    }),
    figure(
      'read.sha256.project_ts_mbps',
      tsSha,
      'MB/s',
      ref('read.sha256.node_crypto_mbps', nodeSha),
    ),
    figure('read.md5.hash_wasm_vs_node_crypto', wasmMd5 / nodeMd5, 'x', {
      ...ref('read.md5.node_crypto_mbps', nodeMd5),
      target: target('>=', 0.5, wasmMd5 / nodeMd5),
    }),
  ];
}
