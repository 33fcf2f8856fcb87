/**
 * El Torito: a no-emulation BIOS image with a boot information table and an
 * EFI system partition image (platform 0xEF), as xorriso -b/-e make them,
 * checked by xorriso -report_el_torito and isoinfo; and the size checks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BootInfoChecksum } from '../src/el-torito.ts';
import { BootImageSizeError, InvalidTreeError } from '../src/errors.ts';
import { planImage } from '../src/image.ts';
import type { ImageOptions } from '../src/plan/plan.ts';
import { buildImage, runOk, tempDir } from './tools.ts';
import { dir, file, pattern } from './trees.ts';

const DATE = Date.UTC(2022, 1, 3);
const BIOS_SIZE = 6244; // not a whole sector: the load size is still xorriso's 4
const EFI_SIZE = 512 * 2880; // a 1.44 MB FAT image

function bootTree(): ReturnType<typeof dir> {
  return dir('', [
    dir('boot', [file('bios.img', BIOS_SIZE, 1), file('grub.cfg', 100, 2)]),
    dir('EFI', [file('efiboot.img', EFI_SIZE, 3)]),
  ]);
}

interface Report {
  catalog: number;
  images: {
    platform: string;
    bootable: string;
    emulation: string;
    loadSize: number;
    lba: number;
  }[];
  paths: string[];
  options: string[];
}

function reportElTorito(image: string): Report {
  const out = runOk('xorriso', ['-indev', image, '-report_el_torito', 'plain']);
  const r: Report = { catalog: -1, images: [], paths: [], options: [] };
  for (const line of out.split('\n')) {
    const [key, value = ''] = line.split(/\s*:\s+/, 2);
    const f = value.trim().split(/\s+/);
    if (key === 'El Torito catalog') r.catalog = Number(f[0]);
    if (key === 'El Torito boot img') {
      r.images.push({
        platform: f[1] ?? '',
        bootable: f[2] ?? '',
        emulation: f[3] ?? '',
        loadSize: Number(f[6]),
        lba: Number(f[7]),
      });
    }
    if (key === 'El Torito img path') r.paths.push(f.slice(1).join(' '));
    if (key === 'El Torito img opts') r.options.push(f.slice(1).join(' '));
  }
  return r;
}

describe('El Torito', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('BIOS (no emulation, boot info table) + EFI: xorriso reports both entries', async () => {
    const { plan, path } = await buildImage(
      bootTree(),
      {
        volumeId: 'BOOTABLE',
        date: DATE,
        boot: {
          bios: { path: '/boot/bios.img', infoTable: true },
          efi: { path: '/EFI/efiboot.img' },
        },
      },
      tmp.path,
    );
    const r = reportElTorito(path);
    assert.equal(r.catalog, plan.layout.bootCatalog);
    assert.deepEqual(
      r.images.map(({ platform, bootable, emulation, loadSize }) => ({
        platform,
        bootable,
        emulation,
        loadSize,
      })),
      [
        { platform: 'BIOS', bootable: 'y', emulation: 'none', loadSize: 4 },
        { platform: 'UEFI', bootable: 'y', emulation: 'none', loadSize: EFI_SIZE / 512 },
      ],
    );
    assert.deepEqual(r.paths, ['/boot/bios.img', '/EFI/efiboot.img']);
    // xorriso recognises the table only when its fields and checksum are right.
    assert.deepEqual(r.options, ['boot-info-table']);
    assert.match(
      runOk('isoinfo', ['-d', '-i', path]),
      new RegExp(
        `El Torito VD version 1 found, boot catalog is in sector ${plan.layout.bootCatalog}`,
      ),
    );

    // The BIOS image on disc is the source with the table in bytes 8-63.
    const into = join(tmp.path, 'x');
    runOk('xorriso', [
      '-indev',
      path,
      '-osirrox',
      'on',
      '-extract',
      '/boot/bios.img',
      join(into, 'bios.img'),
    ]);
    const onDisc = readFileSync(join(into, 'bios.img'));
    const source = Buffer.from(Array.from({ length: BIOS_SIZE }, (_, i) => pattern(1)(i)));
    const biosLba = (r.images[0] as { lba: number }).lba;
    const sum = new BootInfoChecksum();
    sum.add(0, source);
    const table = Buffer.alloc(56);
    table.writeUInt32LE(16, 0);
    table.writeUInt32LE(biosLba, 4);
    table.writeUInt32LE(BIOS_SIZE, 8);
    table.writeUInt32LE(sum.value(), 12);
    const expected = Buffer.concat([source.subarray(0, 8), table, source.subarray(64)]);
    assert.ok(onDisc.equals(expected), 'patched BIOS image');
    // Image data starts where the catalog says.
    const img = readFileSync(path);
    assert.ok(img.subarray(biosLba * 2048, biosLba * 2048 + BIOS_SIZE).equals(expected));
  });

  it('EFI only: the validation entry names platform 0xEF', async () => {
    const { path } = await buildImage(
      bootTree(),
      { date: DATE, boot: { efi: { path: '/EFI/efiboot.img' } } },
      tmp.path,
    );
    const r = reportElTorito(path);
    assert.deepEqual(
      r.images.map((i) => i.platform),
      ['UEFI'],
    );
    const img = readFileSync(path);
    assert.equal(img[r.catalog * 2048 + 1], 0xef);
  });

  it('refuses boot images of the wrong size, and paths that are not files', () => {
    const plan = (boot: NonNullable<ImageOptions['boot']>, extra: ReturnType<typeof file>[] = []) =>
      planImage(dir('', [...bootTree().children, ...extra]), { date: DATE, boot });
    const sizeError = (f: () => unknown, code = 'BOOT_IMAGE_SIZE') =>
      assert.throws(f, (e: unknown) => e instanceof BootImageSizeError && e.code === code);
    sizeError(() => plan({ bios: { path: '/empty.img' } }, [file('empty.img', 0)]));
    sizeError(() => plan({ bios: { path: '/tiny.img', infoTable: true } }, [file('tiny.img', 40)]));
    sizeError(() => plan({ bios: { path: '/boot/bios.img', loadSize: 20 } }));
    sizeError(() => plan({ efi: { path: '/odd.img' } }, [file('odd.img', 1000)]));
    assert.throws(
      () => plan({ bios: { path: '/boot' } }),
      (e: unknown) => e instanceof InvalidTreeError && e.code === 'INVALID_TREE',
    );
    assert.throws(() => plan({ efi: { path: '/no/such.img' } }), InvalidTreeError);
  });
});
