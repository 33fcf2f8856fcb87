/**
 * GET CONFIGURATION response (MMC-6 §5.2-§5.3 and §6.6.2): the profile the
 * drive has loaded, and feature descriptors saying what it can do with it.
 * This module reads and writes the whole response; the descriptors' shapes
 * are in feature-types.ts and their codecs in feature-codecs.ts, both
 * re-exported here. Encoders build whole responses (the virtual recorder
 * and tests use them).
 */
import { DecodeError } from '../errors.ts';
import { checkInt, declaredLength, need, needDeclared, putU16, putU32, u16 } from './bytes.ts';
import { encodeFeature, parseFeature } from './feature-codecs.ts';
import type { Feature } from './feature-types.ts';

// ===========================================================================
// Profiles, MMC-6 §5.3.1 (table 88)

// The tables live in the contract (every realm decides with them); this
// module re-exports them for its callers.
export { PROFILE, PROFILE_NAMES, profileName, type Profile } from '../../../contract/profiles.ts';

export * from './feature-types.ts';
export { encodeFeature, parseFeature };

// ===========================================================================
// The whole response, MMC-6 §6.6.2:
//  0-3 DATA LENGTH (u32, n - 4: counts every byte after itself, also those the
//      allocation length cut off)
//  4-5 reserved
//  6-7 CURRENT PROFILE
//  8.. feature descriptors in ascending code order

export const CONFIGURATION_HEADER_LENGTH = 8;

export interface ConfigurationHeader {
  /** Total response length the drive has, header included. */
  readonly totalLength: number;
  readonly currentProfile: number;
}

export interface Configuration {
  readonly currentProfile: number;
  readonly features: readonly Feature[];
}

/** Only the header: enough for the current profile, or to size a second request. */
export function parseConfigurationHeader(data: Uint8Array): ConfigurationHeader {
  const totalLength = declaredLength('configuration', data, 4, CONFIGURATION_HEADER_LENGTH);
  need('configuration header', data, CONFIGURATION_HEADER_LENGTH);
  return { totalLength, currentProfile: u16(data, 6) };
}

/** The whole response; TruncatedResponseError (with the length to ask for) when cut short. */
export function parseConfiguration(data: Uint8Array): Configuration {
  const { totalLength, currentProfile } = parseConfigurationHeader(data);
  needDeclared('configuration', data, totalLength);
  const features: Feature[] = [];
  // Every descriptor is at least 4 bytes, so this ends within totalLength / 4 rounds.
  for (let i = CONFIGURATION_HEADER_LENGTH; i < totalLength;) {
    if (i + 4 > totalLength) {
      throw new DecodeError(`configuration: feature header at ${i} runs past ${totalLength}`);
    }
    const end = i + 4 + data[i + 3]!;
    if (end > totalLength) {
      throw new DecodeError(`configuration: feature at ${i} runs past ${totalLength} (to ${end})`);
    }
    features.push(parseFeature(data.subarray(i, end)));
    i = end;
  }
  return { currentProfile, features };
}

export function encodeConfiguration(config: Configuration): Uint8Array<ArrayBuffer> {
  checkInt('current profile', config.currentProfile, 0, 0xffff);
  const descriptors = config.features.map(encodeFeature);
  const length = descriptors.reduce((n, d) => n + d.length, CONFIGURATION_HEADER_LENGTH);
  const out = new Uint8Array(length);
  putU32(out, 0, length - 4);
  putU16(out, 6, config.currentProfile);
  let i = CONFIGURATION_HEADER_LENGTH;
  for (const d of descriptors) {
    out.set(d, i);
    i += d.length;
  }
  return out;
}

/** The feature with this code, if the drive listed it. */
export function findFeature(config: Configuration, code: number): Feature | undefined {
  return config.features.find((f) => f.code === code);
}
