/**
 * The tag tree of Gatan DigitalMicrograph files (DM3 and DM4), read from the published
 * description of the format: a header (version 3 or 4, root length, byte order of the data:
 * 1 = little-endian), then the root tag group. A group is (sorted, open, tag count); a tag is
 * (kind 20 = group / 21 = data, name length, name, [DM4: tag size], then the group or
 * "%%%%", the count of type-info words and the words, then the data). Structure numbers are
 * big-endian, 32-bit in DM3 and 64-bit in DM4; values are in the header's byte order.
 *
 * Large arrays (the image data) are not read here: their offset, element type and count are
 * kept for the image reader. Every count is checked against the bytes left, and nesting depth
 * and tag count are bounded, so a corrupt file cannot make the parser allocate or loop without
 * end. No DOM.
 */
import { FormatError } from './format-error.js';

/** A leaf: a number, a string, a short array's values, or a large array's location. */
export type DmValue = number | string | number[] | DmArray | DmValue[];

/** An array left in the file: element type code, count, byte offset and size of one element. */
export interface DmArray {
  readonly kind: 'array';
  readonly type: number;
  readonly count: number;
  readonly offset: number;
  readonly elementBytes: number;
}

/** A tag group: named and unnamed (index) entries in file order. */
export interface DmGroup {
  readonly kind: 'group';
  readonly entries: { name: string; value: DmGroup | DmValue }[];
}

/** The parsed file. */
export interface DmTree {
  version: 3 | 4;
  littleEndian: boolean;
  root: DmGroup;
}

/** Size in bytes of each simple type code. */
export const DM_SIMPLE_SIZES: Readonly<Record<number, number>> = {
  2: 2, // int16
  3: 4, // int32
  4: 2, // uint16
  5: 4, // uint32
  6: 4, // float32
  7: 8, // float64
  8: 1, // bool
  9: 1, // int8 (char)
  10: 1, // uint8 (octet)
  11: 8, // int64
  12: 8 // uint64
};

/** Arrays with more elements than this are left in the file (a DmArray). */
const INLINE_ARRAY = 256;
const MAX_DEPTH = 64;
const MAX_TAGS = 1_000_000;

/** Whether the bytes start like a DM3 or DM4 header. */
export function dmVersion(bytes: Uint8Array): 3 | 4 | null {
  if (bytes.length < 16 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0) return null;
  const v = bytes[3];
  if (v !== 3 && v !== 4) return null;
  // Byte order word: 0 or 1 (at 8 in DM3, 12 in DM4).
  const at = v === 3 ? 8 : 12;
  const order = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
  return order === 0 || order === 1 ? v : null;
}

/** Parse the tag tree. @throws FormatError */
export function parseDmTags(bytes: Uint8Array): DmTree {
  const version = dmVersion(bytes);
  const format = version === 4 ? 'dm4' : 'dm3';
  if (!version) {
    throw new FormatError('not a DM3/DM4 file: no DigitalMicrograph header', 'not-this-format', format);
  }
  return new Private.Parser(bytes, version).tree();
}

/** Find the first entry named `name` in a group (or the `index`-th unnamed one when `name` is a number). */
export function dmChild(group: DmGroup | undefined, name: string | number): DmGroup | DmValue | undefined {
  if (!group) return undefined;
  if (typeof name === 'number') return group.entries[name]?.value;
  return group.entries.find(e => e.name === name)?.value;
}

/** Follow a path of names/indices through nested groups. */
export function dmPath(group: DmGroup | undefined, ...path: (string | number)[]): DmGroup | DmValue | undefined {
  let node: DmGroup | DmValue | undefined = group;
  for (const step of path) {
    node = isGroup(node) ? dmChild(node, step) : undefined;
  }
  return node;
}

/** Whether a node is a group. */
export function isGroup(node: unknown): node is DmGroup {
  return typeof node === 'object' && node !== null && (node as DmGroup).kind === 'group';
}

namespace Private {
  export class Parser {
    constructor(
      private readonly bytes: Uint8Array,
      private readonly version: 3 | 4
    ) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.format = version === 4 ? 'dm4' : 'dm3';
    }

    tree(): DmTree {
      this.pos = 4;
      this.word(); // root length (not trusted)
      this.littleEndian = this.u32() === 1;
      const root = this.group(0);
      return { version: this.version, littleEndian: this.littleEndian, root };
    }

    private fail(message: string, code: 'truncated' | 'corrupt' = 'corrupt'): never {
      throw new FormatError(
        `${code === 'truncated' ? 'truncated' : 'corrupt'} ${this.format.toUpperCase()} file: ${message} (at byte ${this.pos})`,
        code,
        this.format
      );
    }

    private need(n: number): void {
      if (this.pos + n > this.bytes.length || n < 0) {
        this.fail(`the file ends inside a tag (${n} more bytes needed)`, 'truncated');
      }
    }

    private u8(): number {
      this.need(1);
      return this.bytes[this.pos++];
    }

    private u16(): number {
      this.need(2);
      const v = this.view.getUint16(this.pos, false);
      this.pos += 2;
      return v;
    }

    private u32(): number {
      this.need(4);
      const v = this.view.getUint32(this.pos, false);
      this.pos += 4;
      return v;
    }

