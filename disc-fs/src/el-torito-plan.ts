/**
 * El Torito in the plan: the boot record (sector 17), one catalog sector,
 * checks of each boot image's size, and the boot information table patched
 * into the BIOS image as it streams. The images are ordinary files of the
 * tree (xorriso -b / -e take paths inside the image the same way), so every
 * namespace shows them too.
 */
import {
  BOOT_INFO_OFFSET,
  BootIndicator,
  BootInfoChecksum,
  bootEntry,
  bootInfoTable,
  bootRecordVolumeDescriptor,
  EL_TORITO_ID,
  encodeValidationEntry,
  MediaType,
  Platform,
  SectionIndicator,
  sectionHeader,
} from './el-torito.ts';
import { BootImageSizeError } from './errors.ts';
import {
  FIRST_DESCRIPTOR_SECTOR,
  SECTOR,
  STANDARD_ID,
  VolumeDescriptorType,
} from './iso9660/volume-descriptor.ts';
import type { FileNode } from './plan/nodes.ts';
import {
  bootFile,
  sectorsFor,
  type Allocator,
  type BootImage,
  type PlanState,
} from './plan/plan.ts';
import type { FilePatcher } from './stream.ts';

export interface BootParts {
  bootRecord(a: Allocator, s: PlanState): void;
  catalog(a: Allocator, s: PlanState): void;
  validate(s: PlanState): void;
  patcher(s: PlanState): FilePatcher | undefined;
}

/** xorriso's default for no-emulation images: four 512-byte sectors (one CD sector). */
const DEFAULT_LOAD = 4;

export function elToritoParts(boot: { bios?: BootImage; efi?: BootImage }): BootParts {
  if (!boot.bios && !boot.efi) {
    return { bootRecord() {}, catalog() {}, validate() {}, patcher: () => undefined };
  }
  let bios: FileNode | undefined;
  let efi: FileNode | undefined;
  let catalogSector = 0;

  const entry = (n: FileNode, count: number): Uint8Array =>
    bootEntry.encode({
      indicator: BootIndicator.bootable,
      mediaType: MediaType.noEmulation,
      loadSegment: 0, // 0 means the traditional 0x7C0 (§2.2)
      systemType: 0,
      sectorCount: count,
      loadRba: n.primary.dataSector,
      selectionCriteria: 0,
    });
  const biosCount = (): number => boot.bios?.loadSize ?? DEFAULT_LOAD;
  // UEFI reads the whole ESP image: its size in 512-byte sectors, 0 when that does not fit 16 bits.
  const efiCount = (n: FileNode): number => (n.size / 512 <= 0xffff ? Math.ceil(n.size / 512) : 0);

  return {
    validate(s) {
      if (boot.bios) {
        bios = bootFile(s.tree, boot.bios);
        const size = bios.size;
        const why =
          size === 0
            ? 'it is empty'
            : boot.bios.infoTable && size < 64
              ? 'a boot information table needs at least 64 bytes'
              : biosCount() < 1 || biosCount() > 0xffff
                ? `load size ${biosCount()} is not 1..65535 sectors of 512 bytes`
                : boot.bios.loadSize !== undefined &&
                    boot.bios.loadSize * 512 > sectorsFor(size) * SECTOR
                  ? `load size ${boot.bios.loadSize} × 512 bytes reaches past the image`
                  : boot.bios.infoTable && size > 0xffff_ffff
                    ? 'a boot information table records sizes below 4 GiB'
                    : undefined;
        if (why) throw new BootImageSizeError(boot.bios.path, size, why);
      }
      if (boot.efi) {
        efi = bootFile(s.tree, boot.efi);
        if (efi.size === 0 || efi.size % 512) {
          throw new BootImageSizeError(
            boot.efi.path,
            efi.size,
            'an EFI system partition image is whole 512-byte sectors',
          );
        }
      }
    },

    bootRecord(a) {
      const at = a.add(1, 'El Torito boot record', () => [
        bootRecordVolumeDescriptor.encode({
          type: VolumeDescriptorType.bootRecord,
          standardId: STANDARD_ID,
          version: 1,
          bootSystemId: EL_TORITO_ID,
          bootId: '',
          catalogSector,
        }),
      ]);
      if (at !== FIRST_DESCRIPTOR_SECTOR + 1) throw new Error(`internal: boot record at ${at}`);
    },

    catalog(a, s) {
      catalogSector = a.add(1, 'El Torito boot catalog', () => {
        const out = new Uint8Array(SECTOR);
        const parts: Uint8Array[] = [];
        if (bios) {
          parts.push(encodeValidationEntry(Platform.x86, ''), entry(bios, biosCount()));
          if (efi) {
            parts.push(
              sectionHeader.encode({
                indicator: SectionIndicator.final,
                platform: Platform.efi,
                entries: 1,
                idString: '',
              }),
              entry(efi, efiCount(efi)),
            );
          }
        } else if (efi) {
          parts.push(encodeValidationEntry(Platform.efi, ''), entry(efi, efiCount(efi)));
        }
        parts.forEach((p, i) => out.set(p, i * 32));
        return [out];
      });
      s.layout.bootCatalog = catalogSector;
    },

    patcher() {
      if (!boot.bios?.infoTable) return undefined;
      return async (n, read) => {
        if (n.primary !== bios?.primary) return undefined;
        // The table's checksum covers bytes 64 onward, so read the image once before it streams.
        const sum = new BootInfoChecksum();
        for (let o = 0; o < n.size; o += 1 << 20)
          sum.add(o, await read(o, Math.min(1 << 20, n.size - o)));
        const table = bootInfoTable.encode({
          pvdSector: FIRST_DESCRIPTOR_SECTOR,
          fileSector: n.primary.dataSector,
          fileLength: n.size,
          checksum: sum.value(),
        });
        return (offset, chunk) => {
          const from = BOOT_INFO_OFFSET - offset;
          if (from + table.length <= 0 || from >= chunk.length) return chunk;
          const out = chunk.slice();
          for (let i = Math.max(0, -from); i < table.length && from + i < out.length; i++) {
            out[from + i] = table[i] ?? 0;
          }
          return out;
        };
      };
    },
  };
}
