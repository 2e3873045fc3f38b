/**
 * The search tree of a MaxMind DB file, walked with an address already
 * parsed into 32-bit words (ipKey.ts), so a lookup neither parses text again
 * nor allocates. It answers which data record holds an address (its pointer);
 * decoding the record is left to mmdb-lib, once per record (see CountryDb).
 * Layout per the MaxMind DB spec: `nodeCount` nodes of two records each,
 * 24, 28 or 32 bits a record; a record equal to nodeCount means "no data",
 * above it a pointer into the data section.
 */
import type { Reader, Response } from 'mmdb-lib';

export class MmdbTree {
  private readonly nodeCount: number;
  private readonly nodeBytes: number;
  private readonly recordSize: number;
  /** Where IPv4 addresses start: node after 96 zero bits in an IPv6 tree, the root in an IPv4 one. */
  private readonly ipv4Start: number;
  readonly ipVersion: number;

  constructor(
    private readonly db: Buffer,
    metadata: Reader<Response>['metadata'],
  ) {
    this.nodeCount = metadata.nodeCount;
    this.nodeBytes = metadata.nodeByteSize;
    this.recordSize = metadata.recordSize;
    this.ipVersion = metadata.ipVersion;
    if (this.recordSize !== 24 && this.recordSize !== 28 && this.recordSize !== 32) {
      throw new Error(`unsupported record size ${this.recordSize}`);
    }
    let node = 0;
    if (this.ipVersion === 6) {
      for (let i = 0; i < 96 && node < this.nodeCount; i++) node = this.record(node, 0);
    }
    this.ipv4Start = node;
  }

  /** The data pointer for an IPv4 address (as an unsigned 32-bit number), or 0 when the file has none. */
  findV4(address: number): number {
    let node = this.ipv4Start;
    for (let bit = 31; bit >= 0 && node < this.nodeCount; bit--) node = this.record(node, (address >>> bit) & 1);
    return node > this.nodeCount ? node : 0;
  }

  /** The data pointer for an IPv6 address given as four big-endian words at key[offset..], or 0. */
  findV6(key: Uint32Array, offset = 0): number {
    if (this.ipVersion !== 6) return 0;
    let node = 0;
    for (let i = 0; i < 128 && node < this.nodeCount; i++) {
      const word = key[offset + (i >>> 5)] ?? 0;
      node = this.record(node, (word >>> (31 - (i & 31))) & 1);
    }
    return node > this.nodeCount ? node : 0;
  }

  /** Record `side` (0 left, 1 right) of a node; throws RangeError past the end of a damaged file. */
  private record(node: number, side: number): number {
    const db = this.db;
    const at = node * this.nodeBytes;
    switch (this.recordSize) {
      case 24:
        return db.readUIntBE(at + side * 3, 3);
      case 28:
        return side === 0
          ? ((db.readUInt8(at + 3) & 0xf0) << 20) | db.readUIntBE(at, 3)
          : ((db.readUInt8(at + 3) & 0x0f) << 24) | db.readUIntBE(at + 4, 3);
      default:
        return db.readUInt32BE(at + side * 4);
    }
  }
}