    /** A structure word: 32-bit in DM3, 64-bit in DM4 (big-endian). */
    private word(): number {
      if (this.version === 3) return this.u32();
      this.need(8);
      const v = this.view.getBigUint64(this.pos, false);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`a size of ${v}`);
      return Number(v);
    }

    private group(depth: number): DmGroup {
      if (depth > MAX_DEPTH) this.fail('tag groups nested too deeply');
      this.u8(); // sorted
      this.u8(); // open
      const count = this.word();
      // Every tag takes at least 3 bytes: a count beyond what is left is corrupt.
      if (count * 3 > this.bytes.length - this.pos) this.fail(`a group of ${count} tags`);
      const entries: DmGroup['entries'] = [];
      for (let i = 0; i < count; i++) {
        if (++this.tags > MAX_TAGS) this.fail('too many tags');
        const kind = this.u8();
        if (kind === 0) break; // end of file marker some writers put
        const nameLength = this.u16();
        this.need(nameLength);
        let name = '';
        for (let k = 0; k < nameLength; k++) name += String.fromCharCode(this.bytes[this.pos + k]);
        this.pos += nameLength;
        if (this.version === 4) this.word(); // size of the tag (we read it structurally)
        if (kind === 20) {
          entries.push({ name, value: this.group(depth + 1) });
        } else if (kind === 21) {
          entries.push({ name, value: this.data() });
        } else {
          this.fail(`a tag of kind ${kind} (20 or 21 expected)`);
        }
      }
      return { kind: 'group', entries };
    }

    private data(): DmValue {
      this.need(4);
      if (String.fromCharCode(...this.bytes.subarray(this.pos, this.pos + 4)) !== '%%%%') this.fail('a data tag without "%%%%"');
      this.pos += 4;
      const n = this.word();
      if (n < 1 || n > 1024) {
        this.fail(`a data tag with ${n} type words`);
      }
      this.need(n * (this.version === 3 ? 4 : 8));
      const info: number[] = [];
      for (let i = 0; i < n; i++) info.push(this.word());
      return this.value(info);
    }

    private value(info: number[]): DmValue {
      const type = info[0];
      if (type in DM_SIMPLE_SIZES) {
        return this.simple(type);
      }
      if (type === 18) {
        // String: info = [18, length]; UTF-16 characters.
        const length = info[1] ?? 0;
        this.need(length * 2);
        let s = '';
        for (let i = 0; i < Math.min(length, 4096); i++) {
          s += String.fromCharCode(this.view.getUint16(this.pos + 2 * i, this.littleEndian));
        }
        this.pos += length * 2;
        return s;
      }
      if (type === 15) {
        // Struct: info = [15, name length, field count, (name length, type) × count].
        const fields = info[2] ?? 0;
        if (info.length < 3 + 2 * fields) this.fail('a struct with missing field types');
        const out: DmValue[] = [];
        for (let f = 0; f < fields; f++) {
          const ft = info[4 + 2 * f];
          if (!(ft in DM_SIMPLE_SIZES)) this.fail(`a struct field of type ${ft}`);
          out.push(this.simple(ft));
        }
        return out;
      }
      if (type === 20) {
        return this.array(info);
      }
      return this.fail(`a data tag of type ${type}`);
    }

    private simple(type: number): number {
      const size = DM_SIMPLE_SIZES[type];
      this.need(size);
      const v = this.view;
      const p = this.pos;
      const le = this.littleEndian;
      this.pos += size;
      switch (type) {
        case 2:
          return v.getInt16(p, le);
        case 3:
          return v.getInt32(p, le);
        case 4:
          return v.getUint16(p, le);
        case 5:
          return v.getUint32(p, le);
        case 6:
          return v.getFloat32(p, le);
        case 7:
          return v.getFloat64(p, le);
        case 8:
          return v.getUint8(p) ? 1 : 0;
        case 9:
          return v.getInt8(p);
        case 10:
          return v.getUint8(p);
        case 11:
          return Number(v.getBigInt64(p, le));
        default:
          return Number(v.getBigUint64(p, le));
      }
    }

    /** Array: [20, type, count] or of structs [20, 15, 0, fields, (0, type) × fields, count]. */
    private array(info: number[]): DmValue {
      const elementType = info[1];
      let elementBytes: number;
      let count: number;
      if (elementType === 15) {
        const fields = info[3] ?? 0;
        if (info.length < 5 + 2 * fields) this.fail('an array of structs with missing field types');
        elementBytes = 0;
        for (let f = 0; f < fields; f++) {
          const ft = info[5 + 2 * f];
          if (!(ft in DM_SIMPLE_SIZES)) this.fail(`a struct field of type ${ft}`);
          elementBytes += DM_SIMPLE_SIZES[ft];
        }
        count = info[4 + 2 * fields];
      } else if (elementType in DM_SIMPLE_SIZES) {
        elementBytes = DM_SIMPLE_SIZES[elementType];
        count = info[2];
      } else {
        return this.fail(`an array of type ${elementType}`);
      }
      if (!Number.isSafeInteger(count) || count < 0) this.fail(`an array of ${count} elements`);
      const size = count * elementBytes;
      const offset = this.pos;
      this.need(size);
      if (elementType !== 15 && count <= INLINE_ARRAY) {
        const values: number[] = [];
        for (let i = 0; i < count; i++) values.push(this.simple(elementType));
        // Short uint16 arrays are usually text (names, units).
        return values;
      }
      this.pos += size;
      return { kind: 'array', type: elementType, count, offset, elementBytes };
    }

    private readonly view: DataView;
    private readonly format: 'dm3' | 'dm4';
    private pos = 0;
    private tags = 0;
    private littleEndian = true;
  }
}
